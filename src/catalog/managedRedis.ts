import type { NameRule, ServiceEntry } from "./types";

/** Cluster and database names of Azure Managed Redis (Redis Enterprise). */
const redisEnterpriseName: NameRule = {
    pattern: /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/,
    minLength: 1,
    maxLength: 60,
    rule: "1 to 60 letters, digits and single hyphens, starting and ending with a letter or digit",
};

/**
 * Azure Managed Redis (and Redis Enterprise) database access keys; the database is `default` in
 * practice. The regenerate is long-running (200 with both keys, or 202 with Azure-AsyncOperation,
 * final state via that status). The host name is the cluster's (`properties.hostName`, with the
 * region in it), read from the parent cluster; the port is Azure Managed Redis' default, 10000.
 *
 * Default api-version 2025-07-01: the spec's newest stable is 2026-09-01 (also 2026-08-01), but a
 * spec folder does not prove a version is deployed in every region and cloud; 2025-07-01 is the
 * newest one with official examples for both operations' shapes and in use for months.
 */
export const managedRedis: ServiceEntry = {
    service: "managed-redis",
    title: "Azure Managed Redis database",
    resourceType: "Microsoft.Cache/redisEnterprise/databases",
    idTemplate: "Microsoft.Cache/redisEnterprise/{clusterName}/databases/{databaseName}",
    nameRules: { clusterName: redisEnterpriseName, databaseName: redisEnterpriseName },
    defaultApiVersion: "2025-07-01",
    keyTypes: [
        { name: "Primary", consumer: true },
        { name: "Secondary", consumer: true },
    ],
    regenerate: {
        operation: "Databases_RegenerateKey",
        path: "/regenerateKey",
        body: { field: "keyType", value: "wire" },
        successStatus: [200, 202],
        longRunning: true,
        answer: "keySet",
    },
    readKeys: {
        kind: "listKeys",
        operation: "Databases_ListKeys",
        method: "POST",
        path: "/listKeys",
        fields: { primaryKey: "primaryKey", secondaryKey: "secondaryKey" },
    },
    alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    reads: [
        { operation: "RedisEnterprise_Get", resource: "Microsoft.Cache/redisEnterprise/{clusterName}", endpoint: "properties.hostName" },
        {
            operation: "Databases_Get",
            sharedKeys: {
                selector: "properties.accessKeysAuthentication",
                off: { equals: "Disabled" },
                setting: "accessKeysAuthentication: Disabled",
                enable: "set accessKeysAuthentication to Enabled",
            },
        },
    ],
    connectionString: "{endpoint}:10000,password={key},ssl=True,abortConnect=False",
    verify: { scheme: "redisAuth", requests: [{ method: "GET", url: "rediss://{endpoint}:10000", accepts: [] }] },
};
