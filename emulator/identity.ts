import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { EmulatorResponse, errors, oauthError } from "./errors";

/** The one service principal the emulator knows. */
export interface IdentityOptions {
    tenantId?: string;
    clientId?: string;
    clientSecret?: string;
    /** Token lifetime (default one hour). */
    tokenLifetimeSeconds?: number;
}

/**
 * The Microsoft Entra ID side: OpenID configuration and a client-credentials token endpoint.
 * Tokens are HMAC-signed JWTs whose audience is the emulator's ARM endpoint.
 */
export class Identity {
    readonly tenantId: string;
    readonly clientId: string;
    readonly clientSecret: string;
    private readonly signingKey = randomBytes(32);
    private readonly lifetimeSeconds: number;
    /** Tokens issued so far (for tests: "one token per process"). */
    issued = 0;

    constructor(options: IdentityOptions = {}) {
        this.tenantId = options.tenantId ?? randomUUID();
        this.clientId = options.clientId ?? randomUUID();
        this.clientSecret = options.clientSecret ?? randomBytes(24).toString("base64url");
        this.lifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
    }

    openIdConfiguration(base: string, tenant: string): EmulatorResponse {
        if (tenant !== this.tenantId && tenant !== "common" && tenant !== "organizations") {
            return oauthError(400, "invalid_tenant", `Tenant '${tenant}' not found.`, 90002);
        }
        const t = `${base}/${tenant}`;
        return {
            status: 200,
            body: {
                token_endpoint: `${t}/oauth2/v2.0/token`,
                authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
                device_authorization_endpoint: `${t}/oauth2/v2.0/devicecode`,
                end_session_endpoint: `${t}/oauth2/v2.0/logout`,
                jwks_uri: `${t}/discovery/v2.0/keys`,
                issuer: `${base}/${this.tenantId}/v2.0`,
                token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
                response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
                scopes_supported: ["openid", "profile", "email", "offline_access"],
                subject_types_supported: ["pairwise"],
                id_token_signing_alg_values_supported: ["RS256"],
                tenant_region_scope: null,
                cloud_instance_name: "emulator",
            },
        };
    }

    /** Client-credentials grant. The scope must be the emulator's ARM endpoint + "/.default". */
    token(base: string, tenant: string, form: URLSearchParams): EmulatorResponse {
        if (tenant !== this.tenantId) return oauthError(400, "invalid_request", `Tenant '${tenant}' not found.`, 90002);
        if (form.get("grant_type") !== "client_credentials") {
            return oauthError(400, "unsupported_grant_type", "The emulator supports the client_credentials grant only.", 70003);
        }
        if (form.get("client_id") !== this.clientId) {
            return oauthError(400, "unauthorized_client", `Application with identifier '${form.get("client_id")}' was not found.`, 700016);
        }
        if (!safeEqual(form.get("client_secret") ?? "", this.clientSecret)) {
            return oauthError(401, "invalid_client", "Invalid client secret provided.", 7000215);
        }
        const scope = form.get("scope") ?? "";
        const audience = scope.split(" ").find((s) => s.endsWith("/.default"))?.replace(/\/\.default$/, "");
        if (audience !== base) {
            return oauthError(400, "invalid_scope", `The resource principal named ${audience ?? scope} was not found.`, 500011);
        }
        this.issued++;
        const now = Math.floor(Date.now() / 1000);
        const claims = { aud: audience, iss: `${base}/${this.tenantId}/v2.0`, tid: this.tenantId, appid: this.clientId, iat: now, nbf: now, exp: now + this.lifetimeSeconds };
        return {
            status: 200,
            body: { token_type: "Bearer", expires_in: this.lifetimeSeconds, ext_expires_in: this.lifetimeSeconds, access_token: this.sign(claims) },
        };
    }

    /** Checks an ARM request's Authorization header; undefined when it is valid. */
    authenticate(header: string | undefined, base: string): EmulatorResponse | undefined {
        if (!header) return errors.missingAuthorization();
        const match = /^Bearer (.+)$/.exec(header);
        if (!match) return errors.invalidToken("not a bearer token");
        const [head, payload, signature] = match[1].split(".");
        if (!head || !payload || !signature) return errors.invalidToken("malformed");
        const expected = createHmac("sha256", this.signingKey).update(`${head}.${payload}`).digest("base64url");
        if (!safeEqual(signature, expected)) return errors.invalidToken("bad signature");
        const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as { aud?: string; exp?: number };
        if (claims.aud !== base) return errors.invalidToken(`audience '${claims.aud}' is not '${base}'`);
        if ((claims.exp ?? 0) < Date.now() / 1000) return errors.expiredToken();
        return undefined;
    }

    private sign(claims: object): string {
        const head = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
        const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
        const signature = createHmac("sha256", this.signingKey).update(`${head}.${payload}`).digest("base64url");
        return `${head}.${payload}.${signature}`;
    }
}

function safeEqual(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
}
