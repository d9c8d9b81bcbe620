/**
 * Storage (Blob) Shared Key: `Authorization: SharedKey {account}:{signature}`, the signature
 * base64 HMAC-SHA256 (key base64-decoded) of the documented string-to-sign: verb, the standard
 * headers (Content-Length empty when 0), canonicalized `x-ms-` headers, canonicalized resource.
 * `x-ms-date` (or `Date`) within 15 minutes. Refusals are 403 AuthenticationFailed in Storage's
 * XML error shape with `x-ms-error-code`, the detail naming the string the server signed.
 */
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { EmulatorResponse } from "../errors";
import { canonicalizedHeaders, canonicalizedResource, parseSharedKey, STANDARD_HEADERS, sharedKeySignature } from "./sharedKey";
import { type DataPlaneRequest, type DataPlaneTarget, dateWithin, header, same, type UsableKey, type Verdict } from "./types";

export interface SharedKeyRequest {
    method: string;
    /** Raw path and query as sent. */
    target: string;
    headers: IncomingHttpHeaders;
}

/**
 * The string a Storage request signs. `swapLanguage` puts Content-Language before Content-Encoding,
 * as the JS SDK does (the same string whenever both are empty, as they are on a GET).
 */
export function storageStringToSign(req: SharedKeyRequest, account: string, options: { swapLanguage?: boolean; order?: "culture" | "ordinal" } = {}): string {
    const names: string[] = [...STANDARD_HEADERS];
    if (options.swapLanguage) [names[0], names[1]] = [names[1], names[0]];
    const lines = names.map((name) => {
        const value = header(req.headers, name) ?? "";
        return name === "content-length" && value === "0" ? "" : value;
    });
    return `${[req.method.toUpperCase(), ...lines].join("\n")}\n${canonicalizedHeaders(req.headers, "x-ms-", options.order)}${canonicalizedResource(account, req.target, true)}`;
}

/** Checks a Storage request signed for `account`; reasons are AuthenticationErrorDetail texts. */
export function verifyStorageSharedKey(req: SharedKeyRequest, account: string, keys: readonly UsableKey[], now: number): Verdict {
    const auth = parseSharedKey(header(req.headers, "authorization"));
    if (!auth) return { ok: false, reason: "Authentication scheme is not SharedKey." };
    const date = header(req.headers, "x-ms-date") ?? header(req.headers, "date");
    const when = dateWithin(date, now);
    if (when === "missing") return { ok: false, reason: "Request date header not specified" };
    if (when !== "ok") return { ok: false, reason: `Request date header too old: '${date}'` };
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(auth.signature)) return { ok: false, reason: "Signature is not a valid base64 string." };
    const expected = storageStringToSign(req, account);
    if (auth.account.toLowerCase() === account.toLowerCase()) {
        const candidates = new Set([
            expected,
            storageStringToSign(req, account, { swapLanguage: true }),
            storageStringToSign(req, account, { order: "ordinal" }),
        ]);
        for (const key of keys) {
            for (const text of candidates) if (same(sharedKeySignature(key.value, text), auth.signature)) return { ok: true, key };
        }
    }
    return {
        ok: false,
        reason: `The MAC signature found in the HTTP request '${auth.signature}' is not the same as any computed signature. Server used following string to sign: '${expected}'.`,
    };
}

/** Storage's XML error, with `x-ms-error-code`. */
export function storageError(status: number, code: string, message: string, detail?: string): EmulatorResponse {
    const body =
        `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${xml(message)}\nRequestId:${randomUUID()}\nTime:${new Date().toISOString()}</Message>` +
        `${detail ? `<AuthenticationErrorDetail>${xml(detail)}</AuthenticationErrorDetail>` : ""}</Error>`;
    return { status, rawBody: body, contentType: "application/xml", headers: { "x-ms-error-code": code } };
}

const xml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const AUTH_FAILED = "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.";

const SERVICE_PROPERTIES =
    '<?xml version="1.0" encoding="utf-8"?><StorageServiceProperties>' +
    "<Logging><Version>1.0</Version><Read>false</Read><Write>false</Write><Delete>false</Delete><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy></Logging>" +
    "<HourMetrics><Version>1.0</Version><Enabled>false</Enabled><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy></HourMetrics>" +
    "<MinuteMetrics><Version>1.0</Version><Enabled>false</Enabled><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy></MinuteMetrics>" +
    "<Cors /><DefaultServiceVersion>2021-12-02</DefaultServiceVersion><DeleteRetentionPolicy><Enabled>false</Enabled></DeleteRetentionPolicy>" +
    "<StaticWebsite><Enabled>false</Enabled></StaticWebsite></StorageServiceProperties>";

/** Serves the Blob service's properties and its (empty) container list. */
export function serveStorage(req: DataPlaneRequest, target: DataPlaneTarget): EmulatorResponse {
    const resource = target.resources[0];
    if (!header(req.headers, "authorization"))
        return storageError(
            401,
            "NoAuthenticationInformation",
            "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.",
        );
    if (resource.localAuthDisabled)
        return storageError(403, "KeyBasedAuthenticationNotPermitted", "Key based authentication is not permitted on this storage account.");
    const verdict = verifyStorageSharedKey(req, target.name, target.keys(resource), req.now);
    // Azurite answers a wrong key with the code Azure gives a firewall's refusal.
    if (!verdict.ok && resource.wrongKeyAnswer === "azurite")
        return storageError(403, "AuthorizationFailure", "This request is not authorized to perform this operation.");
    if (!verdict.ok) return { ...storageError(403, "AuthenticationFailed", AUTH_FAILED, verdict.reason), statusMessage: AUTH_FAILED };
    const version = { "x-ms-version": header(req.headers, "x-ms-version") ?? "2026-04-06" };
    const query = req.url.searchParams;
    if (req.method === "GET" && req.url.pathname === "/" && query.get("restype") === "service" && query.get("comp") === "properties")
        return { status: 200, rawBody: SERVICE_PROPERTIES, contentType: "application/xml", headers: version };
    if (req.method === "GET" && req.url.pathname === "/" && query.get("comp") === "list") {
        const list = `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://${req.host}/"><Containers /><NextMarker /></EnumerationResults>`;
        return { status: 200, rawBody: list, contentType: "application/xml", headers: version };
    }
    return storageError(404, "ResourceNotFound", "The specified resource does not exist.");
}
