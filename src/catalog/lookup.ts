/**
 * Finding a service's entry by its ARM type, and what every entry's keys have in common. An entry's
 * module is loaded when its type is first looked up: a deployment loads the services it rotates,
 * not all thirty (a preview's start-up is most of its cost).
 */
import type { KeyRole, KeySetOutputName, KeyTypeSpec, SecretOutputName, ServiceEntry } from "./types";

export * from "./clouds";
export * from "./types";

/** Each supported ARM type, lower-cased, and where its entry is (./services has them all, in order; a test keeps the two equal). */
const LOADERS: ReadonlyArray<readonly [string, () => ServiceEntry]> = [
    ["microsoft.web/sites/workflows", () => require("./logicAppsStandard").logicAppsStandard],
    ["microsoft.communication/communicationservices", () => require("./communication").communication],
    ["microsoft.apimanagement/service/tenant", () => require("./apimTenantAccess").apimTenantAccess],
    ["microsoft.apimanagement/service/subscriptions", () => require("./apimSubscription").apimSubscription],
    ["microsoft.signalrservice/signalr", () => require("./signalr").signalr],
    ["microsoft.signalrservice/webpubsub", () => require("./webPubSub").webPubSub],
    ["microsoft.storage/storageaccounts", () => require("./storage").storage],
    ["microsoft.eventhub/namespaces/authorizationrules", () => require("./eventHubs").eventHubsNamespaceRule],
    ["microsoft.eventhub/namespaces/eventhubs/authorizationrules", () => require("./eventHubs").eventHubsEventHubRule],
    ["microsoft.servicebus/namespaces/authorizationrules", () => require("./serviceBus").serviceBusNamespaceRule],
    ["microsoft.servicebus/namespaces/queues/authorizationrules", () => require("./serviceBus").serviceBusQueueRule],
    ["microsoft.servicebus/namespaces/topics/authorizationrules", () => require("./serviceBus").serviceBusTopicRule],
    ["microsoft.relay/namespaces/authorizationrules", () => require("./relay").relayNamespaceRule],
    ["microsoft.relay/namespaces/hybridconnections/authorizationrules", () => require("./relay").relayHybridConnectionRule],
    ["microsoft.relay/namespaces/wcfrelays/authorizationrules", () => require("./relay").relayWcfRelayRule],
    ["microsoft.notificationhubs/namespaces/authorizationrules", () => require("./notificationHubs").notificationHubsNamespaceRule],
    ["microsoft.notificationhubs/namespaces/notificationhubs/authorizationrules", () => require("./notificationHubs").notificationHubsHubRule],
    ["microsoft.cache/redis", () => require("./redis").redis],
    ["microsoft.cache/redisenterprise/databases", () => require("./managedRedis").managedRedis],
    ["microsoft.documentdb/databaseaccounts", () => require("./cosmosDb").cosmosDb],
    ["microsoft.search/searchservices", () => require("./search").search],
    ["microsoft.maps/accounts", () => require("./maps").maps],
    ["microsoft.cognitiveservices/accounts", () => require("./cognitiveServices").cognitiveServices],
    ["microsoft.appconfiguration/configurationstores", () => require("./appConfiguration").appConfiguration],
    ["microsoft.containerregistry/registries", () => require("./containerRegistry").containerRegistry],
    ["microsoft.batch/batchaccounts", () => require("./batch").batch],
    ["microsoft.logic/workflows", () => require("./logicAppsConsumption").logicAppsConsumption],
    ["microsoft.eventgrid/topics", () => require("./eventGrid").eventGridTopic],
    ["microsoft.eventgrid/domains", () => require("./eventGrid").eventGridDomain],
    ["microsoft.eventgrid/namespaces", () => require("./eventGrid").eventGridNamespace],
];

const byType = new Map(LOADERS);

/** The entry for an ARM resource type (case-insensitive, as ARM types are), or undefined. Loads that entry alone. */
export function findService(resourceType: string): ServiceEntry | undefined {
    return byType.get(resourceType.toLowerCase())?.();
}

/** Every supported service (loads every entry: for messages that list them, and for tests). */
export function allServices(): readonly ServiceEntry[] {
    return (require("./services") as typeof import("./services")).CATALOG;
}

/** The key type that makes a KeyRotation alternate between a service's primary and secondary keys. */
export const ALTERNATE = "Alternate";

/** How key type names compare: case, spaces, `-` and `_` do not matter (`Primary Key` = `primarykey`). */
export function normalizeKeyTypeName(name: string): string {
    return name.toLowerCase().replace(/[\s_-]+/g, "");
}

/** The key type a user wrote (its name, wire name or an alias), or undefined. */
export function findKeyType(entry: ServiceEntry, written: string): KeyTypeSpec | undefined {
    const wanted = normalizeKeyTypeName(written);
    return entry.keyTypes.find((k) => [k.name, k.wire ?? k.name, ...(k.aliases ?? [])].some((n) => normalizeKeyTypeName(n) === wanted));
}

/** The key type named (canonical name), which must exist. */
export function keyType(entry: ServiceEntry, name: string): KeyTypeSpec {
    const found = entry.keyTypes.find((k) => k.name === name);
    if (!found) throw new Error(`${entry.title} has no key type ${name}`);
    return found;
}

/** The pairs a service alternates between, by the keyType that selects them (`Alternate`, `AlternateReadOnly`). */
export function alternatePairs(entry: ServiceEntry): Readonly<Record<string, readonly [string, string]>> {
    return "pairs" in entry.alternate ? entry.alternate.pairs : {};
}

/** The pair a keyType alternates, or undefined for a fixed key type. */
export function pairOf(entry: ServiceEntry, keyTypeName: string): readonly [string, string] | undefined {
    return alternatePairs(entry)[keyTypeName];
}

/** The operation id of the regenerate call for a key type. */
export function regenerateOperation(entry: ServiceEntry, keyTypeName: string): string {
    const op = entry.regenerate.operation;
    return typeof op === "string" ? op : op[keyTypeName];
}

/** The path suffix of the regenerate call for a key type, its wire name filled in. */
export function regeneratePath(entry: ServiceEntry, keyTypeName: string): string {
    const path = entry.regenerate.path;
    const template = typeof path === "string" ? path : path[keyTypeName];
    const spec = keyType(entry, keyTypeName);
    return template.replace("{keyType}", encodeURIComponent(spec.wire ?? spec.name));
}

/** The output-name prefix of a consumer key type: `Primary` → `primary`, `SecondaryReadOnly` → `secondaryReadOnly`. */
export function outputPrefix(keyTypeName: string): string {
    return keyTypeName.charAt(0).toLowerCase() + keyTypeName.slice(1);
}

/** Every value a service's read-back promises, required or optional, and the connection strings built from keys. */
export function keySetOutputs(entry: ServiceEntry): { required: KeySetOutputName[]; optional: KeySetOutputName[] } {
    if (entry.readKeys.kind === "callbackUrls") return { required: ["callbackUrls"], optional: [] };
    if (entry.readKeys.kind === "workflowCallbackUrl") return { required: ["callbackUrl"], optional: [] };
    const required = Object.keys(entry.readKeys.fields) as KeySetOutputName[];
    const optional = Object.keys(entry.readKeys.optionalFields ?? {}) as KeySetOutputName[];
    if (entry.connectionString) {
        for (const k of entry.keyTypes) if (k.consumer) required.push(`${outputPrefix(k.name)}ConnectionString` as SecretOutputName);
    }
    return { required, optional };
}

/**
 * The outputs one key type fills, by role (`Key`, `ConnectionString`, `AliasConnectionString`),
 * where the service has them. Empty for key types consumers never hold.
 */
export function keyOutputsOf(entry: ServiceEntry, keyTypeName: string): Partial<Record<KeyRole, SecretOutputName>> {
    const spec = entry.keyTypes.find((k) => k.name === keyTypeName);
    if (!spec?.consumer) return {};
    const { required, optional } = keySetOutputs(entry);
    const all = new Set<string>([...required, ...optional]);
    const out: Partial<Record<KeyRole, SecretOutputName>> = {};
    for (const role of ["Key", "ConnectionString", "AliasConnectionString"] as const) {
        const name = `${outputPrefix(keyTypeName)}${role}`;
        if (all.has(name)) out[role] = name as SecretOutputName;
    }
    return out;
}
