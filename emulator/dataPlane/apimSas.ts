/**
 * API Management's direct management API (tenant access keys): `Authorization: SharedAccessSignature
 * uid={id}&ex={expiry}&sn={signature}`, the signature base64 HMAC-SHA512 of `{uid}\n{ex}` with the
 * key's UTF-8 bytes; the portal's compact `SharedAccessSignature {uid}&{yyyyMMddHHmm}&{sig}` too.
 * The uid must be the access's identifier (listSecrets' `principalId`). Azure retired this API in
 * March 2025; the emulator keeps it for rehearsals.
 */
import { createHmac } from "node:crypto";
import { apimError, type EmulatorResponse } from "../errors";
import type { EmulatedResource } from "../state";
import { type DataPlaneRequest, type DataPlaneTarget, header, same, type UsableKey, type Verdict } from "./types";

/** The signature of a tenant access token. */
export function apimSignature(key: string, uid: string, expiry: string): string {
    return createHmac("sha512", Buffer.from(key, "utf8")).update(`${uid}\n${expiry}`, "utf8").digest("base64");
}

/** The parts of the token, either form, or undefined. */
export function parseApimToken(value: string | undefined): { uid: string; ex: string; sn: string } | undefined {
    const m = value ? /^SharedAccessSignature\s+(.+)$/.exec(value.trim()) : null;
    if (!m) return undefined;
    const named: Record<string, string> = {};
    for (const part of m[1].split("&")) {
        const at = part.indexOf("=");
        if (at > 0) named[part.slice(0, at)] = part.slice(at + 1);
    }
    if (named.uid && named.ex && named.sn) return { uid: named.uid, ex: named.ex, sn: named.sn };
    const compact = /^([^&=]+)&(\d{12})&(.+)$/.exec(m[1]);
    return compact ? { uid: compact[1], ex: compact[2], sn: compact[3] } : undefined;
}

/** When an expiry in either form ends (ms), or NaN. */
function expiryOf(ex: string): number {
    const compact = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(ex);
    if (compact) {
        const [, y, mo, d, h, mi] = compact.map(Number);
        return Date.UTC(y, mo - 1, d, h, mi);
    }
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(ex) ? Date.parse(ex.replace(/(\.\d{3})\d+Z$/, "$1Z")) : Number.NaN;
}

/** Checks a tenant access token for `uid` (the access's identifier). */
export function verifyApimSas(value: string | undefined, uid: string, keys: readonly UsableKey[], now: number): Verdict {
    const token = parseApimToken(value);
    if (!token) return { ok: false, reason: "Invalid SharedAccessSignature token." };
    if (token.uid !== uid) return { ok: false, reason: `No access is identified by '${token.uid}'.` };
    const expiry = expiryOf(token.ex);
    if (Number.isNaN(expiry)) return { ok: false, reason: "Invalid SharedAccessSignature token: the expiry is not a date." };
    if (expiry < now) return { ok: false, reason: "SharedAccessSignature token has expired." };
    const key = keys.find((k) => same(apimSignature(k.value, token.uid, token.ex), token.sn));
    return key ? { ok: true, key } : { ok: false, reason: "Invalid SharedAccessSignature token signature." };
}

/**
 * Serves `GET …/service/{service}/apis` (and `/apis`): an empty list once the token is valid. `uid`
 * gives the identifier of a resource's access, as its listSecrets answers it.
 */
export function serveApimSas(req: DataPlaneRequest, target: DataPlaneTarget, uid: (resource: EmulatedResource) => string): EmulatorResponse {
    const resource = target.resources[0];
    const verdict = verifyApimSas(header(req.headers, "authorization"), uid(resource), target.keys(resource), req.now);
    if (!verdict.ok) return apimError(401, "Unauthorized", verdict.reason);
    if (req.method === "GET" && /\/apis\/?$/i.test(req.url.pathname)) return { status: 200, body: { value: [], count: 0, nextLink: null } };
    return apimError(404, "ResourceNotFound", "Resource not found.");
}
