/**
 * What every data-plane module sees of a request, and what it decides. The modules check each
 * service's own authentication scheme, written from the services' documentation and the official
 * SDKs' wire behaviour (never from the package's own signers), so a wrong signer fails here.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { EmulatedResource } from "../state";

/** One HTTPS request to a service host, as it arrived. */
export interface DataPlaneRequest {
    /** Upper-case method. */
    method: string;
    /** The Host header exactly as sent, e.g. `acct.blob.core.windows.net` (signatures cover it). */
    host: string;
    /** The request target exactly as sent: raw path and query. */
    target: string;
    /** `https://{host}{target}`, parsed. */
    url: URL;
    headers: IncomingHttpHeaders;
    body: string;
    /** The emulator's clock (ms since the epoch). */
    now: number;
}

/** A key a resource accepts now: current, and older than the resource's propagation delay. */
export interface UsableKey {
    resource: EmulatedResource;
    keyType: string;
    value: string;
}

/** The resources a service host name belongs to, and the keys each accepts now. */
export interface DataPlaneTarget {
    /** The service this host belongs to, e.g. `storage` (for the request log). */
    service: string;
    /** The name the host carries (`{account}` of `{account}.blob.core.windows.net`); empty for shared hosts (Maps). */
    name: string;
    /** The cloud's host name suffix the request used, e.g. `blob.core.windows.net`. */
    suffix: string;
    resources: EmulatedResource[];
    /** The keys `resource` accepts now (none while it refuses shared keys). */
    keys(resource: EmulatedResource): UsableKey[];
    /** Every key of every resource of this host that is accepted now. */
    allKeys(): UsableKey[];
}

/** A verifier's decision: the key that signed the request, or why it is refused (the service's own words where known). */
export type Verdict = { ok: true; key: UsableKey } | { ok: false; reason: string };

/** The first value of a header, or undefined. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
}

/** Whether an RFC 1123 date (`Tue, 01 Dec 2026 02:24:19 GMT`) is within `windowMs` of `now`; the services allow 15 minutes. */
export function dateWithin(value: string | undefined, now: number, windowMs = 15 * 60_000): "ok" | "missing" | "invalid" | "stale" {
    if (!value) return "missing";
    const at = Date.parse(value);
    if (Number.isNaN(at)) return "invalid";
    return Math.abs(now - at) <= windowMs ? "ok" : "stale";
}

/** Constant-time comparison of two strings. */
export function same(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    if (x.length !== y.length) return false;
    let diff = 0;
    for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
    return diff === 0;
}

/** A key's bytes where the scheme base64-decodes it (Storage, Batch, App Configuration, ACS, Cosmos). */
export function decodedKey(key: string): Buffer {
    return Buffer.from(key, "base64");
}
