/**
 * Faults the emulator injects into the next requests that match, for tests and rehearsals: errors,
 * dropped connections, slowness, silence, long-running operations that fail or never end, and
 * answers tampered with after the real work was done (short or odd bodies, hostile links, huge bodies).
 */
import type { EmulatorResponse } from "./errors";

/** How an answer is altered after the service did its work (the regenerate happened). */
export type Tamper =
    /** The body replaced: nothing, an HTML page, text that is not JSON, or 8 MiB of JSON. */
    | { body: "empty" | "html" | "notJson" | "huge" }
    /** One of the keys in the body removed (a short answer: only one key of the pair). */
    | { body: "partial" }
    /** The body replaced with this JSON. */
    | { json: unknown }
    /** Headers set (or, with null, removed), whatever their case: hostile Location / Azure-AsyncOperation. */
    | { headers: Readonly<Record<string, string | null>> }
    /** The list's nextLink replaced (a hostile or looping link). */
    | { nextLink: string }
    /**
     * The status replaced and the body dropped, the work done all the same: e.g. `{ status: 202 }`
     * on a regenerate its spec calls synchronous, a 202 with no monitor although the key changed.
     * Monitor headers the answer had (Location, Azure-AsyncOperation) are removed too.
     */
    | { status: number }
    /**
     * The monitor URLs (Azure-AsyncOperation, Location) moved to another origin, path and query
     * kept: e.g. `https://centraluseuap.management.azure.com`, a regional ARM host (which the
     * emulator serves as ARM through its proxy), as the official Cosmos DB example's 202 has it.
     */
    | { monitorOrigin: string }
    /** Any change, from code. */
    | { transform: (response: EmulatorResponse) => EmulatorResponse };

/** What a fault does to the requests it matches. */
export type FaultEffect =
    | { status: number; retryAfterSeconds?: number; code?: string; message?: string }
    /** The connection is closed without an answer. */
    | { drop: true }
    /** The answer comes this late. */
    | { delayMs: number }
    /** The request is accepted and never answered (a silent token endpoint, a hung gateway). */
    | { hang: true }
    /** Ends the long-running operation being polled as Failed (with this error) or Canceled; its key stays as it was. */
    | { operationEnds: "Failed" | "Canceled"; code?: string; message?: string }
    /** The regenerate's long-running operation never ends: every poll says InProgress. */
    | { operationNeverEnds: true }
    /**
     * A key read-back (listKeys, listSecrets, listCredentials, a Logic Apps callback URL) answers
     * the key set as it was before the last regenerate, as a replica that lags behind would.
     */
    | { stale: true }
    | { tamper: Tamper };

/** Which requests a fault hits: by operation id (e.g. "SignalR_ListKeys", "Token") and/or path fragment, method, host. */
export interface FaultMatch {
    /** An operation id, case-insensitive: an ARM operation (`SignalR_ListKeys`), `Token`, `OpenIdConfiguration`, `OperationStatus`, ... */
    operation?: string;
    /** An HTTP method, e.g. `POST`. */
    method?: string;
    /** A fragment the request's path contains, case-insensitive. */
    pathIncludes?: string;
    /** The host the client called (a cloud's host name through the proxy), case-insensitive. */
    host?: string;
}

/** A fault: which requests it matches, what it does to them, and how many it hits. */
export type Fault = FaultMatch &
    FaultEffect & {
        /** How many matching requests it hits (default 1). */
        count?: number;
        /** How many matching requests it lets through first (default 0): `skip: 1` on a list-keys hits the read after the one a rotation makes before its regenerate. */
        skip?: number;
    };

interface ActiveFault {
    fault: Fault;
    remaining: number;
    skip: number;
}

/** Faults for the next N matching requests, consumed in the order they were added. */
export class FaultInjector {
    private faults: ActiveFault[] = [];

    /** Adds a fault after those already waiting. */
    add(fault: Fault): void {
        this.faults.push({ fault, remaining: fault.count ?? 1, skip: fault.skip ?? 0 });
    }

    /** Removes every waiting fault. */
    clear(): void {
        this.faults = [];
    }

    /** The fault for this request, if any, consuming one of its hits. */
    take(method: string, path: string, operation: string, host = ""): Fault | undefined {
        const active = this.faults.find(
            ({ fault, remaining }) =>
                remaining > 0 &&
                (!fault.operation || fault.operation.toLowerCase() === operation.toLowerCase()) &&
                (!fault.method || fault.method.toUpperCase() === method) &&
                (!fault.host || fault.host.toLowerCase() === host.toLowerCase()) &&
                (!fault.pathIncludes || path.toLowerCase().includes(fault.pathIncludes.toLowerCase())),
        );
        if (!active) return undefined;
        if (active.skip > 0) {
            active.skip--;
            return undefined;
        }
        active.remaining--;
        this.faults = this.faults.filter((f) => f.remaining > 0);
        return active.fault;
    }

    /** How many hits the waiting faults have left. */
    get pending(): number {
        return this.faults.reduce((n, f) => n + f.remaining, 0);
    }
}

const HUGE_BYTES = 8 * 1024 * 1024;

/** The headers that name a long-running operation's monitors. */
const MONITORS = new Set(["location", "azure-asyncoperation"]);

/**
 * Applies a tamper to an answer. `secrets` are the resource's current keys: `partial` removes the
 * value of the last one found in the body, wherever it is.
 */
export function tamper(response: EmulatorResponse, how: Tamper, secrets: readonly string[]): EmulatorResponse {
    if ("transform" in how) return how.transform(response);
    if ("json" in how) return { ...response, body: how.json, rawBody: undefined };
    if ("headers" in how) {
        const headers: Record<string, string> = {};
        const removed = new Set(Object.keys(how.headers).map((h) => h.toLowerCase()));
        for (const [k, v] of Object.entries(response.headers ?? {})) if (!removed.has(k.toLowerCase())) headers[k] = v;
        for (const [k, v] of Object.entries(how.headers)) if (v !== null) headers[k] = v;
        return { ...response, headers };
    }
    if ("nextLink" in how) return { ...response, body: { ...(response.body as object), nextLink: how.nextLink } };
    if ("status" in how) {
        const headers = Object.fromEntries(Object.entries(response.headers ?? {}).filter(([k]) => !MONITORS.has(k.toLowerCase())));
        return { status: how.status, headers, rawBody: "" };
    }
    if ("monitorOrigin" in how) {
        const origin = new URL(how.monitorOrigin).origin;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(response.headers ?? {})) {
            if (!MONITORS.has(k.toLowerCase())) headers[k] = v;
            else {
                const url = new URL(v);
                headers[k] = `${origin}${url.pathname}${url.search}`;
            }
        }
        return { ...response, headers };
    }
    switch (how.body) {
        case "empty":
            return { ...response, body: undefined, rawBody: "" };
        case "html":
            return { ...response, body: undefined, rawBody: "<!DOCTYPE html><html><body><h1>Service Unavailable</h1></body></html>", contentType: "text/html" };
        case "notJson":
            return { ...response, body: undefined, rawBody: "upstream connect error or disconnect/reset before headers", contentType: "text/plain" };
        case "huge":
            return { ...response, body: undefined, rawBody: Buffer.alloc(HUGE_BYTES, " "), contentType: "application/json" };
        case "partial":
            return { ...response, body: withoutLastSecret(response.body, secrets) };
    }
}

function withoutLastSecret(body: unknown, secrets: readonly string[]): unknown {
    const copy = JSON.parse(JSON.stringify(body ?? {})) as unknown;
    let last: { parent: Record<string, unknown>; key: string } | undefined;
    const walk = (node: unknown) => {
        if (!node || typeof node !== "object") return;
        for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
            if (typeof value === "string" && secrets.includes(value)) last = { parent: node as Record<string, unknown>, key };
            else walk(value);
        }
    };
    walk(copy);
    if (last) delete last.parent[last.key];
    return copy;
}
