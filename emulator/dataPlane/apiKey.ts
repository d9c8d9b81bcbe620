/**
 * Services that take the key itself in a header: AI Search (`api-key`; admin keys for service
 * statistics, a wrong one answers 403 with an empty body), Azure OpenAI / AI Services (`api-key` or
 * `Ocp-Apim-Subscription-Key`; 401 `{"error":{"code":"401",…}}`) and Maps (`subscription-key`
 * header or query parameter, on a host shared by every account; 401 JSON).
 */
import { randomUUID } from "node:crypto";
import type { EmulatorResponse } from "../errors";
import { type DataPlaneRequest, type DataPlaneTarget, header, same, type UsableKey, type Verdict } from "./types";

/** The key among `keys` equal to `presented`. */
export function verifyApiKey(presented: string | undefined, keys: readonly UsableKey[]): Verdict {
    if (!presented) return { ok: false, reason: "missing" };
    const key = keys.find((k) => same(k.value, presented));
    return key ? { ok: true, key } : { ok: false, reason: "invalid" };
}

const counter = (usage: number, quota: number | null) => ({ usage, quota });

/** Search's service statistics with every counter and limit the SDK reads. */
export const SERVICE_STATISTICS = {
    counters: {
        aliasesCount: counter(0, 30),
        documentCount: counter(0, null),
        indexesCount: counter(0, 15),
        indexersCount: counter(0, 15),
        dataSourcesCount: counter(0, 15),
        storageSize: counter(0, 2147483648),
        synonymMaps: counter(0, 3),
        skillsetCount: counter(0, 15),
        vectorIndexSize: counter(0, 1073741824),
    },
    limits: {
        maxStoragePerIndex: 2147483648,
        maxFieldsPerIndex: 1000,
        maxFieldNestingDepthPerIndex: 10,
        maxComplexCollectionFieldsPerIndex: 40,
        maxComplexObjectsInCollectionsPerDocument: 3000,
        maxCumulativeIndexerRuntimeSeconds: 86400,
    },
};

/** AI Search: service statistics and the index list for an admin key. */
export function serveSearch(req: DataPlaneRequest, target: DataPlaneTarget): EmulatorResponse {
    const resource = target.resources[0];
    const presented = header(req.headers, "api-key");
    if (!presented) return { status: 401, rawBody: "" };
    const verdict = verifyApiKey(presented, target.keys(resource));
    if (!verdict.ok) return { status: 403, rawBody: "" };
    const base = `https://${req.host}`;
    const json = (body: object): EmulatorResponse => ({
        status: 200,
        rawBody: JSON.stringify(body),
        contentType: "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8",
        headers: { "request-id": randomUUID(), "OData-Version": "4.0" },
    });
    if (req.method === "GET" && /^\/servicestats\/?$/i.test(req.url.pathname))
        return json({ "@odata.context": `${base}/$metadata#Microsoft.Azure.Search.V2026_04_01.ServiceStatistics`, ...SERVICE_STATISTICS });
    if (req.method === "GET" && /^\/indexes\/?$/i.test(req.url.pathname)) return json({ "@odata.context": `${base}/$metadata#indexes`, value: [] });
    return { status: 404, body: { error: { code: "", message: `No HTTP resource was found that matches the request URI '${base}${req.url.pathname}'.` } } };
}

const ACCESS_DENIED =
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.";

/** Azure OpenAI / AI Services: the model list and the STS token, for either header. */
export function serveCognitive(req: DataPlaneRequest, target: DataPlaneTarget): EmulatorResponse {
    const resource = target.resources[0];
    const headers = { "apim-request-id": randomUUID() };
    const presented = header(req.headers, "api-key") ?? header(req.headers, "ocp-apim-subscription-key");
    if (presented && resource.localAuthDisabled)
        return {
            status: 403,
            headers,
            body: { error: { code: "AuthenticationTypeDisabled", message: "Key based authentication is disabled for this resource." } },
        };
    const verdict = verifyApiKey(presented, target.keys(resource));
    if (!verdict.ok) return { status: 401, headers, body: { error: { code: "401", message: ACCESS_DENIED } } };
    if (req.method === "GET" && /^\/openai\/models\/?$/i.test(req.url.pathname)) {
        const model = (id: string) => ({
            id,
            object: "model",
            created_at: 1_700_000_000,
            status: "succeeded",
            lifecycle_status: "generally-available",
            capabilities: { chat_completion: true, completion: false, embeddings: false, fine_tune: false, inference: true },
            deprecation: { inference: 1_900_000_000 },
        });
        return { status: 200, headers, body: { data: [model("gpt-4o"), model("gpt-4o-mini")], object: "list" } };
    }
    if (req.method === "POST" && /^\/sts\/v1\.0\/issueToken\/?$/i.test(req.url.pathname)) {
        const claims = Buffer.from(JSON.stringify({ region: "westus", exp: Math.floor(req.now / 1000) + 600 })).toString("base64url");
        return { status: 200, headers, rawBody: `eyJhbGciOiJub25lIn0.${claims}.`, contentType: "text/plain; charset=us-ascii" };
    }
    return { status: 404, headers, body: { error: { code: "404", message: "Resource not found" } } };
}

/** A 1×1 transparent PNG: what a tile request gets. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

/** Maps: the key alone says which account; tiles answer a PNG. */
export function serveMaps(req: DataPlaneRequest, target: DataPlaneTarget): EmulatorResponse {
    const presented = header(req.headers, "subscription-key") ?? req.url.searchParams.get("subscription-key") ?? undefined;
    const verdict = verifyApiKey(presented, target.allKeys());
    if (!verdict.ok) {
        return {
            status: 401,
            body: {
                error: {
                    code: "401 Unauthorized",
                    message: presented
                        ? "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."
                        : "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.",
                },
            },
        };
    }
    if (req.method === "GET" && /^\/map\/tile\/?$/i.test(req.url.pathname)) return { status: 200, rawBody: PNG, contentType: "image/png" };
    return { status: 404, body: { error: { code: "404 Not Found", message: "Resource not found." } } };
}
