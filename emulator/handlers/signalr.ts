import { armError } from "../errors";
import { signalRFamilyResource } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

const connectionString = (name: string, key: string) => `Endpoint=https://${name}.service.signalr.net;AccessKey=${key};Version=1.0;`;

const keySet = ({ names }: HandlerContext, keys: Record<string, string>) => ({
    primaryKey: keys.Primary,
    secondaryKey: keys.Secondary,
    primaryConnectionString: connectionString(names.resourceName, keys.Primary),
    secondaryConnectionString: connectionString(names.resourceName, keys.Secondary),
});

/** The resource's GET (SignalR_Get). */
const resourceBody = (ctx: HandlerContext) => signalRFamilyResource(ctx, "SignalR", `${ctx.names.resourceName.toLowerCase()}.service.signalr.net`);

/**
 * Azure SignalR Service. As recorded against Azure: the regenerate answers 202 with the new key set
 * in its body, Azure-AsyncOperation and Location (poll URLs that spell the type `SignalR`), no
 * Retry-After; the final Location GET is 200 with an empty body.
 */
export const signalrHandler: ServiceHandler = {
    service: "signalr",
    apiVersions: [
        "2023-02-01",
        "2023-03-01-preview",
        "2023-06-01-preview",
        "2023-08-01-preview",
        "2024-01-01-preview",
        "2024-03-01",
        "2024-04-01-preview",
        "2024-08-01-preview",
        "2024-10-01-preview",
        "2025-01-01-preview",
    ],
    longRunning: true,
    keyFormat: "base64",
    error: armError,
    regenerateRequest: { body: "keyType", values: { Primary: "Primary", Secondary: "Secondary", Salt: "Salt" } },
    // Only reached when the emulator runs operations synchronously (2024-03-01 may answer 200): the key set, as the 202 has.
    regenerated: (ctx) => ({ status: 200, body: keySet(ctx, ctx.resource.keys) }),
    accepted: (ctx, _keyType, keysWhenDone) => keySet(ctx, keysWhenDone),
    monitorPath: (ctx, id) => {
        const [, , sub, , group] = ctx.resource.id.split("/");
        const base = `/subscriptions/${sub}/resourcegroups/${group}/providers/Microsoft.SignalRService/SignalR/${ctx.names.resourceName}`;
        return { status: `${base}/operationStatuses/${id}`, result: `${base}/operationResults/${id}` };
    },
    getOperation: "SignalR_Get",
    resourceBody,
    listKeys: (ctx) => ({ status: 200, body: keySet(ctx, ctx.resource.keys) }),
};
