/**
 * What the resource GET bodies share: the cloud an ARM host belongs to (data-plane host names
 * follow it), api-version comparisons (a property exists from the version that introduced it),
 * times, and how a firewall that shuts the caller out shows in network rules.
 */
import type { EmulatedResource } from "../state";
import type { HandlerContext } from "./types";

/** The cloud whose ARM host a request reached: the emulator's own address answers as the public cloud. */
export type CloudName = "public" | "usgov" | "china";

export function cloudOf(base: string): CloudName {
    const host = base
        .replace(/^https:\/\//, "")
        .replace(/:\d+$/, "")
        .toLowerCase();
    if (host === "management.usgovcloudapi.net" || host.endsWith(".management.usgovcloudapi.net")) return "usgov";
    if (host === "management.chinacloudapi.cn" || host.endsWith(".management.chinacloudapi.cn")) return "china";
    return "public";
}

/** A value per cloud, picked for the cloud of the request. */
export function perCloud<T>(ctx: { base: string }, values: Record<CloudName, T>): T {
    return values[cloudOf(ctx.base)];
}

/** Whether the request's api-version is `version` or later (dates compare as strings; a `-preview` suffix sorts after its date). */
export function atLeast(ctx: { query: URLSearchParams }, version: string): boolean {
    return (ctx.query.get("api-version") ?? "") >= version;
}

/** The resource's last path segment. */
export function nameOf(resource: EmulatedResource): string {
    return resource.id.split("/").pop()!;
}

/** When the emulated resources were created: a fixed time, as the examples have one. */
export const CREATED = "2026-01-05T09:30:00.0000000Z";

/** When a key was generated, ISO-8601 (the creation time for the keys the resource was created with). */
export function generated(resource: EmulatedResource, keyType: string): string {
    const at = resource.generatedAt[keyType];
    return at ? new Date(at).toISOString() : CREATED;
}

/**
 * An address range that is not the caller's (TEST-NET-3, RFC 5737): what a firewall that shuts the
 * caller out lets in instead.
 */
export const OTHER_RANGE = "203.0.113.0/24";

/** The generic parts of an ARM resource: id, name, type, location, then the rest. */
export function armResource(ctx: HandlerContext, rest: Record<string, unknown>, location = "westus") {
    return { id: ctx.resource.id, name: nameOf(ctx.resource), type: ctx.entry.resourceType, location, tags: {}, ...rest };
}

/**
 * The GET of a SignalR or Web PubSub resource (SignalR_Get, WebPubSub_Get), in their 2024-03-01
 * examples' shape, which the two services share: `hostName`, `disableLocalAuth`, and a firewall as
 * `networkACLs` whose default is Deny and whose public network allows nothing.
 */
export function signalRFamilyResource(ctx: HandlerContext, kind: "SignalR" | "WebPubSub", hostName: string) {
    const { resource, names } = ctx;
    const deny = !!resource.firewall;
    return armResource(ctx, {
        sku: { name: "Standard_S1", tier: "Standard", size: "S1", capacity: 1 },
        kind,
        properties: {
            provisioningState: "Succeeded",
            externalIP: "10.0.0.1",
            hostName,
            publicPort: 443,
            serverPort: 443,
            version: "1.0",
            privateEndpointConnections: [],
            sharedPrivateLinkResources: [],
            tls: { clientCertEnabled: false },
            hostNamePrefix: names.resourceName.toLowerCase(),
            networkACLs: {
                defaultAction: deny ? "Deny" : "Allow",
                publicNetwork: { allow: deny ? [] : ["ServerConnection", "ClientConnection", "RESTAPI", "Trace"] },
                privateEndpoints: [],
            },
            publicNetworkAccess: "Enabled",
            disableLocalAuth: resource.localAuthDisabled,
            disableAadAuth: false,
        },
    });
}
