/**
 * Service Bus, Event Hubs, Relay and Notification Hubs: `Authorization: SharedAccessSignature
 * sr={enc(resource)}&sig={enc(b64 HMAC-SHA256(UTF-8 key, sr + "\n" + se))}&se={unix}&skn={rule}`.
 * `sr` is signed as it appears in the token; it is compared URL-decoded, case-insensitively,
 * without scheme or query, as a prefix of the request URL. The rule must be on the namespace or on
 * the entity the path names. Every refusal is 401 in Service Bus' XML
 * (`<Error><Code>401</Code><Detail>…</Detail></Error>`): a bad signature, a wrong audience, an
 * expired token, or a valid token whose rule lacks the claim the operation needs.
 */
import { createHmac, randomUUID } from "node:crypto";
import type { EmulatorResponse } from "../errors";
import type { EmulatedResource } from "../state";
import { type DataPlaneRequest, type DataPlaneTarget, header, same, type UsableKey } from "./types";

/** The rights a rule has when createResource names none. */
export function defaultRights(ruleName: string): string[] {
    if (/^(RootManageSharedAccessKey|DefaultFullSharedAccessSignature)$/i.test(ruleName)) return ["Listen", "Send", "Manage"];
    if (/^DefaultListenSharedAccessSignature$/i.test(ruleName)) return ["Listen"];
    return ["Listen", "Send"];
}

/** The signature of a SAS token: `sr` exactly as it appears in the token. */
export function sasSignature(key: string, sr: string, se: string): string {
    return createHmac("sha256", Buffer.from(key, "utf8")).update(`${sr}\n${se}`, "utf8").digest("base64");
}

/** The fields of a SAS token (values as they appear in it), or undefined when it is not one. */
export function parseSas(value: string | undefined): Record<"sr" | "sig" | "se" | "skn", string> | undefined {
    const m = value ? /^SharedAccessSignature\s+(.+)$/.exec(value.trim()) : null;
    if (!m) return undefined;
    const fields: Record<string, string> = {};
    for (const part of m[1].split("&")) {
        const at = part.indexOf("=");
        if (at > 0) fields[part.slice(0, at)] = part.slice(at + 1);
    }
    const { sr, sig, se, skn } = fields;
    return sr && sig && se && skn ? { sr, sig, se, skn } : undefined;
}

/** `host/path` of a URL or `sr`, lower-case, without scheme, query or trailing slash. */
export function sasScope(text: string): string {
    let decoded = text;
    try {
        decoded = decodeURIComponent(text);
    } catch {}
    return decoded
        .toLowerCase()
        .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
        .replace(/[?#].*$/, "")
        .replace(/:(443|5671|80)(?=\/|$)/, "")
        .replace(/\/+$/, "");
}

/** The rule a resource id names: its name, and the entity it is on (undefined for a namespace rule). */
export function ruleOf(id: string): { name: string; entity?: string } {
    const m = /\/namespaces\/[^/]+\/(?:(?:queues|topics|eventhubs|hybridConnections|wcfRelays|notificationHubs)\/([^/]+)\/)?authorizationRules\/([^/]+)$/i.exec(
        id,
    );
    return m ? { name: m[2], entity: m[1] } : { name: "" };
}

/** How a token fares, in Service Bus' words: `ok` with the rule's resource, or the 401 detail. */
export type SasVerdict = { ok: true; key: UsableKey } | { ok: false; detail: string };

/**
 * Checks a token for a request to `url` on a namespace whose rules are `rules`. `keysOf` gives the
 * keys a rule accepts now.
 */
export function verifySas(
    value: string | undefined,
    url: URL,
    rules: readonly EmulatedResource[],
    keysOf: (rule: EmulatedResource) => UsableKey[],
    now: number,
): SasVerdict {
    if (!value) return { ok: false, detail: "MissingToken: The authorization header was not found." };
    const token = parseSas(value);
    if (!token) return { ok: false, detail: "40105: Malformed authorization token." };
    const expiry = Number(token.se);
    if (!Number.isInteger(expiry)) return { ok: false, detail: "40105: Malformed authorization token." };
    const requested = sasScope(url.href);
    const audience = sasScope(token.sr);
    if (!(requested === audience || requested.startsWith(`${audience}/`)))
        return { ok: false, detail: "InvalidAudience: The authorization header contains a token with a wrong audience." };
    let sig: string;
    try {
        sig = decodeURIComponent(token.sig);
    } catch {
        return { ok: false, detail: "40105: Malformed authorization token." };
    }
    // The token is read as a query string, as the service reads it: `+` is a space, `%2B` a plus.
    let keyName: string;
    try {
        keyName = decodeURIComponent(token.skn.replace(/\+/g, " "));
    } catch {
        return { ok: false, detail: "40105: Malformed authorization token." };
    }
    const entity = url.pathname.split("/")[1]?.toLowerCase() ?? "";
    const candidates = rules.filter((r) => {
        const rule = ruleOf(r.id);
        return rule.name === keyName && (!rule.entity || rule.entity.toLowerCase() === entity);
    });
    const key = candidates.flatMap((r) => keysOf(r)).find((k) => same(sasSignature(k.value, token.sr, token.se), sig));
    if (!key) return { ok: false, detail: "InvalidSignature: The token has an invalid signature." };
    if (expiry * 1000 < now) return { ok: false, detail: `ExpiredToken: The token is expired. Expiration time: '${new Date(expiry * 1000).toISOString()}'` };
    return { ok: true, key };
}

/** Service Bus' XML error. */
export function sbError(status: number, detail: string, host: string, path: string): EmulatorResponse {
    const text = `${detail} TrackingId:${randomUUID()}_G0, SystemTracker:${host}:${path.replace(/^\//, "")}, Timestamp:${new Date().toISOString()}`;
    return {
        status,
        rawBody: `<Error><Code>${status}</Code><Detail>${text.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</Detail></Error>`,
        contentType: "application/xml; charset=utf-8",
    };
}

/** What an operation needs: Notification Hubs' single-registration reads need Listen (or Manage); the rest here Manage. */
function claimNeeded(path: string): "Listen" | "Manage" {
    return /^\/[^/$]+\/(registrations|installations)\/[^/]+$/i.test(path) ? "Listen" : "Manage";
}

/** Serves `$namespaceinfo`, entity descriptions and Notification Hubs registration reads. */
export function serveSbSas(req: DataPlaneRequest, target: DataPlaneTarget): EmulatorResponse {
    const path = req.url.pathname;
    // The namespace's disableLocalAuth (Service Bus and Event Hubs): every SAS token refused, in the service's words
    // (Azure/azure-sdk-for-java#37010, Azure/azure-sdk-for-js#32923 quote them).
    if (header(req.headers, "authorization") && target.resources.some((r) => r.localAuthDisabled))
        return sbError(401, "LocalAuthDisabled: Authorization failed because SAS authentication has been disabled for the namespace.", req.host, path);
    const verdict = verifySas(header(req.headers, "authorization"), req.url, target.resources, target.keys, req.now);
    if (!verdict.ok) return sbError(401, verdict.detail, req.host, path);
    const rights = verdict.key.resource.rights ?? defaultRights(ruleOf(verdict.key.resource.id).name);
    const needed = claimNeeded(path);
    if (!rights.includes(needed) && !(needed === "Listen" && rights.includes("Manage")))
        return sbError(
            401,
            `Unauthorized access. '${needed}' claim(s) are required to perform this operation. Resource: 'sb://${req.host}${path}'.`,
            req.host,
            path,
        );
    if (req.method !== "GET") return sbError(405, "The requested HTTP operation is not supported by the emulator.", req.host, path);
    const now = new Date(req.now).toISOString();
    const self = `https://${req.host}${req.target}`;
    if (needed === "Listen") return sbError(404, "The requested resource was not found.", req.host, path);
    if (/^\/\$namespaceinfo\/?$/i.test(path)) {
        const info =
            `<NamespaceInfo xmlns="http://schemas.microsoft.com/netservices/2010/10/servicebus/connect" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
            `<CreatedTime>2026-11-01T00:00:00Z</CreatedTime><MessagingSKU>Standard</MessagingSKU><ModifiedTime>2026-11-01T00:00:00Z</ModifiedTime>` +
            `<Name>${target.name}</Name><NamespaceType>Messaging</NamespaceType></NamespaceInfo>`;
        return atom(entry(self, target.name, now, info));
    }
    const entity = path.split("/")[1] ?? "";
    const known = target.resources.some((r) => ruleOf(r.id).entity?.toLowerCase() === entity.toLowerCase());
    if (known && path.split("/").length === 2) return atom(entry(self, entity, now, ""));
    // An ATOM GET of an entity that does not exist answers an empty feed.
    return atom(
        `<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Publicly Listed Services</title><subtitle type="text">This is the list of publicly-listed services currently available.</subtitle><id>uuid:${randomUUID()};id=1</id><updated>${now}</updated><generator>Service Bus 1.1</generator></feed>`,
    );
}

const entry = (self: string, title: string, now: string, content: string) =>
    `<entry xmlns="http://www.w3.org/2005/Atom"><id>${self.replace(/&/g, "&amp;")}</id><title type="text">${title}</title><updated>${now}</updated><author><name>${title}</name></author><link rel="self" href="${self.replace(/&/g, "&amp;")}"/><content type="application/xml">${content}</content></entry>`;

const atom = (body: string): EmulatorResponse => ({ status: 200, rawBody: body, contentType: "application/atom+xml;type=entry;charset=utf-8" });
