/**
 * App Configuration: `Authorization: HMAC-SHA256 Credential={id}&SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=…`
 * (`, ` between the parts accepted too), the signature base64 HMAC-SHA256 (secret base64-decoded)
 * of `VERB\n{path and query as sent}\n{signed header values joined by ";"}`. The credential id
 * names the key; `x-ms-date` (or `Date`) within 15 minutes; `x-ms-content-sha256` must be the
 * body's hash. Refusals are 401 with the documented `WWW-Authenticate` values.
 */
import { createHash } from "node:crypto";
import type { EmulatorResponse } from "../errors";
import type { EmulatedResource } from "../state";
import { acsStringToSign, hmacSha256, parseHmacHeader, signedValues } from "./hmacAcs";
import { type DataPlaneRequest, type DataPlaneTarget, dateWithin, header, same, type UsableKey, type Verdict } from "./types";

/** The string an App Configuration request signs (the same layout as Communication Services'). */
export const appConfigStringToSign = acsStringToSign;

/** Checks a request; `idOf` gives a key's credential id. Reasons are `error_description` values. */
export function verifyAppConfig(req: DataPlaneRequest, keys: readonly UsableKey[], idOf: (key: UsableKey) => string | undefined): Verdict {
    const auth = header(req.headers, "authorization");
    const parts = parseHmacHeader(auth);
    if (!parts) return { ok: false, reason: "" };
    const missing = ["Credential", "SignedHeaders", "Signature"].filter((p) => !parts[p.toLowerCase()]);
    if (missing.length > 0) return { ok: false, reason: `${missing.map((p) => `[${p}]`).join("")} is required` };
    const names = parts.signedheaders.toLowerCase().split(";");
    const dateHeader = names.includes("x-ms-date") ? "x-ms-date" : names.includes("date") ? "date" : undefined;
    if (!dateHeader) return { ok: false, reason: "x-ms-date or Date is required as a signed header" };
    for (const required of ["host", "x-ms-content-sha256"])
        if (!names.includes(required)) return { ok: false, reason: `${required} is required as a signed header` };
    const values = signedValues(req, names);
    if (typeof values === "string") return { ok: false, reason: values };
    const when = dateWithin(header(req.headers, dateHeader), req.now);
    if (when === "missing" || when === "invalid") return { ok: false, reason: "Invalid access token date" };
    if (when === "stale") return { ok: false, reason: "The access token has expired" };
    if (header(req.headers, "x-ms-content-sha256") !== createHash("sha256").update(req.body).digest("base64"))
        return { ok: false, reason: "Invalid Signature" };
    const owned = keys.filter((k) => idOf(k) === parts.credential);
    if (owned.length === 0) return { ok: false, reason: "Invalid Credential" };
    const text = appConfigStringToSign(req.method, req.target, values);
    const key = owned.find((k) => same(hmacSha256(k.value, text), parts.signature));
    return key ? { ok: true, key } : { ok: false, reason: "Invalid Signature" };
}

interface Setting {
    key: string;
    label: string | null;
    value: string;
    content_type: string | null;
    etag: string;
    last_modified: string;
    locked: boolean;
    tags: Record<string, string>;
}

/** The key-values of each store, kept while the emulator runs. */
const settingsOf = new WeakMap<EmulatedResource, Map<string, Setting>>();

const KVSET = "application/vnd.microsoft.appconfig.kvset+json; charset=utf-8";
const KV = "application/vnd.microsoft.appconfig.kv+json; charset=utf-8";

/** Key-values: list (with a `key` filter, `*` a trailing wildcard), get, and put with a read-write key. */
export function serveAppConfig(req: DataPlaneRequest, target: DataPlaneTarget): EmulatorResponse {
    const resource = target.resources[0];
    const verdict = verifyAppConfig(req, target.keys(resource), (k) => k.resource.keyIds?.[k.keyType]);
    if (!verdict.ok) {
        const challenge = verdict.reason ? `HMAC-SHA256 error="invalid_token" error_description="${verdict.reason}", Bearer` : "HMAC-SHA256, Bearer";
        return { status: 401, rawBody: "", headers: { "WWW-Authenticate": challenge } };
    }
    const store = settingsOf.get(resource) ?? new Map<string, Setting>();
    settingsOf.set(resource, store);
    const label = req.url.searchParams.get("label");
    const id = (key: string, l: string | null) => `${key}\n${l ?? ""}`;
    const sync = { "Sync-Token": `emulator=${store.size};sn=${store.size}` };
    if (req.method === "GET" && /^\/kv\/?$/i.test(req.url.pathname)) {
        const filter = req.url.searchParams.get("key") ?? "*";
        const matches = (key: string) => filter === "*" || (filter.endsWith("*") ? key.startsWith(filter.slice(0, -1)) : key === filter);
        const items = [...store.values()].filter((s) => matches(s.key) && (label === null || label === "*" || (s.label ?? "\0") === label));
        return { status: 200, rawBody: JSON.stringify({ items }), contentType: KVSET, headers: sync };
    }
    const m = /^\/kv\/(.+)$/.exec(req.url.pathname);
    if (m) {
        const key = decodeURIComponent(m[1]);
        if (req.method === "GET") {
            const found = store.get(id(key, label));
            if (!found) return { status: 404, rawBody: "", headers: sync };
            return { status: 200, rawBody: JSON.stringify(found), contentType: KV, headers: { ...sync, ETag: `"${found.etag}"` } };
        }
        if (req.method === "PUT") {
            if (/ReadOnly$/.test(verdict.key.keyType)) return { status: 403, rawBody: "", headers: sync };
            let body: { value?: string; content_type?: string; tags?: Record<string, string> } = {};
            try {
                body = JSON.parse(req.body || "{}") as typeof body;
            } catch {}
            const setting: Setting = {
                key,
                label,
                value: body.value ?? "",
                content_type: body.content_type ?? null,
                etag: createHash("sha256").update(`${key}${label}${body.value}${req.now}`).digest("base64url").slice(0, 22),
                last_modified: new Date(req.now).toISOString(),
                locked: false,
                tags: body.tags ?? {},
            };
            store.set(id(key, label), setting);
            return { status: 200, rawBody: JSON.stringify(setting), contentType: KV, headers: { ...sync, ETag: `"${setting.etag}"` } };
        }
    }
    return {
        status: 404,
        rawBody: JSON.stringify({ type: "https://azconfig.io/errors/not-found", title: "Not Found", status: 404 }),
        contentType: "application/problem+json",
    };
}
