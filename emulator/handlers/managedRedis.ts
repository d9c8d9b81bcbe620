import { armError } from "../errors";
import { atLeast } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

const accessKeys = ({ resource }: HandlerContext) => ({ primaryKey: resource.keys.Primary, secondaryKey: resource.keys.Secondary });

/**
 * Azure Managed Redis databases: the regenerate is long-running (202 with Azure-AsyncOperation and
 * Location and no body, as the example; its final state is the status resource). The cluster's GET
 * holds the host name. Access keys are off by default (`accessKeysAuthentication: Disabled`); the
 * code ARM answers then is not documented, the emulator's is its own assumption.
 */
export const managedRedisHandler: ServiceHandler = {
    service: "managed-redis",
    apiVersions: ["2023-07-01", "2023-11-01", "2024-02-01", "2024-10-01", "2025-04-01", "2025-07-01", "2025-08-01-preview", "2026-08-01", "2026-09-01"],
    longRunning: true,
    keyFormat: "base64",
    error: armError,
    regenerateRequest: { body: "keyType", values: { Primary: "Primary", Secondary: "Secondary" }, caseSensitive: true },
    regenerated: (ctx) => ({ status: 200, body: accessKeys(ctx) }),
    monitorPath: (ctx, id) => {
        const sub = ctx.resource.id.split("/")[2];
        const base = `/subscriptions/${sub}/providers/Microsoft.Cache/locations/westus`;
        return { status: `${base}/operationsStatus/${id}`, result: `${base}/operationResults/${id}` };
    },
    listKeys: (ctx) => ({ status: 200, body: accessKeys(ctx) }),
    localAuthDisabled: (ctx) =>
        armError(
            400,
            "BadRequest",
            `Access keys authentication is disabled for database '${ctx.names.databaseName}' of cluster '${ctx.names.clusterName}' (accessKeysAuthentication is Disabled).`,
        ),
    getOperation: "Databases_Get",
    // RedisEnterpriseDatabasesGet.json: the port (10000); `accessKeysAuthentication` from 2025-04-01.
    resourceBody: ({ resource, names, entry, query }) => ({
        id: resource.id,
        name: names.databaseName,
        type: entry.resourceType,
        properties: {
            clientProtocol: "Encrypted",
            port: 10000,
            provisioningState: "Succeeded",
            resourceState: "Running",
            clusteringPolicy: "OSSCluster",
            evictionPolicy: "NoEviction",
            modules: [],
            ...(atLeast({ query }, "2025-04-01") ? { accessKeysAuthentication: resource.localAuthDisabled ? "Disabled" : "Enabled" } : {}),
        },
    }),
    parents: [
        {
            idTemplate: "Microsoft.Cache/redisEnterprise/{clusterName}",
            operation: "RedisEnterprise_Get",
            // RedisEnterpriseGet.json: the cluster holds the host name.
            body: ({ id, names }) => ({
                id,
                name: names.clusterName,
                type: "Microsoft.Cache/redisEnterprise",
                location: "West US",
                sku: { name: "Balanced_B0" },
                properties: {
                    hostName: `${names.clusterName.toLowerCase()}.westus.redis.azure.net`,
                    provisioningState: "Succeeded",
                    resourceState: "Running",
                    minimumTlsVersion: "1.2",
                    highAvailability: "Enabled",
                    publicNetworkAccess: "Enabled",
                },
            }),
        },
    ],
};
