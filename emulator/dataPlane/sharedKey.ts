/**
 * What Storage's and Batch's Shared Key schemes have in common: the header lines, the
 * canonicalized headers (`x-ms-` or `ocp-`), the canonicalized resource, and the header parse.
 */
import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { decodedKey, header } from "./types";

/** The standard headers a Shared Key string-to-sign lists after the verb, in the documented order. */
export const STANDARD_HEADERS = [
    "content-encoding",
    "content-language",
    "content-length",
    "content-md5",
    "content-type",
    "date",
    "if-modified-since",
    "if-match",
    "if-none-match",
    "if-unmodified-since",
    "range",
] as const;

/**
 * .NET's culture-aware ordering, as the Storage SDK's SharedKeyComparator reproduces it for
 * header names: hyphens weigh nothing at the first level, then ordinal order breaks ties.
 */
export function cultureCompare(a: string, b: string): number {
    const x = a.replace(/-/g, "");
    const y = b.replace(/-/g, "");
    if (x !== y) return x < y ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
}

/** `name:value\n` for each header starting with `prefix`, names lower-cased, values left-trimmed, sorted. */
export function canonicalizedHeaders(headers: IncomingHttpHeaders, prefix: string, order: "culture" | "ordinal" = "culture"): string {
    const names = Object.keys(headers)
        .map((n) => n.toLowerCase().trimEnd())
        .filter((n, i, all) => n.startsWith(prefix) && all.indexOf(n) === i);
    names.sort(order === "culture" ? cultureCompare : undefined);
    return names.map((n) => `${n}:${(header(headers, n) ?? "").replace(/\s+/g, " ").trimStart()}\n`).join("");
}

/**
 * `/{account}{path}` then `\nname:value` for each query parameter, sorted by name (lower-cased for
 * Storage, as sent for Batch), values decoded; several values of one name sorted and comma-joined.
 */
export function canonicalizedResource(account: string, target: string, lowerNames: boolean): string {
    const at = target.indexOf("?");
    const path = at < 0 ? target : target.slice(0, at);
    const query = at < 0 ? "" : target.slice(at + 1);
    const params = new Map<string, string[]>();
    for (const pair of query.split("&")) {
        const eq = pair.indexOf("=");
        if (!pair || eq < 0 || eq === pair.length - 1) continue;
        let name = safeDecode(pair.slice(0, eq));
        if (lowerNames) name = name.toLowerCase();
        params.set(name, [...(params.get(name) ?? []), safeDecode(pair.slice(eq + 1).replace(/\+/g, "%20"))]);
    }
    const names = [...params.keys()].sort();
    return `/${account}${path || "/"}${names.map((n) => `\n${n}:${params.get(n)!.sort().join(",")}`).join("")}`;
}

function safeDecode(text: string): string {
    try {
        return decodeURIComponent(text);
    } catch {
        return text;
    }
}

/** base64 HMAC-SHA256 of the string-to-sign with the base64-decoded key. */
export function sharedKeySignature(key: string, stringToSign: string): string {
    return createHmac("sha256", decodedKey(key)).update(stringToSign, "utf8").digest("base64");
}

/** `SharedKey {account}:{signature}`, parsed. */
export function parseSharedKey(value: string | undefined): { account: string; signature: string } | undefined {
    const m = value ? /^SharedKey\s+([^:\s]+):(\S+)$/.exec(value.trim()) : null;
    return m ? { account: m[1], signature: m[2] } : undefined;
}
