import { armError } from "../errors";
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
    localAuthDisabled: (ctx) =>
        armError(400, "BadRequest", `Access key authentication is disabled for cache '${ctx.names.name}' (disableAccessKeyAuthentication is true).`),
};
