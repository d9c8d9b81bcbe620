import { armError } from "../errors";
import { armResource, atLeast, perCloud } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

const accessKeys = ({ resource }: HandlerContext) => ({ primaryKey: resource.keys.Primary, secondaryKey: resource.keys.Secondary });

/**
 * Azure Cache for Redis: `RedisAccessKeys` from both operations (200, synchronous). Its
 * `RedisKeyType` enum is not a string model: exact spelling only. With access-key authentication
 * disabled, the code ARM answers is not documented; the emulator's is its own assumption.
 */
export const redisHandler: ServiceHandler = {
    service: "redis",
    apiVersions: ["2023-08-01", "2024-03-01", "2024-11-01", "2025-08-01-preview"],
    longRunning: false,
    keyFormat: "base64",
    error: armError,
    regenerateRequest: { body: "keyType", values: { Primary: "Primary", Secondary: "Secondary" }, caseSensitive: true },
    regenerated: (ctx) => ({ status: 200, body: accessKeys(ctx) }),
    listKeys: (ctx) => ({ status: 200, body: accessKeys(ctx) }),
    getOperation: "Redis_Get",
    // RedisCacheGet.json: `hostName`, `sslPort`; `disableAccessKeyAuthentication` from 2024-03-01. Firewall rules
    // are a child resource (firewallRules), not in this body.
    resourceBody: (ctx) =>
        armResource(ctx, {
            properties: {
                provisioningState: "Succeeded",
                redisVersion: "6.0",
                sku: { name: "Standard", family: "C", capacity: 1 },
                enableNonSslPort: false,
                minimumTlsVersion: "1.2",
                replicasPerMaster: 1,
                replicasPerPrimary: 1,
                hostName: `${ctx.names.name.toLowerCase()}.${perCloud(ctx, { public: "redis.cache.windows.net", usgov: "redis.cache.usgovcloudapi.net", china: "redis.cache.chinacloudapi.cn" })}`,
                port: 6379,
                sslPort: 6380,
                publicNetworkAccess: "Enabled",
                redisConfiguration: { "maxmemory-policy": "volatile-lru", "aad-enabled": "true" },
                ...(atLeast(ctx, "2024-03-01") ? { disableAccessKeyAuthentication: ctx.resource.localAuthDisabled } : {}),
                instances: [{ sslPort: 15000, isMaster: true, isPrimary: true }],
            },
        }),
    localAuthDisabled: (ctx) =>
        armError(400, "BadRequest", `Access key authentication is disabled for cache '${ctx.names.name}' (disableAccessKeyAuthentication is true).`),
};
