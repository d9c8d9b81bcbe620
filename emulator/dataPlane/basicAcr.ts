/**
 * Container Registry's admin user, the Docker registry token protocol: `GET /v2/` without
 * credentials answers 401 with `Www-Authenticate: Bearer realm="https://{registry}/oauth2/token",service="{registry}"`;
 * `GET /oauth2/token?service=…&scope=…` with `Authorization: Basic base64(user:password)` answers
 * an access token; `/v2/` then accepts that token, or Basic credentials directly. The user is the
 * registry's name; either admin password works.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { EmulatorResponse } from "../errors";
import { type DataPlaneRequest, type DataPlaneTarget, header, same, type UsableKey, type Verdict } from "./types";

/** Checks `Basic base64(user:password)` against the registry's name and admin passwords. */
export function verifyBasic(value: string | undefined, registry: string, keys: readonly UsableKey[]): Verdict {
    const m = value ? /^Basic\s+(\S+)$/i.exec(value.trim()) : null;
    if (!m) return { ok: false, reason: "authentication required" };
    const decoded = Buffer.from(m[1], "base64").toString("utf8");
    const at = decoded.indexOf(":");
    if (at < 0) return { ok: false, reason: "authentication required" };
    const [user, password] = [decoded.slice(0, at), decoded.slice(at + 1)];
    if (user.toLowerCase() !== registry.toLowerCase()) return { ok: false, reason: "authentication required" };
    const key = keys.find((k) => same(k.value, password));
    return key ? { ok: true, key } : { ok: false, reason: "authentication required" };
}

/** Signs the registry's access tokens (per emulator process). */
const TOKEN_KEY = randomBytes(32);

function accessToken(registry: string, scope: string, now: number): string {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const body = `${enc({ alg: "HS256", typ: "JWT" })}.${enc({ iss: "Azure Container Registry", aud: registry, scope, exp: Math.floor(now / 1000) + 3600 })}`;
    return `${body}.${createHmac("sha256", TOKEN_KEY).update(body).digest("base64url")}`;
}

function tokenValid(token: string, registry: string, now: number): boolean {
    const [head, payload, sig] = token.split(".");
    if (!head || !payload || !sig || !same(createHmac("sha256", TOKEN_KEY).update(`${head}.${payload}`).digest("base64url"), sig)) return false;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as { aud?: string; exp?: number };
    return claims.aud === registry && (claims.exp ?? 0) * 1000 > now;
}

/** The registry's 401: the challenge, and the distribution error body. */
function unauthorized(registry: string, message: string): EmulatorResponse {
    return {
        status: 401,
        headers: {
            "Www-Authenticate": `Bearer realm="https://${registry}/oauth2/token",service="${registry}"`,
            "Docker-Distribution-Api-Version": "registry/2.0",
        },
        body: { errors: [{ code: "UNAUTHORIZED", message, detail: null }] },
    };
}

/** Serves `/v2/` and the token endpoint. */
export function serveAcr(req: DataPlaneRequest, target: DataPlaneTarget): EmulatorResponse {
    const resource = target.resources[0];
    const registry = req.host.toLowerCase().replace(/:443$/, "");
    const auth = header(req.headers, "authorization");
    if (req.method === "GET" && /^\/oauth2\/token\/?$/i.test(req.url.pathname)) {
        const verdict = verifyBasic(auth, target.name, target.keys(resource));
        if (!verdict.ok)
            return {
                status: 401,
                body: { errors: [{ code: "UNAUTHORIZED", message: "authentication required, visit https://aka.ms/acr/authorization for more information." }] },
            };
        return { status: 200, body: { access_token: accessToken(registry, req.url.searchParams.get("scope") ?? "", req.now) } };
    }
    if (/^\/v2(\/.*)?$/.test(req.url.pathname)) {
        const bearer = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
        const ok = bearer ? tokenValid(bearer[1], registry, req.now) : verifyBasic(auth, target.name, target.keys(resource)).ok;
        if (!ok) return unauthorized(registry, "authentication required, visit https://aka.ms/acr/authorization for more information.");
        const headers = { "Docker-Distribution-Api-Version": "registry/2.0" };
        if (req.url.pathname === "/v2/" || req.url.pathname === "/v2") return { status: 200, headers, body: {} };
        if (req.url.pathname === "/v2/_catalog") return { status: 200, headers, body: { repositories: [] } };
        return { status: 404, headers, body: { errors: [{ code: "NAME_UNKNOWN", message: "repository name not known to registry", detail: null }] } };
    }
    return { status: 404, body: { errors: [{ code: "NOT_FOUND", message: "not found", detail: null }] } };
}
