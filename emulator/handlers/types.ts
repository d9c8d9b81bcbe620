import type { ServiceEntry } from "../../src/catalog";
import type { EmulatorResponse } from "../errors";
import type { EmulatedResource } from "../state";

/** What a handler sees of one request. */
export interface HandlerContext {
    entry: ServiceEntry;
    resource: EmulatedResource;
    /** Template placeholder → value, from the request path. */
    names: Record<string, string>;
    query: URLSearchParams;
    /** The request path, without the query. */
    path: string;
    /** The emulator's base URL, e.g. https://127.0.0.1:8443. */
    base: string;
}

/**
 * One emulated service: its api-versions, key format, error shape and the bodies it answers with.
 * The generic parts (routing, auth, api-version, busy resources, long-running operations) live in routes.ts.
 */
export interface ServiceHandler {
    readonly service: string;
    readonly apiVersions: readonly string[];
    readonly keyFormat: "base64" | "hex";
    /** Builds an error body in this service's shape. */
    readonly error: (status: number, code: string, message: string) => EmulatorResponse;
    /** The answer to a regenerate that completed synchronously. */
    regenerated(ctx: HandlerContext, keyType: string): EmulatorResponse;
    /** The answer to the key read-back (listKeys / listSecrets). */
    listKeys?(ctx: HandlerContext): EmulatorResponse;
    /** Logic Apps: the trigger list and one trigger's callback URL. */
    listTriggers?(ctx: HandlerContext, pageSize: number): EmulatorResponse;
    callbackUrl?(ctx: HandlerContext, triggerName: string): EmulatorResponse;
    /** The key type a regenerate actually renews (Logic Apps' NotSpecified means Primary). */
    effectiveKeyType?(keyType: string): string;
}
