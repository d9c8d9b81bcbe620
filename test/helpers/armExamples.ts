/**
 * Microsoft's official examples of the key operations (test/fixtures/arm-examples, verbatim, with
 * their sources in SOURCES.json), and where each one holds each value, as read from the example by
 * the test's author: positions in the JSON, not the catalog's selectors. Tests feed these bodies to
 * the catalog (does it find exactly these values?) and compare the emulator's answers to them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { KeySetOutputName } from "../../src/catalog";

/** A position in a JSON body: property names and array indexes. */
export type JsonPath = ReadonlyArray<string | number>;

export interface OfficialExample {
    service: string;
    /** Under test/fixtures/arm-examples: `<service>/<api-version>/<file>`. */
    file: string;
    operation: "listKeys" | "regenerate";
    /** The response of the example used. */
    status: number;
    /** Where the example holds each value the catalog must read; absent when it holds none. */
    values?: Partial<Record<KeySetOutputName, JsonPath>>;
    /** Where it holds each key's id (App Configuration). */
    keyIds?: Record<string, JsonPath>;
    /** A regenerate that answers one key: which one. */
    keyType?: string;
    /** Why the example is short of what the catalog requires: its values are then checked one selector at a time. */
    partial?: string;
    /** Why the emulator answers otherwise, on purpose. */
    emulatorDiffers?: string;
}

const SAS = {
    primaryKey: ["primaryKey"],
    secondaryKey: ["secondaryKey"],
    primaryConnectionString: ["primaryConnectionString"],
    secondaryConnectionString: ["secondaryConnectionString"],
} as const;
const ALIAS = {
    primaryKey: ["primaryKey"],
    secondaryKey: ["secondaryKey"],
    primaryAliasConnectionString: ["aliasPrimaryConnectionString"],
    secondaryAliasConnectionString: ["aliasSecondaryConnectionString"],
} as const;
const ALIAS_ONLY =
    "the alias's own listKeys (DisasterRecoveryConfigs_ListKeys) answers only the keys and the alias's strings; KeyRotation reads them from the namespace rule's listKeys, where a Geo-DR pairing adds them";
const PAIR = { primaryKey: ["primaryKey"], secondaryKey: ["secondaryKey"] } as const;
const KEY12 = { primaryKey: ["key1"], secondaryKey: ["key2"] } as const;
const STORAGE = { primaryKey: ["keys", 0, "value"], secondaryKey: ["keys", 1, "value"] } as const;
const ACR = { username: ["username"], primaryKey: ["passwords", 0, "value"], secondaryKey: ["passwords", 1, "value"] } as const;
const BATCH = { primaryKey: ["primary"], secondaryKey: ["secondary"] } as const;
const EMPTY = "the example's body is {}; the spec declares the four key fields, which the emulator answers with";

export const OFFICIAL_EXAMPLES: readonly OfficialExample[] = [
    { service: "signalr", file: "signalr/2023-02-01/SignalR_ListKeys.json", operation: "listKeys", status: 200, emulatorDiffers: EMPTY },
    {
        service: "signalr",
        file: "signalr/2023-02-01/SignalR_RegenerateKey.json",
        operation: "regenerate",
        status: 202,
        emulatorDiffers: "the emulator's 202 holds the new keys, as recorded against Azure; the example's body is {}",
    },
    {
        service: "communication",
        file: "communication/2023-03-31/listKeys.json",
        operation: "listKeys",
        status: 200,
        values: PAIR,
        partial: "the example omits the connection strings the spec's CommunicationServiceKeys declares",
        emulatorDiffers: "the emulator answers the connection strings the spec declares",
    },
    {
        service: "communication",
        file: "communication/2023-03-31/regenerateKey.json",
        operation: "regenerate",
        status: 200,
        keyType: "Primary",
        values: { primaryKey: ["primaryKey"], primaryConnectionString: ["primaryConnectionString"] },
    },
    {
        service: "apim-tenant-access",
        file: "apim-tenant/2024-05-01/ApiManagementListSecretsTenantAccess.json",
        operation: "listKeys",
        status: 200,
        values: PAIR,
        emulatorDiffers: "the emulator's answer also has principalId (AccessInformationSecretsContract declares it)",
    },
    { service: "apim-tenant-access", file: "apim-tenant/2022-08-01/ApiManagementTenantAccessRegenerateKey.json", operation: "regenerate", status: 204 },
    {
        service: "apim-subscription",
        file: "apim-subscription/2022-08-01/ApiManagementSubscriptionListSecrets.json",
        operation: "listKeys",
        status: 200,
        values: PAIR,
    },
    {
        service: "apim-subscription",
        file: "apim-subscription/2024-05-01/ApiManagementSubscriptionRegeneratePrimaryKey.json",
        operation: "regenerate",
        status: 204,
    },
    { service: "logic-apps-standard", file: "logic-apps-standard/2025-05-01/Workflows_RegenerateAccessKey.json", operation: "regenerate", status: 200 },
    { service: "web-pubsub", file: "webpubsub/2024-03-01/WebPubSub_ListKeys.json", operation: "listKeys", status: 200, emulatorDiffers: EMPTY },
    { service: "web-pubsub", file: "webpubsub/2024-03-01/WebPubSub_RegenerateKey.json", operation: "regenerate", status: 200 },
    { service: "web-pubsub", file: "webpubsub/2024-03-01/WebPubSub_RegenerateKey.json", operation: "regenerate", status: 202 },
    { service: "storage", file: "storage/2025-06-01/StorageAccountListKeys.json", operation: "listKeys", status: 200, values: STORAGE },
    { service: "storage", file: "storage/2025-06-01/StorageAccountRegenerateKey.json", operation: "regenerate", status: 200, values: STORAGE },
    {
        service: "storage",
        file: "storage/2025-06-01/StorageAccountRegenerateKerbKey.json",
        operation: "regenerate",
        status: 200,
        values: STORAGE,
        keyType: "Kerb1",
    },
    { service: "eventhubs-namespace", file: "eventhubs/2026-01-01/EHNameSpaceAuthorizationRuleListKey.json", operation: "listKeys", status: 200, values: SAS },
    {
        service: "eventhubs-namespace",
        file: "eventhubs/2026-01-01/EHNameSpaceAuthorizationRuleRegenerateKey.json",
        operation: "regenerate",
        status: 200,
        values: SAS,
    },
    {
        service: "eventhubs-namespace",
        file: "eventhubs/2026-01-01/EHAliasAuthorizationRuleListKey.json",
        operation: "listKeys",
        status: 200,
        values: ALIAS,
        partial: ALIAS_ONLY,
        emulatorDiffers: ALIAS_ONLY,
    },
    { service: "eventhubs-eventhub", file: "eventhubs/2026-01-01/EHEventHubAuthorizationRuleListKey.json", operation: "listKeys", status: 200, values: SAS },
    {
        service: "eventhubs-eventhub",
        file: "eventhubs/2026-01-01/EHEventHubAuthorizationRuleRegenerateKey.json",
        operation: "regenerate",
        status: 200,
        values: SAS,
    },
    {
        service: "servicebus-namespace",
        file: "servicebus/2026-01-01/SBNameSpaceAuthorizationRuleListKey.json",
        operation: "listKeys",
        status: 200,
        values: SAS,
    },
    {
        service: "servicebus-namespace",
        file: "servicebus/2024-01-01/SBNameSpaceAuthorizationRuleListKey.json",
        operation: "listKeys",
        status: 200,
        values: SAS,
    },
    {
        service: "servicebus-namespace",
        file: "servicebus/2026-01-01/SBNameSpaceAuthorizationRuleRegenerateKey.json",
        operation: "regenerate",
        status: 200,
        values: SAS,
    },
    {
        service: "servicebus-namespace",
        file: "servicebus/2026-01-01/SBAliasAuthorizationRuleListKey.json",
        operation: "listKeys",
        status: 200,
        values: ALIAS,
        partial: ALIAS_ONLY,
        emulatorDiffers: ALIAS_ONLY,
    },
    { service: "servicebus-queue", file: "servicebus/2026-01-01/SBQueueAuthorizationRuleListKey.json", operation: "listKeys", status: 200, values: SAS },
    {
        service: "servicebus-queue",
        file: "servicebus/2026-01-01/SBQueueAuthorizationRuleRegenerateKey.json",
        operation: "regenerate",
        status: 200,
        values: SAS,
    },
    { service: "servicebus-topic", file: "servicebus/2026-01-01/SBTopicAuthorizationRuleListKey.json", operation: "listKeys", status: 200, values: SAS },
    {
        service: "servicebus-topic",
        file: "servicebus/2026-01-01/SBTopicAuthorizationRuleRegenerateKey.json",
        operation: "regenerate",
        status: 200,
        values: SAS,
    },
    { service: "relay-namespace", file: "relay/2026-01-01/RelayNameSpaceAuthorizationRuleListKey.json", operation: "listKeys", status: 200, values: SAS },
    {
        service: "relay-namespace",
        file: "relay/2026-01-01/RelayNameSpaceAuthorizationRuleRegenerateKey.json",
        operation: "regenerate",
        status: 200,
        values: SAS,
    },
    {
        service: "relay-hybrid-connection",
        file: "relay/2026-01-01/RelayHybridConnectionAuthorizationRuleListKey.json",
        operation: "listKeys",
        status: 200,
        values: SAS,
    },
    {
        service: "relay-hybrid-connection",
        file: "relay/2026-01-01/RelayHybridConnectionAuthorizationRuleRegenerateKey.json",
        operation: "regenerate",
        status: 200,
        values: SAS,
    },
    { service: "relay-wcf-relay", file: "relay/2026-01-01/RelayAuthorizationRuleListKey.json", operation: "listKeys", status: 200, values: SAS },
    { service: "relay-wcf-relay", file: "relay/2021-11-01/RelayAuthorizationRuleListKey.json", operation: "listKeys", status: 200, values: SAS },
    { service: "relay-wcf-relay", file: "relay/2026-01-01/RelayAuthorizationRuleRegenerateKey.json", operation: "regenerate", status: 200, values: SAS },
    {
        service: "notificationhubs-namespace",
        file: "notificationhubs/2023-09-01/AuthorizationRuleListKeys.Namespaces.json",
        operation: "listKeys",
        status: 200,
        values: SAS,
    },
    {
        service: "notificationhubs-namespace",
        file: "notificationhubs/2023-09-01/AuthorizationRuleRegenerateKey.json",
        operation: "regenerate",
        status: 200,
        values: SAS,
    },
    {
        service: "notificationhubs-hub",
        file: "notificationhubs/2023-01-01-preview/AuthorizationRuleListKeys.NotificationHubs.json",
        operation: "listKeys",
        status: 200,
        values: SAS,
    },
    {
        service: "notificationhubs-hub",
        file: "notificationhubs/2023-09-01/AuthorizationRuleRegenerateKey.NotificationHubs.json",
        operation: "regenerate",
        status: 200,
        values: SAS,
    },
    { service: "redis", file: "redis/2024-11-01/RedisCacheListKeys.json", operation: "listKeys", status: 200, values: PAIR },
    { service: "redis", file: "redis/2024-11-01/RedisCacheRegenerateKey.json", operation: "regenerate", status: 200, values: PAIR },
    { service: "managed-redis", file: "redisenterprise/2025-07-01/RedisEnterpriseDatabasesListKeys.json", operation: "listKeys", status: 200, values: PAIR },
    { service: "managed-redis", file: "redisenterprise/2026-08-01/RedisEnterpriseDatabasesListKeys.json", operation: "listKeys", status: 200, values: PAIR },
    {
        service: "managed-redis",
        file: "redisenterprise/2025-04-01/RedisEnterpriseDatabasesRegenerateKey.json",
        operation: "regenerate",
        status: 200,
        values: PAIR,
    },
    { service: "managed-redis", file: "redisenterprise/2026-08-01/RedisEnterpriseDatabasesRegenerateKey.json", operation: "regenerate", status: 202 },
    {
        service: "cosmosdb",
        file: "cosmosdb/2025-04-15/CosmosDBDatabaseAccountListKeys.json",
        operation: "listKeys",
        status: 200,
        values: {
            primaryKey: ["primaryMasterKey"],
            secondaryKey: ["secondaryMasterKey"],
            primaryReadOnlyKey: ["primaryReadonlyMasterKey"],
            secondaryReadOnlyKey: ["secondaryReadonlyMasterKey"],
        },
    },
    { service: "cosmosdb", file: "cosmosdb/2026-03-15/CosmosDBDatabaseAccountRegenerateKey.json", operation: "regenerate", status: 200 },
    { service: "cosmosdb", file: "cosmosdb/2026-03-15/CosmosDBDatabaseAccountRegenerateKey.json", operation: "regenerate", status: 202 },
    { service: "search", file: "search/2025-05-01/SearchGetAdminKeys.json", operation: "listKeys", status: 200, values: PAIR },
    { service: "search", file: "search/2025-05-01/SearchRegenerateAdminKey.json", operation: "regenerate", status: 200, values: PAIR },
    { service: "maps", file: "maps/2023-06-01/ListKeys.json", operation: "listKeys", status: 200, values: PAIR },
    { service: "maps", file: "maps/2023-06-01/RegenerateKey.json", operation: "regenerate", status: 200, values: PAIR },
    { service: "maps", file: "maps/2026-12-01/ListKeys.json", operation: "listKeys", status: 200, values: PAIR },
    { service: "maps", file: "maps/2026-12-01/RegenerateKey.json", operation: "regenerate", status: 200, values: PAIR },
    { service: "cognitive-services", file: "cognitiveservices/2025-06-01/ListKeys.json", operation: "listKeys", status: 200, values: KEY12 },
    {
        service: "cognitive-services",
        file: "cognitiveservices/2025-06-01/RegenerateKey.json",
        operation: "regenerate",
        status: 200,
        values: KEY12,
        keyType: "Secondary",
    },
    {
        service: "app-configuration",
        file: "appconfiguration/2024-06-01/ConfigurationStoresListKeys.json",
        operation: "listKeys",
        status: 200,
        values: {
            primaryKey: ["value", 0, "value"],
            primaryConnectionString: ["value", 0, "connectionString"],
            secondaryKey: ["value", 1, "value"],
            secondaryConnectionString: ["value", 1, "connectionString"],
            primaryReadOnlyKey: ["value", 2, "value"],
            primaryReadOnlyConnectionString: ["value", 2, "connectionString"],
            secondaryReadOnlyKey: ["value", 3, "value"],
            secondaryReadOnlyConnectionString: ["value", 3, "connectionString"],
        },
        keyIds: { Primary: ["value", 0, "id"], Secondary: ["value", 1, "id"], PrimaryReadOnly: ["value", 2, "id"], SecondaryReadOnly: ["value", 3, "id"] },
    },
    {
        service: "app-configuration",
        file: "appconfiguration/2024-06-01/ConfigurationStoresRegenerateKey.json",
        operation: "regenerate",
        status: 200,
        keyType: "Primary",
        values: { primaryKey: ["value"], primaryConnectionString: ["connectionString"] },
    },
    { service: "container-registry", file: "containerregistry/2025-11-01/RegistryListCredentials.json", operation: "listKeys", status: 200, values: ACR },
    {
        service: "container-registry",
        file: "containerregistry/2025-11-01/RegistryRegenerateCredential.json",
        operation: "regenerate",
        status: 200,
        values: ACR,
    },
    {
        service: "container-registry",
        file: "containerregistry/2025-04-01/RegistryRegenerateCredential.json",
        operation: "regenerate",
        status: 200,
        values: ACR,
    },
    { service: "batch", file: "batch/2025-06-01/BatchAccountGetKeys.json", operation: "listKeys", status: 200, values: BATCH },
    { service: "batch", file: "batch/2025-06-01/BatchAccountRegenerateKey.json", operation: "regenerate", status: 200, values: BATCH },
    { service: "batch", file: "batch/2024-07-01/BatchAccountGetKeys.json", operation: "listKeys", status: 200, values: BATCH },
    { service: "batch", file: "batch/2024-07-01/BatchAccountRegenerateKey.json", operation: "regenerate", status: 200, values: BATCH },
    {
        service: "logic-apps-consumption",
        file: "logic-apps-consumption/2018-07-01-preview/Workflows_RegenerateAccessKey.json",
        operation: "regenerate",
        status: 200,
    },
    { service: "eventgrid-topic", file: "eventgrid/2025-07-15-preview/Topics_ListSharedAccessKeys.json", operation: "listKeys", status: 200, values: KEY12 },
    { service: "eventgrid-topic", file: "eventgrid/2025-07-15-preview/Topics_RegenerateKey.json", operation: "regenerate", status: 200, values: KEY12 },
    { service: "eventgrid-topic", file: "eventgrid/2025-07-15-preview/Topics_RegenerateKey.json", operation: "regenerate", status: 202 },
    { service: "eventgrid-domain", file: "eventgrid/2025-02-15/Domains_ListSharedAccessKeys.json", operation: "listKeys", status: 200, values: KEY12 },
    { service: "eventgrid-domain", file: "eventgrid/2025-02-15/Domains_RegenerateKey.json", operation: "regenerate", status: 200, values: KEY12 },
    {
        service: "eventgrid-namespace",
        file: "eventgrid/2025-07-15-preview/Namespaces_ListSharedAccessKeys.json",
        operation: "listKeys",
        status: 200,
        values: KEY12,
    },
    { service: "eventgrid-namespace", file: "eventgrid/2025-07-15-preview/Namespaces_RegenerateKey.json", operation: "regenerate", status: 200, values: KEY12 },
    { service: "eventgrid-namespace", file: "eventgrid/2025-07-15-preview/Namespaces_RegenerateKey.json", operation: "regenerate", status: 202 },
];

/**
 * The callback-URL services' examples: no key set to select, but the emulator's answers must have
 * their shape (the workflow-level listCallbackUrl of Logic Apps Consumption).
 */
export const CALLBACK_EXAMPLES: ReadonlyArray<{ service: string; file: string }> = [
    { service: "logic-apps-consumption", file: "logic-apps-consumption/2018-07-01-preview/Workflows_ListCallbackUrl.json" },
];

/** An official example file, parsed. */
export interface ExampleFile {
    parameters: Record<string, unknown>;
    responses: Record<string, { body?: unknown; headers?: Record<string, string> }>;
}

const root = join(__dirname, "..", "..", "..", "test", "fixtures", "arm-examples");

export function readExample(file: string): ExampleFile {
    return JSON.parse(readFileSync(join(root, file), "utf8")) as ExampleFile;
}

/** The value at a path, or undefined. */
export function at(body: unknown, path: JsonPath): unknown {
    let node = body;
    for (const step of path) node = node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[step] : undefined;
    return node;
}

/** Sets the value at a path (which must exist). */
export function setAt(body: unknown, path: JsonPath, value: unknown): void {
    const parent = at(body, path.slice(0, -1)) as Record<string | number, unknown>;
    parent[path[path.length - 1]] = value;
}

/**
 * The field structure of a JSON body: every leaf's path and type, arrays as `[]` (their elements'
 * structures merged). `(no body)` for an empty answer.
 */
export function shape(body: unknown): string[] {
    if (body === undefined || body === "") return ["(no body)"];
    const out = new Set<string>();
    const walk = (value: unknown, path: string) => {
        if (Array.isArray(value)) {
            if (value.length === 0) out.add(`${path}[]`);
            for (const item of value) walk(item, `${path}[]`);
        } else if (value !== null && typeof value === "object") {
            const entries = Object.entries(value);
            if (entries.length === 0) out.add(`${path}{}`);
            for (const [k, v] of entries) walk(v, path ? `${path}.${k}` : k);
        } else {
            out.add(`${path}:${value === null ? "null" : typeof value}`);
        }
    };
    walk(body, "");
    return [...out].sort();
}
