/**
 * The emulated data plane: what an application presents to the service. A credential is accepted
 * only while it holds one of the resource's current consumer keys, as the real services do, and
 * never while the resource refuses shared keys (`localAuthDisabled`):
 * - a connection string, whose key is read from the part that holds it: `AccessKey=` (SignalR,
 *   Web PubSub, Communication Services), `SharedAccessKey=` (Event Hubs, Service Bus, Relay,
 *   Notification Hubs), `AccountKey=` (Storage, Cosmos DB), `Secret=` (App Configuration) or
 *   `password=` (Redis, whose parts are separated by commas);
 * - a callback URL (Logic Apps Standard and Consumption), whose `sig` must be signed with a current
 *   access key;
 * - otherwise the key itself (API Management, AI Search, Maps, Azure OpenAI, Batch, Event Grid, a
 *   registry's admin password).
 * A regenerated key is revoked at once, so a consumer still holding it fails.
 */
import { createHmac } from "node:crypto";
import { CATALOG } from "../src/catalog";
import type { EmulatedResource } from "./state";

/** The parts of a connection string that hold its key. */
const KEY_PARTS = new Set(["accesskey", "sharedaccesskey", "accountkey", "secret", "password"]);

const consumerKeyTypes = new Map(CATALOG.map((e) => [e.service, new Set(e.keyTypes.filter((k) => k.consumer).map((k) => k.name))]));

/** The key type a credential authenticates with, or undefined when it is not valid now. */
export function authenticate(resource: EmulatedResource, credential: string): string | undefined {
    if (resource.localAuthDisabled) return undefined;
    const consumers = consumerKeyTypes.get(resource.service);
    const keys = Object.entries(resource.keys).filter(([keyType]) => consumers?.has(keyType));
    if (/^https:\/\//i.test(credential)) return callbackKeyType(keys, credential);
    const key = keyOf(credential);
    return keys.find(([, value]) => value === key)?.[0];
}

/** The key in a connection string (`Endpoint=…;SharedAccessKey=…`, `host:6380,password=…`), or the credential itself. */
function keyOf(credential: string): string {
    if (!/[;,]/.test(credential)) return credential;
    for (const part of credential.split(/[;,]/)) {
        const at = part.indexOf("=");
        if (at > 0 && KEY_PARTS.has(part.slice(0, at).trim().toLowerCase())) return part.slice(at + 1);
    }
    return "";
}

/**
 * Logic Apps: the callback URL's signature over the workflow (`/api/{workflow}/triggers/…` on
 * Standard, `/workflows/{id}/triggers/…` on Consumption) and `sp`, made with one of the keys.
 */
function callbackKeyType(keys: Array<[string, string]>, credential: string): string | undefined {
    let url: URL;
    try {
        url = new URL(credential);
    } catch {
        return undefined;
    }
    const workflow = /\/(?:api|workflows)\/([^/]+)\/triggers\//.exec(url.pathname)?.[1];
    const sp = url.searchParams.get("sp");
    const sig = url.searchParams.get("sig");
    if (!workflow || !sp || !sig) return undefined;
    return keys.find(
        ([, key]) =>
            createHmac("sha256", key)
                .update(`${decodeURIComponent(workflow)}${sp}`)
                .digest("base64url") === sig,
    )?.[0];
}
