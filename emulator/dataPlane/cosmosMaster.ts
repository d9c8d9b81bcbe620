/**
 * Cosmos DB master-key authorization: `authorization: encodeURIComponent("type=master&ver=1.0&sig=" +
 * b64 HMAC-SHA256(b64decode(key), verb + "\n" + resourceType + "\n" + resourceLink + "\n" + date + "\n\n"))`,
 * verb, type and date lower-cased, the link as is; `x-ms-date` (or `Date`) within 15 minutes.
 * Read-only keys serve reads only. Refusals are 401 in Cosmos' JSON (`{ code, message }`).
 */
import { createHmac, randomUUID } from "node:crypto";
import type { EmulatorResponse } from "../errors";
import { type DataPlaneRequest, type DataPlaneTarget, dateWithin, decodedKey, header, same, type UsableKey, type Verdict } from "./types";

/** The string a Cosmos request signs. */
export function cosmosStringToSign(method: string, resourceType: string, resourceLink: string, date: string): string {
    return `${method.toLowerCase()}\n${resourceType.toLowerCase()}\n${resourceLink}\n${date.toLowerCase()}\n\n`;
}

/** The authorization header's value for a key (URL-encoded, as the SDK sends it). */
export function cosmosAuthorization(key: string, text: string): string {
    const sig = createHmac("sha256", decodedKey(key)).update(text, "utf8").digest("base64");
    return encodeURIComponent(`type=master&ver=1.0&sig=${sig}`);
}

/** The resource type and link a path addresses: `/dbs/a/colls/b` is (`colls`, `dbs/a/colls/b`); `/dbs/a/colls` is (`colls`, `dbs/a`). */
export function resourceOf(path: string): { type: string; link: string } {
    const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (segments.length === 0) return { type: "", link: "" };
    if (segments.length % 2 === 0) return { type: segments[segments.length - 2], link: segments.join("/") };
    return { type: segments[segments.length - 1], link: segments.slice(0, -1).join("/") };
}

/** Checks a request; read-only keys (`…ReadOnly`) may only read. */
export function verifyCosmos(req: Pick<DataPlaneRequest, "method" | "headers" | "url" | "now">, keys: readonly UsableKey[]): Verdict & { signed?: string } {
    const raw = header(req.headers, "authorization");
    let decoded = "";
    try {
        decoded = decodeURIComponent(raw ?? "");
    } catch {}
    const m = /^type=master&ver=1\.0&sig=(.+)$/.exec(decoded);
    if (!m) return { ok: false, reason: "Required Header authorization is missing. Ensure a valid Authorization token is passed." };
    const date = header(req.headers, "x-ms-date") ?? header(req.headers, "date");
    const when = dateWithin(date, req.now);
    if (when === "missing") return { ok: false, reason: "The input date header is invalid format. Please pass in RFC 1123 style date format." };
    if (when !== "ok") {
        const at = new Date(req.now).toUTCString();
        return {
            ok: false,
            reason: `Authorization token is not valid at the current time. Please create another token and retry (token start time: ${date}, current server time: ${at}).`,
        };
    }
    const { type, link } = resourceOf(req.url.pathname);
    const text = cosmosStringToSign(req.method, type, link, date!);
    const key = keys.find((k) => same(decodeURIComponent(cosmosAuthorization(k.value, text)), decoded));
    if (!key) {
        return {
            ok: false,
            signed: text,
            reason: `The input authorization token can't serve the request. The wrong key is being used or the expected payload is not built as per the protocol. Server used the following payload to sign: '${text.replace(/\n/g, "\\n")}'`,
        };
    }
    const readOnly = /ReadOnly$/.test(key.keyType);
    if (readOnly && req.method !== "GET" && req.method !== "HEAD") return { ok: false, reason: "Request blocked by Auth: the read-only key cannot write." };
    return { ok: true, key };
}

/** Cosmos' JSON error. */
export function cosmosError(status: number, code: string, message: string): EmulatorResponse {
    return {
        status,
        body: { code, message: `${message}\r\nActivityId: ${randomUUID()}, Microsoft.Azure.Documents.Common/2.14.0` },
        headers: { "x-ms-activity-id": randomUUID() },
    };
}

/** Serves the database account read (`GET /`) and an empty database list. */
export function serveCosmos(req: DataPlaneRequest, target: DataPlaneTarget): EmulatorResponse {
    const resource = target.resources[0];
    // 401 with substatus 5202 (MicrosoftDocs/azure-databases-docs, how-to-container-copy.md quotes it).
    if (resource.localAuthDisabled) {
        const refusal = cosmosError(401, "Unauthorized", "Local Authorization is disabled. Use an AAD token to authorize all requests.");
        return { ...refusal, headers: { ...refusal.headers, "x-ms-substatus": "5202" } };
    }
    const verdict = verifyCosmos(req, target.keys(resource));
    if (!verdict.ok) return cosmosError(401, "Unauthorized", verdict.reason);
    const endpoint = `https://${req.host.replace(/:443$/, "")}:443/`;
    const headers = { "x-ms-activity-id": randomUUID(), "x-ms-request-charge": "0" };
    if (req.method === "GET" && req.url.pathname === "/") {
        const location = [{ name: "West US", databaseAccountEndpoint: endpoint }];
        return {
            status: 200,
            headers: { ...headers, "x-ms-max-media-storage-usage-mb": "10240", "x-ms-media-storage-usage-mb": "0" },
            body: {
                _self: "",
                id: target.name,
                _rid: `${target.name}.documents.azure.com`,
                media: "//media/",
                addresses: "//addresses/",
                _dbs: "//dbs/",
                writableLocations: location,
                readableLocations: location,
                enableMultipleWriteLocations: false,
                continuousBackupEnabled: false,
                enableNRegionSynchronousCommit: false,
                userReplicationPolicy: { asyncReplication: false, minReplicaSetSize: 3, maxReplicasetSize: 4 },
                userConsistencyPolicy: { defaultConsistencyLevel: "Session" },
                systemReplicationPolicy: { minReplicaSetSize: 3, maxReplicasetSize: 4 },
                readPolicy: { primaryReadCoefficient: 1, secondaryReadCoefficient: 1 },
                queryEngineConfiguration: "{}",
            },
        };
    }
    if (req.method === "GET" && req.url.pathname === "/dbs") return { status: 200, headers, body: { _rid: "", Databases: [], _count: 0 } };
    return cosmosError(404, "NotFound", "Entity with the specified id does not exist in the system.");
}
