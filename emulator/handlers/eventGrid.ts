import { armError } from "../errors";
import { OTHER_RANGE } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

const apiVersions = ["2022-06-15", "2025-02-15", "2025-04-01-preview", "2025-07-15-preview"];

const keys = ({ resource }: HandlerContext) => ({ key1: resource.keys.Primary, key2: resource.keys.Secondary });

/** `{ keyName: "key1" | "key2" }`: a free string in the spec, compared as Azure compares names. */
const regenerateRequest = { body: "keyName", values: { key1: "Primary", key2: "Secondary" } };

/** Monitors as the examples spell them: `…/providers/Microsoft.EventGrid/locations/{location}/operation{Status,Results}/…`. */
const monitorPath = (ctx: HandlerContext, id: string) => {
    const [, , sub, , group] = ctx.resource.id.split("/");
    const base = `/subscriptions/${sub}/resourceGroups/${group}/providers/Microsoft.EventGrid/locations/westus`;
    return { status: `${base}/operationStatus/${id}`, result: `${base}/operationResults/${id}` };
};

const resourceBody =
    (properties: (name: string, resource: HandlerContext["resource"]) => Record<string, unknown>) =>
    ({ resource, entry }: HandlerContext) => {
        const name = resource.id.split("/").pop()!;
        return {
            id: resource.id,
            name,
            type: entry.resourceType,
            location: "westus",
            tags: {},
            properties: { provisioningState: "Succeeded", ...properties(name, resource) },
        };
    };

/** Topics_Get / Domains_Get (2025-02-15): `endpoint`, `disableLocalAuth`, and a firewall as `inboundIpRules` that leave the caller out. */
const topicProperties = (name: string, resource: HandlerContext["resource"]) => ({
    endpoint: `https://${name.toLowerCase()}.westus-1.eventgrid.azure.net/api/events`,
    inputSchema: "EventGridSchema",
    publicNetworkAccess: "Enabled",
    inboundIpRules: resource.firewall ? [{ ipMask: OTHER_RANGE, action: "Allow" }] : [],
    minimumTlsVersionAllowed: "1.2",
    disableLocalAuth: resource.localAuthDisabled,
    metricResourceId: resource.keyIds.Primary ?? name,
});

/** Event Grid topics: long-running regenerate (200, or 202 with Location), `{ key1, key2 }`. */
export const eventGridTopicHandler: ServiceHandler = {
    service: "eventgrid-topic",
    apiVersions,
    longRunning: true,
    keyFormat: "base64",
    error: armError,
    regenerateRequest,
    regenerated: (ctx) => ({ status: 200, body: keys(ctx) }),
    monitorPath,
    listKeys: (ctx) => ({ status: 200, body: keys(ctx) }),
    getOperation: "Topics_Get",
    resourceBody: resourceBody(topicProperties),
};

/** Event Grid domains: the regenerate is synchronous (200 only). */
export const eventGridDomainHandler: ServiceHandler = {
    ...eventGridTopicHandler,
    service: "eventgrid-domain",
    longRunning: false,
    monitorPath: undefined,
    getOperation: "Domains_Get",
};

/**
 * Event Grid namespaces: long-running regenerate (final state via Location); the endpoint is the
 * topics host name. Namespaces have no `disableLocalAuth` in any version (only partner namespaces
 * do), so createResource refuses `localAuthDisabled` for one.
 */
export const eventGridNamespaceHandler: ServiceHandler = {
    ...eventGridTopicHandler,
    service: "eventgrid-namespace",
    getOperation: "Namespaces_Get",
    resourceBody: resourceBody((name, resource) => ({
        topicsConfiguration: { hostname: `${name.toLowerCase()}.westus-1.eventgrid.azure.net` },
        publicNetworkAccess: "Enabled",
        inboundIpRules: resource.firewall ? [{ ipMask: OTHER_RANGE, action: "Allow" }] : [],
        minimumTlsVersionAllowed: "1.2",
    })),
    noLocalAuthSwitch: "Event Grid namespaces have no disableLocalAuth (only topics, domains and partner namespaces do)",
};
