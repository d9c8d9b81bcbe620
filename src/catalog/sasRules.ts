/**
 * What the shared access (SAS) authorization rules of Event Hubs, Service Bus, Relay and
 * Notification Hubs have in common: a PrimaryKey / SecondaryKey pair, regenerated one at a time
 * with `POST …/regenerateKeys` (200 with the rule's full key set and connection strings, not
 * long-running) and read with `POST …/listKeys`. Each form (namespace, queue, hub, …) has its own
 * operation ids; the entries in eventHubs.ts, serviceBus.ts, relay.ts and notificationHubs.ts say
 * which.
 */
import { disableLocalAuth } from "./sharedKeys";
import type { KeyTypeSpec, NameRule, ProbeSpec, ResourceRead, ServiceEntry } from "./types";

/** The pair every SAS rule has; the service spells them `PrimaryKey` / `SecondaryKey` (Notification Hubs' docs: `Primary Key`). */
export const sasRuleKeyTypes: readonly KeyTypeSpec[] = [
    { name: "Primary", wire: "PrimaryKey", consumer: true },
    { name: "Secondary", wire: "SecondaryKey", consumer: true },
];

/** The key operations of one form of rule, by their operation-id prefix (`Namespaces`, `Queues`, `HybridConnections`, …). */
export function sasRuleKeys(
    operationPrefix: string,
    options: {
        /** The regenerate body's field: `keyType` (Event Hubs, Service Bus, Relay) or `policyKey` (Notification Hubs). */
        bodyField: "keyType" | "policyKey";
        /** Event Hubs and Service Bus: the Geo-DR alias's connection strings, present only when the namespace is paired. */
        aliasConnectionStrings: boolean;
    },
): Pick<ServiceEntry, "keyTypes" | "userSetKeys" | "regenerate" | "readKeys" | "alternate"> {
    return {
        keyTypes: sasRuleKeyTypes,
        // A rule's regenerate takes a `key` of the caller's own.
        userSetKeys: true,
        regenerate: {
            operation: `${operationPrefix}_RegenerateKeys`,
            path: "/regenerateKeys",
            body: { field: options.bodyField, value: "wire" },
            successStatus: [200],
            longRunning: false,
            answer: "keySet",
        },
        readKeys: {
            kind: "listKeys",
            operation: `${operationPrefix}_ListKeys`,
            method: "POST",
            path: "/listKeys",
            fields: {
                primaryKey: "primaryKey",
                secondaryKey: "secondaryKey",
                primaryConnectionString: "primaryConnectionString",
                secondaryConnectionString: "secondaryConnectionString",
            },
            optionalFields: options.aliasConnectionStrings
                ? { primaryAliasConnectionString: "aliasPrimaryConnectionString", secondaryAliasConnectionString: "aliasSecondaryConnectionString" }
                : undefined,
        },
        alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    };
}

/**
 * Event Hubs, Service Bus and Relay namespaces (the docs' rule; Event Hubs' spec pattern would
 * demand 8 characters, which refuses namespaces the docs and the portal allow).
 */
export const messagingNamespaceName: NameRule = {
    pattern: /^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$/,
    minLength: 6,
    maxLength: 50,
    rule: "6 to 50 letters, digits and hyphens, starting with a letter and ending with a letter or digit",
};

/** Authorization rule names of Event Hubs, Service Bus and Relay. */
export const sasRuleName: NameRule = {
    pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9._-]*[a-zA-Z0-9])?$/,
    minLength: 1,
    maxLength: 50,
    rule: "1 to 50 letters, digits, periods, hyphens and underscores, starting and ending with a letter or digit",
};

/**
 * An entity (queue, topic, event hub, hybrid connection, WCF relay) name. Service Bus and Relay
 * allow `/` in nested entity names, but a name with `/` cannot be a segment of an ARM id.
 */
export function entityName(maxLength: number): NameRule {
    return {
        pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9._-]*[a-zA-Z0-9])?$/,
        minLength: 1,
        maxLength,
        rule: `1 to ${maxLength} letters, digits, periods, hyphens and underscores, starting and ending with a letter or digit`,
    };
}

/**
 * The probe of a SAS rule: a GET of the namespace's information, or of the entity the rule belongs
 * to, with a SAS token the rule signs. A rule without Manage rights is refused with 401 "claim(s)
 * are required" after its signature was checked, which proves the key as well as a 200 does (a
 * Send-only rule has no read-only call of its own). `entity` is the path template of the entity.
 */
export function sasProbe(entity?: string, request: { path: string; accepts: readonly number[] } = { path: "?api-version=2021-05", accepts: [200] }): ProbeSpec {
    const resource = `https://{namespaceName}.{cloud:serviceBus}/${entity ?? ""}`;
    return {
        scheme: "sbSas",
        requests: [
            {
                method: "GET",
                url: `${entity ? resource : `${resource}$namespaceinfo`}${request.path}`,
                accepts: request.accepts,
                acceptsRefusal: { status: 401, body: /claim/i },
            },
        ],
        // Service Bus and Event Hubs with disableLocalAuth (Relay and Notification Hubs have no such setting).
        sharedKeysOff: /LocalAuthDisabled/,
        params: { resource, rule: "{authorizationRuleName}" },
    };
}

/**
 * Service Bus and Event Hubs: shared keys are turned off on the namespace (`disableLocalAuth`), for
 * every rule in it, its queues', topics' and event hubs' too. Relay and Notification Hubs have no
 * such setting.
 */
export function namespaceRead(provider: "Microsoft.ServiceBus" | "Microsoft.EventHub"): readonly ResourceRead[] {
    return [{ operation: "Namespaces_Get", resource: `${provider}/namespaces/{namespaceName}`, sharedKeys: disableLocalAuth }];
}
