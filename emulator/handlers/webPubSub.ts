import { armError } from "../errors";
import { armResource } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

const connectionString = (name: string, key: string) => `Endpoint=https://${name.toLowerCase()}.webpubsub.azure.com;AccessKey=${key};Version=1.0;`;

const keySet = ({ names, resource }: HandlerContext) => ({
    primaryKey: resource.keys.Primary,
    secondaryKey: resource.keys.Secondary,
    primaryConnectionString: connectionString(names.resourceName, resource.keys.Primary),
    secondaryConnectionString: connectionString(names.resourceName, resource.keys.Secondary),
});

/**
 * The resource's GET (WebPubSub_Get), in the 2024-03-01 example's shape: `hostName`, `disableLocalAuth`,
 * and a firewall as `networkACLs` whose default is Deny and whose public network allows nothing.
 */
function resourceBody(ctx: HandlerContext) {
    const { resource, names } = ctx;
    const deny = !!resource.firewall;
    return armResource(ctx, {
        sku: { name: "Standard_S1", tier: "Standard", size: "S1", capacity: 1 },
        kind: "WebPubSub",
        properties: {
            provisioningState: "Succeeded",
            externalIP: "10.0.0.1",
            hostName: `${names.resourceName.toLowerCase()}.webpubsub.azure.com`,
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

/**
 * Azure Web PubSub: long-running regenerate (final state via Location). The official 2024-03-01
 * example answers `{}` to both the 200 and the 202, whatever the spec declares; so does this.
 */
export const webPubSubHandler: ServiceHandler = {
    service: "web-pubsub",
    apiVersions: ["2021-10-01", "2023-02-01", "2024-03-01", "2025-01-01-preview"],
    longRunning: true,
    keyFormat: "base64",
    error: armError,
    regenerateRequest: { body: "keyType", values: { Primary: "Primary", Secondary: "Secondary", Salt: "Salt" } },
    regenerated: () => ({ status: 200, body: {} }),
    accepted: () => ({}),
    getOperation: "WebPubSub_Get",
    resourceBody,
    listKeys: (ctx) => ({ status: 200, body: keySet(ctx) }),
};
