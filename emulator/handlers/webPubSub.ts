import { armError } from "../errors";
import { signalRFamilyResource } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

const connectionString = (name: string, key: string) => `Endpoint=https://${name.toLowerCase()}.webpubsub.azure.com;AccessKey=${key};Version=1.0;`;

const keySet = ({ names, resource }: HandlerContext) => ({
    primaryKey: resource.keys.Primary,
    secondaryKey: resource.keys.Secondary,
    primaryConnectionString: connectionString(names.resourceName, resource.keys.Primary),
    secondaryConnectionString: connectionString(names.resourceName, resource.keys.Secondary),
});

/** The resource's GET (WebPubSub_Get). */
const resourceBody = (ctx: HandlerContext) => signalRFamilyResource(ctx, "WebPubSub", `${ctx.names.resourceName.toLowerCase()}.webpubsub.azure.com`);

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
