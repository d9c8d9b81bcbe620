/**
 * The SAS authorization rules of Event Hubs, Service Bus, Relay and Notification Hubs, as their
 * specs and examples show them: `AccessKeys` / `ResourceListKeys` bodies with both keys, both
 * connection strings (`Endpoint=sb://{namespace}.servicebus.windows.net/;…`, with `EntityPath` for
 * event hubs, queues, topics and notification hubs, none for Relay's entities), `keyName`, and for
 * Event Hubs and Service Bus namespaces paired with a Geo-DR alias, the alias's connection strings.
 */
import { armError } from "../errors";
import { CREATED, perCloud } from "./bodies";
import type { HandlerContext, ParentContext, ParentResource, RegenerateRequest, ServiceHandler } from "./types";

/** The namespaces the rules live in: their provider and how their GET looks. */
export type SasProvider = "Microsoft.ServiceBus" | "Microsoft.EventHub" | "Microsoft.Relay" | "Microsoft.NotificationHubs";

/** How one form of rule is served: its names in the path, and the answer's extras. */
export interface SasRuleForm {
    service: string;
    provider: SasProvider;
    /** The spec's operation id of the rule's GET, e.g. `Queues_GetAuthorizationRule`. */
    getOperation: string;
    apiVersions: readonly string[];
    /** The regenerate body: `keyType` or `policyKey`; Service Bus' enum is not a string model, so its values are case-sensitive. */
    regenerateRequest: RegenerateRequest;
    /** The path name of the entity whose name is the connection strings' `EntityPath`, if any. */
    entityPath?: string;
    /** Event Hubs and Service Bus: alias connection strings when the namespace has a Geo-DR alias. */
    geoDr: boolean;
}

const connectionString = (host: string, rule: string, key: string, entity?: string) =>
    `Endpoint=sb://${host.toLowerCase()}.servicebus.windows.net/;SharedAccessKeyName=${rule};SharedAccessKey=${key}${entity ? `;EntityPath=${entity}` : ""}`;

/** The key set, in the order the 2026-01-01 examples list it. */
function accessKeys(form: SasRuleForm, { names, resource }: HandlerContext) {
    const { namespaceName, authorizationRuleName: rule } = names;
    const entity = form.entityPath ? names[form.entityPath] : undefined;
    const body: Record<string, string> = {
        keyName: rule,
        primaryConnectionString: connectionString(namespaceName, rule, resource.keys.Primary, entity),
        primaryKey: resource.keys.Primary,
        secondaryConnectionString: connectionString(namespaceName, rule, resource.keys.Secondary, entity),
        secondaryKey: resource.keys.Secondary,
    };
    if (form.geoDr && resource.geoDrAlias) {
        body.aliasPrimaryConnectionString = connectionString(resource.geoDrAlias, rule, resource.keys.Primary, entity);
        body.aliasSecondaryConnectionString = connectionString(resource.geoDrAlias, rule, resource.keys.Secondary, entity);
    }
    return body;
}

/** Only Service Bus and Event Hubs namespaces have `disableLocalAuth`; Relay and Notification Hubs have no such setting in any version. */
const HAS_LOCAL_AUTH_SWITCH = new Set<SasProvider>(["Microsoft.ServiceBus", "Microsoft.EventHub"]);

/**
 * The namespace's GET (`Namespaces_Get`), in the shape of each service's official example
 * (SBNameSpaceGet.json, EHNameSpaceGet.json, RelayNameSpaceGet.json, NotificationHubs
 * Namespaces/Get.json): `serviceBusEndpoint` (`https://{namespace}.servicebus.windows.net:443/`),
 * and for Service Bus and Event Hubs `disableLocalAuth`, the switch for every rule of the
 * namespace: true when any emulated rule under it was created with `localAuthDisabled`. Network
 * rules are a child resource (networkRuleSets), not in this body.
 */
function namespaceBody(provider: SasProvider, ctx: ParentContext) {
    const { id, names, children } = ctx;
    const namespace = names.namespaceName;
    const suffix = perCloud(ctx, { public: "servicebus.windows.net", usgov: "servicebus.usgovcloudapi.net", china: "servicebus.chinacloudapi.cn" });
    const endpoint = `https://${namespace.toLowerCase()}.${suffix}:443/`;
    const common = { provisioningState: "Succeeded", createdAt: CREATED, updatedAt: CREATED, serviceBusEndpoint: endpoint, publicNetworkAccess: "Enabled" };
    const localAuth = HAS_LOCAL_AUTH_SWITCH.has(provider) ? { disableLocalAuth: children.some((r) => r.localAuthDisabled) } : {};
    const metricId = `${id.split("/")[2]}:${namespace.toLowerCase()}`;
    switch (provider) {
        case "Microsoft.ServiceBus":
            return {
                sku: { name: "Standard", tier: "Standard" },
                id,
                name: namespace,
                type: "Microsoft.ServiceBus/Namespaces",
                location: "West US",
                tags: {},
                properties: { ...common, minimumTlsVersion: "1.2", ...localAuth, zoneRedundant: false, status: "Active", metricId },
            };
        case "Microsoft.EventHub":
            return {
                sku: { name: "Standard", tier: "Standard", capacity: 1 },
                id,
                name: namespace,
                type: "Microsoft.EventHub/Namespaces",
                location: "West US",
                tags: {},
                properties: {
                    ...common,
                    minimumTlsVersion: "1.2",
                    ...localAuth,
                    isAutoInflateEnabled: false,
                    maximumThroughputUnits: 0,
                    kafkaEnabled: true,
                    zoneRedundant: false,
                    status: "Active",
                    metricId,
                },
            };
        case "Microsoft.Relay":
            return {
                sku: { name: "Standard", tier: "Standard" },
                id,
                name: namespace,
                type: "Microsoft.Relay/Namespaces",
                location: "West US",
                tags: {},
                properties: { ...common, minimumTlsVersion: "1.2", status: "Active", metricId },
            };
        case "Microsoft.NotificationHubs":
            return {
                sku: { name: "Standard", tier: "Standard" },
                id,
                name: namespace,
                type: "Microsoft.NotificationHubs/namespaces",
                location: "westus",
                tags: {},
                properties: {
                    ...common,
                    name: namespace,
                    status: "Created",
                    enabled: true,
                    critical: false,
                    namespaceType: "NotificationHub",
                    replicationRegion: "None",
                    zoneRedundancy: "Disabled",
                },
            };
    }
}

/** The namespace a rule lives in: its GET, served while a rule under it is emulated. */
function namespaceParent(provider: SasProvider): ParentResource {
    return { idTemplate: `${provider}/namespaces/{namespaceName}`, operation: "Namespaces_Get", body: (ctx) => namespaceBody(provider, ctx) };
}

/** The handler of one form of SAS rule: regenerate and listKeys both answer 200 with the full key set. */
export function sasRuleHandler(form: SasRuleForm): ServiceHandler {
    return {
        service: form.service,
        apiVersions: form.apiVersions,
        longRunning: false,
        keyFormat: "base64",
        error: armError,
        regenerateRequest: form.regenerateRequest,
        regenerated: (ctx) => ({ status: 200, body: accessKeys(form, ctx) }),
        listKeys: (ctx) => ({ status: 200, body: accessKeys(form, ctx) }),
        getOperation: form.getOperation,
        // The rule's own GET (`…_GetAuthorizationRule`): its rights.
        resourceBody: ({ resource, names, entry }) => ({
            id: resource.id,
            name: names.authorizationRuleName,
            type: entry.resourceType,
            location: form.provider === "Microsoft.NotificationHubs" ? "westus" : "West US",
            properties: { rights: resource.rights ?? [] },
        }),
        parents: [namespaceParent(form.provider)],
        noLocalAuthSwitch: HAS_LOCAL_AUTH_SWITCH.has(form.provider)
            ? undefined
            : `${form.provider.split(".")[1]} namespaces have no disableLocalAuth (or any setting that turns SAS keys off) in any api-version`,
    };
}

/** `{ keyType: "PrimaryKey" | "SecondaryKey" }`: Event Hubs, Service Bus and Relay. */
export const keyTypeBody = (caseSensitive: boolean): RegenerateRequest => ({
    body: "keyType",
    values: { PrimaryKey: "Primary", SecondaryKey: "Secondary" },
    caseSensitive,
});
