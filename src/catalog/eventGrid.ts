import { disableLocalAuth } from "./sharedKeys";
import type { NameRule, RegenerateSpec, ServiceEntry } from "./types";

/** Event Grid topics and domains (the docs' rule; the spec states none). */
const topicOrDomainName: NameRule = {
    pattern: /^[a-zA-Z0-9-]+$/,
    minLength: 3,
    maxLength: 50,
    rule: "3 to 50 letters, digits and hyphens",
};

/** `key1` / `key2`, as every Event Grid resource with keys names them. */
const keyTypes: ServiceEntry["keyTypes"] = [
    { name: "Primary", wire: "key1", consumer: true },
    { name: "Secondary", wire: "key2", consumer: true },
];

/** The regenerate of topics and namespaces: long-running (200 with both keys, or 202 with Location). */
const longRunningRegenerate = (operation: string): RegenerateSpec => ({
    operation,
    path: "/regenerateKey",
    body: { field: "keyName", value: "wire" },
    successStatus: [200, 202],
    longRunning: true,
    answer: "keySet",
});

/** The shared access keys, `key1` and `key2`, of every Event Grid resource. */
const listSharedAccessKeys = (operation: string): ServiceEntry["readKeys"] => ({
    kind: "listKeys",
    operation,
    method: "POST",
    path: "/listKeys",
    fields: { primaryKey: "key1", secondaryKey: "key2" },
});

/** No Event Grid resource has a probe. */
const noProbe: ServiceEntry["verify"] = {
    refused: "publishing an event is the only call its keys authenticate, and that is a write; Event Grid has no read-only call to prove a key",
};

/** Event Grid custom topic. The endpoint (`https://{topic}.{region}-1.eventgrid.azure.net/api/events`) is read from the topic. */
export const eventGridTopic: ServiceEntry = {
    service: "eventgrid-topic",
    title: "Event Grid topic",
    resourceType: "Microsoft.EventGrid/topics",
    idTemplate: "Microsoft.EventGrid/topics/{topicName}",
    nameRules: { topicName: topicOrDomainName },
    defaultApiVersion: "2025-02-15",
    keyTypes,
    regenerate: longRunningRegenerate("Topics_RegenerateKey"),
    readKeys: listSharedAccessKeys("Topics_ListSharedAccessKeys"),
    alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    reads: [{ operation: "Topics_Get", endpoint: "properties.endpoint", sharedKeys: disableLocalAuth }],
    verify: noProbe,
};

/** Event Grid domain: its regenerate is synchronous (200 only), unlike topics'. */
export const eventGridDomain: ServiceEntry = {
    service: "eventgrid-domain",
    title: "Event Grid domain",
    resourceType: "Microsoft.EventGrid/domains",
    idTemplate: "Microsoft.EventGrid/domains/{domainName}",
    nameRules: { domainName: topicOrDomainName },
    defaultApiVersion: "2025-02-15",
    keyTypes,
    regenerate: { ...longRunningRegenerate("Domains_RegenerateKey"), successStatus: [200], longRunning: false },
    readKeys: listSharedAccessKeys("Domains_ListSharedAccessKeys"),
    alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    reads: [{ operation: "Domains_Get", endpoint: "properties.endpoint", sharedKeys: disableLocalAuth }],
    verify: noProbe,
};

/** Event Grid namespace. The endpoint is its topics host name (`properties.topicsConfiguration.hostname`, no scheme). */
export const eventGridNamespace: ServiceEntry = {
    service: "eventgrid-namespace",
    title: "Event Grid namespace",
    resourceType: "Microsoft.EventGrid/namespaces",
    idTemplate: "Microsoft.EventGrid/namespaces/{namespaceName}",
    nameRules: { namespaceName: { pattern: /^[a-zA-Z0-9-]*$/, minLength: 3, maxLength: 50, rule: "3 to 50 letters, digits and hyphens" } },
    defaultApiVersion: "2025-02-15",
    keyTypes,
    regenerate: longRunningRegenerate("Namespaces_RegenerateKey"),
    readKeys: listSharedAccessKeys("Namespaces_ListSharedAccessKeys"),
    alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    // Namespaces have no disableLocalAuth.
    reads: [{ operation: "Namespaces_Get", endpoint: "properties.topicsConfiguration.hostname" }],
    verify: noProbe,
};
