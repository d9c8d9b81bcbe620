import type { ServiceEntry } from "./types";

/**
 * Azure Cache for Redis. The regenerate answers both keys (200, not long-running). ARM returns no
 * connection string: it is built in StackExchange.Redis' form, TLS on port 6380.
 */
export const redis: ServiceEntry = {
    service: "redis",
    title: "Azure Cache for Redis",
    resourceType: "Microsoft.Cache/redis",
    idTemplate: "Microsoft.Cache/redis/{name}",
    nameRules: {
        name: {
            pattern: /^([a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]|[a-zA-Z0-9])$/,
            minLength: 1,
            maxLength: 63,
            rule: "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit",
        },
    },
    defaultApiVersion: "2024-11-01",
    keyTypes: [
        { name: "Primary", consumer: true },
        { name: "Secondary", consumer: true },
    ],
    regenerate: {
        operation: "Redis_RegenerateKey",
        path: "/regenerateKey",
        body: { field: "keyType", value: "wire" },
        successStatus: [200],
        longRunning: false,
        answer: "keySet",
    },
    readKeys: {
        kind: "listKeys",
        operation: "Redis_ListKeys",
        method: "POST",
        path: "/listKeys",
        fields: { primaryKey: "primaryKey", secondaryKey: "secondaryKey" },
    },
    alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    endpoint: "{name}.{cloud:redis}:6380",
    reads: [
        {
            operation: "Redis_Get",
            sharedKeys: {
                selector: "properties.disableAccessKeyAuthentication",
                off: { equals: true },
                setting: "disableAccessKeyAuthentication: true",
                enable: "set disableAccessKeyAuthentication to false",
            },
        },
    ],
    connectionString: "{endpoint},password={key},ssl=True,abortConnect=False",
    verify: { scheme: "redisAuth", requests: [{ method: "GET", url: "rediss://{endpoint}", accepts: [] }] },
};
