/**
 * Request signing for the services' data planes, written here from the services' documentation
 * (independently of the emulator's verifiers and of the package's signers), for the emulator's
 * tests: Storage and Batch Shared Key, Cosmos DB master keys, SAS tokens, SignalR JWTs.
 */
import { createHmac } from "node:crypto";

/** Storage Shared Key headers for `GET https://{account}.{host}/?restype=service&comp=properties`. */
export function storagePropertiesHeaders(account: string, key: string, now = Date.now()): Record<string, string> {
    const date = new Date(now).toUTCString();
    const text = `GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:${date}\nx-ms-version:2026-04-06\n/${account}/\ncomp:properties\nrestype:service`;
    return {
        "x-ms-date": date,
        "x-ms-version": "2026-04-06",
        Authorization: `SharedKey ${account}:${createHmac("sha256", Buffer.from(key, "base64")).update(text).digest("base64")}`,
    };
}

/** Cosmos DB master-key headers for `GET https://{account}.documents.azure.com/` (the account read). */
export function cosmosAccountHeaders(key: string, now = Date.now()): Record<string, string> {
    const date = new Date(now).toUTCString();
    const text = `get\n\n\n${date.toLowerCase()}\n\n`;
    const sig = createHmac("sha256", Buffer.from(key, "base64")).update(text).digest("base64");
    return { "x-ms-date": date, "x-ms-version": "2018-12-31", authorization: encodeURIComponent(`type=master&ver=1.0&sig=${sig}`) };
}

/** A Service Bus family SAS token: `SharedAccessSignature sr&sig&se&skn`, the key's UTF-8 bytes; `se` `lifetimeSeconds` from `now`. */
export function sasToken(key: string, rule: string, resource: string, lifetimeSeconds = 3600, now = Date.now()): string {
    const sr = encodeURIComponent(resource);
    const se = Math.floor(now / 1000) + lifetimeSeconds;
    const sig = encodeURIComponent(createHmac("sha256", key).update(`${sr}\n${se}`).digest("base64"));
    return `SharedAccessSignature sr=${sr}&sig=${sig}&se=${se}&skn=${rule}`;
}

/** A SignalR / Web PubSub REST token: HS256 with the key's UTF-8 bytes, `aud` the URL, `exp` `lifetimeSeconds` from `now`. */
export function serviceJwt(key: string, aud: string, lifetimeSeconds = 3600, now = Date.now()): string {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const seconds = Math.floor(now / 1000);
    const body = `${enc({ alg: "HS256", typ: "JWT" })}.${enc({ aud, iat: seconds, exp: seconds + lifetimeSeconds })}`;
    return `${body}.${createHmac("sha256", key).update(body).digest("base64url")}`;
}

/** Batch Shared Key headers for `GET https://{account}.westus.batch.azure.com/applications?api-version=2024-07-01.20.0&maxresults=1`. */
export function batchApplicationsHeaders(account: string, key: string, now = Date.now()): Record<string, string> {
    const date = new Date(now).toUTCString();
    const text = `GET\n\n\n\n\n\n\n\n\n\n\n\nocp-date:${date}\n/${account}/applications\napi-version:2024-07-01.20.0\nmaxresults:1`;
    return { "ocp-date": date, Authorization: `SharedKey ${account}:${createHmac("sha256", Buffer.from(key, "base64")).update(text).digest("base64")}` };
}

/** A key of the right shape that no resource has: what a wrong key looks like. */
export function wrongKey(like: string): string {
    return Buffer.from(Buffer.from(like, "base64").map((b) => b ^ 0xff)).toString("base64");
}
