/**
 * SignalR Service and Web PubSub REST APIs: `Authorization: Bearer <JWT>`, HS256 (or HS512, which
 * SignalR's .NET SDK can use) signed with the access key's UTF-8 bytes (the base64-looking text is
 * not decoded), `aud` the request URL, `exp` in the future. `kid` is ignored (the .NET SDK puts a
 * per-process hash there). Refusals are 401 with an empty body and ASP.NET Core JwtBearer's
 * `WWW-Authenticate: Bearer error="invalid_token", error_description="…"`.
 */
import { createHmac } from "node:crypto";
import type { EmulatorResponse } from "../errors";
import { type DataPlaneRequest, type DataPlaneTarget, header, same, type UsableKey, type Verdict } from "./types";

/** JwtBearer's default clock skew. */
const SKEW_SECONDS = 300;

const ALGORITHMS: Record<string, string> = { HS256: "sha256", HS512: "sha512" };

/**
 * Checks a token against the keys and the request URL (`https://host[:port]/path?query`). The
 * audience matches with or without its query and trailing slash (the JS SDK signs the full URL,
 * the REST documentation says without the query), host case-insensitive, default port optional.
 */
export function verifyJwt(token: string, keys: readonly UsableKey[], requestUrl: string, now: number): Verdict {
    const parts = token.split(".");
    if (parts.length !== 3) return { ok: false, reason: "IDX12741: JWT is not well formed" };
    const [head, payload, signature] = parts;
    let alg: unknown;
    let claims: { aud?: unknown; exp?: unknown; nbf?: unknown };
    try {
        alg = (JSON.parse(Buffer.from(head, "base64url").toString("utf8")) as { alg?: unknown }).alg;
        claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as typeof claims;
    } catch {
        return { ok: false, reason: "IDX12741: JWT is not well formed" };
    }
    const hash = typeof alg === "string" ? ALGORITHMS[alg] : undefined;
    if (!hash) return { ok: false, reason: "The signature key was not found" };
    const key = keys.find((k) => same(createHmac(hash, Buffer.from(k.value, "utf8")).update(`${head}.${payload}`).digest("base64url"), signature));
    if (!key) return { ok: false, reason: "The signature key was not found" };
    const seconds = now / 1000;
    if (typeof claims.exp !== "number") return { ok: false, reason: "The token has no expiration" };
    if (claims.exp + SKEW_SECONDS < seconds) return { ok: false, reason: `The token expired at '${new Date(claims.exp * 1000).toUTCString()}'` };
    if (typeof claims.nbf === "number" && claims.nbf - SKEW_SECONDS > seconds) return { ok: false, reason: "The token is not valid yet" };
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((aud) => typeof aud === "string" && sameResource(aud, requestUrl))) return { ok: false, reason: "The audience is invalid" };
    return { ok: true, key };
}

/** Two URLs name the same resource: scheme, host (any case), port (default optional), path without a trailing slash; queries ignored. */
function sameResource(a: string, b: string): boolean {
    const norm = (text: string) => {
        try {
            const url = new URL(text);
            return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
        } catch {
            return undefined;
        }
    };
    const x = norm(a);
    return x !== undefined && x === norm(b);
}

const HUB_PATH = /^\/api\/(?:v1\/)?hubs\/[^/]+(?:\/(?:users|groups|connections)\/[^/]+)?$/i;

/** Serves the REST API's existence checks: 404 (nobody is connected) once the token is valid. */
export function serveJwt(req: DataPlaneRequest, target: DataPlaneTarget): EmulatorResponse {
    const path = req.url.pathname;
    // Health needs no token, so it proves nothing about a key.
    if (/^\/api\/(?:v1\/)?health$/i.test(path)) return { status: 200, rawBody: "" };
    const auth = header(req.headers, "authorization");
    const match = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
    if (!match) return { status: 401, rawBody: "", headers: { "WWW-Authenticate": "Bearer" } };
    // disableLocalAuth: an access-key token is refused with 403 (seen on SignalR's server connection, microsoft/aspire#9798; inferred for REST).
    if (target.resources.some((r) => r.localAuthDisabled)) return { status: 403, rawBody: "" };
    const verdict = verifyJwt(match[1], target.allKeys(), req.url.href, req.now);
    if (!verdict.ok) {
        return { status: 401, rawBody: "", headers: { "WWW-Authenticate": `Bearer error="invalid_token", error_description="${verdict.reason}"` } };
    }
    if ((req.method === "HEAD" || req.method === "GET") && HUB_PATH.test(path)) return { status: 404, rawBody: "" };
    return { status: 404, rawBody: "" };
}
