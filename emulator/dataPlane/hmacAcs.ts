/**
 * Communication Services: HMAC-SHA256 request signing. `x-ms-date` (or `Date`), `x-ms-content-sha256`
 * (base64 SHA-256 of the body) and `Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=…`
 * over `VERB\npathAndQuery\n{signed header values joined by ";"}`, the key base64-decoded. The
 * path and query are taken as sent; the SDK's URLSearchParams re-serialisation is accepted too.
 */
import { createHash, createHmac } from "node:crypto";
import type { EmulatorResponse } from "../errors";
import { type DataPlaneRequest, type DataPlaneTarget, dateWithin, decodedKey, header, same, type UsableKey, type Verdict } from "./types";

const EMPTY_HASH = createHash("sha256").update("").digest("base64");

/** The string an ACS request signs. */
export function acsStringToSign(method: string, pathAndQuery: string, signedValues: readonly string[]): string {
    return `${method.toUpperCase()}\n${pathAndQuery}\n${signedValues.join(";")}`;
}

/** HMAC-SHA256 with the base64-decoded key, base64. */
export function hmacSha256(key: string, text: string): string {
    return createHmac("sha256", decodedKey(key)).update(text, "utf8").digest("base64");
}

/**
 * Parses `HMAC-SHA256 Credential=…&SignedHeaders=…&Signature=…` (Credential only for App
 * Configuration; `&` or `, ` between the parts).
 */
export function parseHmacHeader(value: string | undefined): Record<string, string> | undefined {
    const m = value ? /^HMAC-SHA256\s+(.+)$/i.exec(value.trim()) : null;
    if (!m) return undefined;
    const parts: Record<string, string> = {};
    for (const part of m[1].split(/&|,\s*/)) {
        const at = part.indexOf("=");
        if (at > 0) parts[part.slice(0, at).trim().toLowerCase()] = part.slice(at + 1).trim();
    }
    return parts;
}

/** The value of each signed header as the service reads it: `host` is the Host header as sent. */
export function signedValues(req: Pick<DataPlaneRequest, "headers" | "host">, names: readonly string[]): string[] | string {
    const values: string[] = [];
    for (const name of names) {
        const value = name === "host" ? req.host : header(req.headers, name);
        if (value === undefined) return `Signed request header '${name}' is not provided`;
        values.push(value);
    }
    return values;
}

/** Checks an ACS request; refusal reasons are the service's texts where known. */
export function verifyAcs(req: DataPlaneRequest, keys: readonly UsableKey[]): Verdict {
    const parts = parseHmacHeader(header(req.headers, "authorization"));
    if (!parts?.signedheaders || !parts.signature) return { ok: false, reason: "Denied by the resource provider." };
    const hash = header(req.headers, "x-ms-content-sha256");
    const actual = req.body ? createHash("sha256").update(req.body).digest("base64") : EMPTY_HASH;
    if (hash !== actual) return { ok: false, reason: "Request 'x-ms-content-sha256' differs from generated content hash." };
    const date = header(req.headers, "x-ms-date") ?? header(req.headers, "date");
    if (dateWithin(date, req.now) !== "ok") return { ok: false, reason: "Denied by the resource provider." };
    const names = parts.signedheaders.toLowerCase().split(";");
    if (!names.includes("host") || !names.includes("x-ms-content-sha256") || !(names.includes("x-ms-date") || names.includes("date")))
        return { ok: false, reason: "Denied by the resource provider." };
    const values = signedValues(req, names);
    if (typeof values === "string") return { ok: false, reason: "Denied by the resource provider." };
    const query = req.url.searchParams.toString();
    const candidates = new Set([req.target, query ? `${req.url.pathname}?${query}` : req.url.pathname]);
    for (const key of keys) {
        for (const pathAndQuery of candidates) {
            if (same(hmacSha256(key.value, acsStringToSign(req.method, pathAndQuery, values)), parts.signature)) return { ok: true, key };
        }
    }
    return { ok: false, reason: "Denied by the resource provider." };
}

/** Serves the phone numbers list (empty): what `listPurchasedPhoneNumbers` and the probe read. */
export function serveAcs(req: DataPlaneRequest, target: DataPlaneTarget): EmulatorResponse {
    const verdict = verifyAcs(req, target.allKeys());
    if (!verdict.ok) return { status: 401, body: { error: { code: "Denied", message: verdict.reason } } };
    if (req.method === "GET" && /^\/phoneNumbers\/?$/i.test(req.url.pathname)) return { status: 200, body: { phoneNumbers: [] } };
    return { status: 404, body: { error: { code: "NotFound", message: "The requested resource was not found." } } };
}
