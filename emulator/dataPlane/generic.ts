/**
 * The emulator's own data-plane endpoint, `POST /dataplane{resourceId}` with `{"credential": "…"}`,
 * on the emulator's address: whether an application holding that credential (a key, a connection
 * string, a callback URL) is let in now. 200 with the key type, or 401. The services' real
 * protocols are on their own host names (see index.ts); this one stays for the consumer
 * simulation and for services without a probe (Logic Apps, APIM subscriptions, Event Grid).
 */
import { authenticate } from "../dataPlane";
import { armError, type EmulatorResponse } from "../errors";
import type { EmulatedResource } from "../state";

/**
 * The key type `credential` authenticates with now, or undefined: it must hold a current key
 * (see ../dataPlane.ts) that is no longer propagating.
 */
export function authenticateNow(resource: EmulatedResource, credential: string, propagating: (keyType: string) => boolean): string | undefined {
    const keyType = authenticate(resource, credential);
    return keyType && !propagating(keyType) ? keyType : undefined;
}

/** Answers `POST /dataplane{resourceId}`. */
export function serveGeneric(
    resource: EmulatedResource | undefined,
    resourceId: string,
    rawBody: string,
    propagating: (keyType: string) => boolean,
): EmulatorResponse {
    if (!resource) return armError(404, "ResourceNotFound", `The resource '${resourceId}' was not found.`);
    let credential: unknown;
    try {
        credential = (JSON.parse(rawBody || "{}") as { credential?: unknown }).credential;
    } catch {
        return armError(400, "InvalidRequestContent", "The request content is not valid JSON.");
    }
    if (typeof credential !== "string" || credential === "") return armError(400, "InvalidRequestContent", 'The body must be {"credential": "..."}.');
    const keyType = authenticateNow(resource, credential, propagating);
    if (!keyType) return armError(401, "Unauthorized", "The credential does not hold a current key of this resource.");
    return { status: 200, body: { authenticated: true, keyType } };
}
