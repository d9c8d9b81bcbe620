/**
 * One small signer per data-plane authentication scheme. Each takes the request and what it needs
 * of the credential, and returns the headers that authenticate it, as the service documents the
 * scheme (and the official SDKs send it). Pure apart from the clock, which is passed in.
 */
import { createHash, createHmac } from "node:crypto";
import type { ProbeScheme } from "../catalog/lookup";

/** What a signer gets: the request, the key, and the scheme's parameters from the catalog. */
export interface SignInput {
    method: string;
    url: URL;
    body: string;
    key: string;
    /** Catalog parameters, filled: `account`, `rule`, `resource`, `uid`, `username`, `id`, `header`, `audience`. */
    params: Readonly<Record<string, string>>;
    now: Date;
    /** Headers the request carries besides the signer's (signed where the scheme signs them, e.g. `x-ms-*`). */
    headers?: Readonly<Record<string, string>>;
}

/**
 * How long a probe's token lives: an hour, as the services' SDKs make them (Service Bus, SignalR,
 * Web PubSub), so a deployer's clock a few minutes behind does not send a token already expired.
 */
export const TOKEN_LIFETIME_SECONDS = 3600;

const b64 = (data: Buffer) => data.toString("base64");
const hmac = (algorithm: "sha256" | "sha512", key: Buffer, text: string) => createHmac(algorithm, key).update(text, "utf8").digest();
const decoded = (key: string) => Buffer.from(key, "base64");
const utf8 = (key: string) => Buffer.from(key, "utf8");
const sha256 = (text: string) => b64(createHash("sha256").update(text, "utf8").digest());

function param(input: SignInput, name: string): string {
    const value = input.params[name];
    if (!value) throw new Error(`the probe's ${name} is missing`);
    return value;
}

/**
 * A JWT (HS256) signed with the access key's UTF-8 bytes, for SignalR and Web PubSub. The audience
 * is the request URL: Web PubSub's with its query (as its SDK signs it), SignalR's without query or
 * trailing slash (`audience: "path"`, as SignalR's REST API documents and its SDK signs it).
 */
function jwt(input: SignInput): Record<string, string> {
    const seconds = Math.floor(input.now.getTime() / 1000);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const aud = input.params.audience === "path" ? `${input.url.origin}${input.url.pathname.replace(/\/+$/, "")}` : input.url.toString();
    const unsigned = `${part({ alg: "HS256", typ: "JWT" })}.${part({ aud, iat: seconds, exp: seconds + TOKEN_LIFETIME_SECONDS })}`;
    return { authorization: `Bearer ${unsigned}.${hmac("sha256", utf8(input.key), unsigned).toString("base64url")}` };
}

/** HMAC-SHA256 request signing over verb, path and query, date, host and content hash (Communication Services, App Configuration). */
function hmacRequest(input: SignInput, credential: string): Record<string, string> {
    const date = input.now.toUTCString();
    const hash = sha256(input.body);
    const signed = `${input.method.toUpperCase()}\n${input.url.pathname}${input.url.search}\n${date};${input.url.host};${hash}`;
    const signature = b64(hmac("sha256", decoded(input.key), signed));
    return {
        "x-ms-date": date,
        "x-ms-content-sha256": hash,
        authorization: `HMAC-SHA256 ${credential}SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
    };
}

/** API Management's SharedAccessSignature: HMAC-SHA512 over `uid\nexpiry` with the key's UTF-8 bytes. */
function apimSas(input: SignInput): Record<string, string> {
    const expiry = new Date(input.now.getTime() + TOKEN_LIFETIME_SECONDS * 1000).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
    const uid = param(input, "uid");
    const signature = b64(hmac("sha512", utf8(input.key), `${uid}\n${expiry}`));
    return { authorization: `SharedAccessSignature uid=${uid}&ex=${expiry}&sn=${signature}` };
}

/** Storage Shared Key, as documented for the blob service (x-ms-version 2021-12-02). */
function storageSharedKey(input: SignInput): Record<string, string> {
    const headers: Record<string, string> = { "x-ms-version": "2021-12-02", ...input.headers, "x-ms-date": input.now.toUTCString() };
    const length = Buffer.byteLength(input.body);
    const lines = [input.method.toUpperCase(), "", "", length > 0 ? String(length) : "", "", "", "", "", "", "", "", ""];
    const canonicalHeaders = Object.entries(headers)
        .map(([k, v]) => [k.toLowerCase(), v.trim()] as const)
        .filter(([k]) => k.startsWith("x-ms-"))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}:${v}\n`)
        .join("");
    const account = param(input, "account");
    const query = [...input.url.searchParams.entries()]
        .map(([k, v]) => [k.toLowerCase(), v] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `\n${k}:${v}`)
        .join("");
    const signed = `${lines.join("\n")}\n${canonicalHeaders}/${account}${input.url.pathname || "/"}${query}`;
    return { ...headers, authorization: `SharedKey ${account}:${b64(hmac("sha256", decoded(input.key), signed))}` };
}

/** Batch Shared Key: Storage's shape with `ocp-` headers and query names as sent. */
function batchSharedKey(input: SignInput): Record<string, string> {
    const date = input.now.toUTCString();
    const length = Buffer.byteLength(input.body);
    const contentLength = length > 0 ? String(length) : input.method.toUpperCase() === "POST" ? "0" : "";
    const lines = [input.method.toUpperCase(), "", "", contentLength, "", "", "", "", "", "", "", ""];
    // Batch account names are lower-case in Azure, however the resource id spells them.
    const account = param(input, "account").toLowerCase();
    const query = [...input.url.searchParams.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `\n${k}:${v}`)
        .join("");
    const signed = `${lines.join("\n")}\nocp-date:${date}\n/${account}${input.url.pathname}${query}`;
    return { "ocp-date": date, authorization: `SharedKey ${account}:${b64(hmac("sha256", decoded(input.key), signed))}` };
}

/** A Service Bus / Event Hubs / Relay / Notification Hubs SAS token for the resource URI, signed with the key's UTF-8 bytes. */
function sbSas(input: SignInput): Record<string, string> {
    const resource = encodeURIComponent(param(input, "resource"));
    const expiry = Math.floor(input.now.getTime() / 1000) + TOKEN_LIFETIME_SECONDS;
    const signature = encodeURIComponent(b64(hmac("sha256", utf8(input.key), `${resource}\n${expiry}`)));
    // The rule name URL-encoded, as the Notification Hubs SDK sends it: the service reads the token as a query string, where `+` is a space.
    return { authorization: `SharedAccessSignature sr=${resource}&sig=${signature}&se=${expiry}&skn=${encodeURIComponent(param(input, "rule"))}` };
}

/** Cosmos DB master-key authorization for a request on the account itself. */
function cosmosMaster(input: SignInput): Record<string, string> {
    const date = input.now.toUTCString();
    const signed = `${input.method.toLowerCase()}\n\n\n${date.toLowerCase()}\n\n`;
    return {
        "x-ms-date": date,
        "x-ms-version": "2020-07-15",
        authorization: encodeURIComponent(`type=master&ver=1.0&sig=${b64(hmac("sha256", decoded(input.key), signed))}`),
    };
}

/** The key itself in a header (AI Search `api-key`, Azure OpenAI, Maps `subscription-key`). */
function apiKey(input: SignInput): Record<string, string> {
    return { [param(input, "header")]: input.key };
}

/** HTTP Basic with the username and the password being verified (Container Registry's admin user). */
function basic(input: SignInput): Record<string, string> {
    return { authorization: `Basic ${Buffer.from(`${param(input, "username")}:${input.key}`).toString("base64")}` };
}

/** The signers by scheme. Redis (`redisAuth`) is not HTTP: see probe.ts. */
export const SIGNERS: Readonly<Record<Exclude<ProbeScheme, "redisAuth">, (input: SignInput) => Record<string, string>>> = {
    jwt,
    acsHmac: (input) => hmacRequest(input, ""),
    appConfigHmac: (input) => hmacRequest(input, `Credential=${param(input, "id")}&`),
    apimSas,
    storageSharedKey,
    batchSharedKey,
    sbSas,
    cosmosMaster,
    apiKey,
    basic,
};
