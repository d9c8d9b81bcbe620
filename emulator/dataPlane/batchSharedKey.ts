/**
 * Batch Shared Key: `Authorization: SharedKey {account}:{signature}`, the signature base64
 * HMAC-SHA256 (key base64-decoded) of: verb, the standard headers in the documented order
 * (Content-Length as sent; the SDK signs "0" for a POST without body), canonicalized `ocp-`
 * headers, then `/{account}{path}` and `\nname:value` per query parameter (names as sent, sorted).
 * `ocp-date` (or `Date`) within 15 minutes. Refusals are 403 AuthenticationFailed in Batch's OData
 * JSON error.
 */
import { randomUUID } from "node:crypto";
import type { EmulatorResponse } from "../errors";
import { canonicalizedHeaders, canonicalizedResource, parseSharedKey, STANDARD_HEADERS, sharedKeySignature } from "./sharedKey";
import type { SharedKeyRequest } from "./storageSharedKey";
import { type DataPlaneRequest, type DataPlaneTarget, dateWithin, header, same, type UsableKey, type Verdict } from "./types";

/** The string a Batch request signs; `contentLength` overrides the Content-Length line. */
export function batchStringToSign(req: SharedKeyRequest, account: string, contentLength?: string): string {
    const lines = STANDARD_HEADERS.map((name) =>
        name === "content-length" && contentLength !== undefined ? contentLength : (header(req.headers, name) ?? ""),
    );
    return `${[req.method.toUpperCase(), ...lines].join("\n")}\n${canonicalizedHeaders(req.headers, "ocp-")}${canonicalizedResource(account, req.target, false)}`;
}

/** Checks a Batch request signed for `account`. */
export function verifyBatchSharedKey(req: SharedKeyRequest, account: string, keys: readonly UsableKey[], now: number): Verdict {
    const auth = parseSharedKey(header(req.headers, "authorization"));
    if (!auth) return { ok: false, reason: "The authorization header is not SharedKey." };
    const date = header(req.headers, "ocp-date") ?? header(req.headers, "date");
    const when = dateWithin(date, now);
    if (when === "missing") return { ok: false, reason: "Request date header not specified" };
    if (when !== "ok") return { ok: false, reason: `Request date header too old: '${date}'` };
    const expected = batchStringToSign(req, account);
    if (auth.account.toLowerCase() === account.toLowerCase()) {
        const length = header(req.headers, "content-length");
        const candidates = new Set([
            expected,
            ...(!length || length === "0" ? [batchStringToSign(req, account, ""), batchStringToSign(req, account, "0")] : []),
        ]);
        for (const key of keys) for (const text of candidates) if (same(sharedKeySignature(key.value, text), auth.signature)) return { ok: true, key };
    }
    return {
        ok: false,
        reason: `The MAC signature found in the HTTP request '${auth.signature}' is not the same as any computed signature. Server used following string to sign: '${expected}'.`,
    };
}

/** Batch's OData JSON error. */
export function batchError(host: string, status: number, code: string, message: string, detail?: { key: string; value: string }): EmulatorResponse {
    return {
        status,
        rawBody: JSON.stringify({
            "odata.metadata": `https://${host}/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element`,
            code,
            message: { lang: "en-US", value: `${message}\nRequestId:${randomUUID()}\nTime:${new Date().toISOString()}` },
            ...(detail ? { values: [detail] } : {}),
        }),
        contentType: "application/json;odata=minimalmetadata",
    };
}

const AUTH_FAILED = "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.";

/** Serves the (empty) application and pool lists. */
export function serveBatch(req: DataPlaneRequest, target: DataPlaneTarget): EmulatorResponse {
    const resource = target.resources[0];
    const host = req.host.replace(/:443$/, "");
    // Without SharedKey in allowedAuthenticationModes (the detail as Azure/BatchExplorer#239 quotes it).
    if (resource.localAuthDisabled && parseSharedKey(header(req.headers, "authorization")))
        return batchError(host, 403, "AuthenticationFailed", AUTH_FAILED, {
            key: "AuthenticationErrorDetail",
            value: "The specified type of authentication SharedKey is not allowed for this account.",
        });
    const verdict = verifyBatchSharedKey(req, target.name, target.keys(resource), req.now);
    if (!verdict.ok) return batchError(host, 403, "AuthenticationFailed", AUTH_FAILED, { key: "AuthenticationErrorDetail", value: verdict.reason });
    const list = /^\/(applications|pools|jobs)\/?$/i.exec(req.url.pathname);
    if (req.method === "GET" && list)
        return {
            status: 200,
            rawBody: JSON.stringify({ "odata.metadata": `https://${host}/$metadata#${list[1]}`, value: [] }),
            contentType: "application/json;odata=minimalmetadata",
        };
    return batchError(host, 404, "ResourceNotFound", "The specified resource does not exist.");
}
