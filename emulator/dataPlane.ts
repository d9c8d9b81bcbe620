/**
 * The emulated data plane: what an application presents to the service. A credential is accepted
 * only while it holds one of the resource's current keys, as the real services do:
 * - SignalR and Communication Services: a connection string (`AccessKey=` / `accesskey=`) or the key;
 * - API Management: the key (a subscription key, or the tenant access key);
 * - Logic Apps Standard: a callback URL, whose `sig` must be signed with a current access key.
 * A regenerated key is revoked at once, so a consumer still holding it fails.
 */
import { createHmac } from "node:crypto";
import type { EmulatedResource } from "./state";

/** The key type a credential authenticates with, or undefined when it is not valid now. */
export function authenticate(resource: EmulatedResource, credential: string): string | undefined {
    const keys = Object.entries(resource.keys).filter(([keyType]) => keyType !== "Salt");
    if (resource.service === "logic-apps-standard") return callbackKeyType(keys, credential);
    const key = accessKeyOf(credential);
    return keys.find(([, value]) => value === key)?.[0];
}

/** The key in a connection string (`Endpoint=…;AccessKey=…`), or the credential itself. */
function accessKeyOf(credential: string): string {
    if (!credential.includes(";")) return credential;
    for (const part of credential.split(";")) {
        const at = part.indexOf("=");
        if (at > 0 && part.slice(0, at).trim().toLowerCase() === "accesskey") return part.slice(at + 1);
    }
    return "";
}

/** Logic Apps: the callback URL's signature over workflow and `sp`, made with one of the keys. */
function callbackKeyType(keys: Array<[string, string]>, credential: string): string | undefined {
    let url: URL;
    try {
        url = new URL(credential);
    } catch {
        return undefined;
    }
    const workflow = /\/api\/([^/]+)\/triggers\//.exec(url.pathname)?.[1];
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
