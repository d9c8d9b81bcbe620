import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { type EmulatorResponse, errors, oauthError } from "./errors";

/** The audience Microsoft Entra expects in a federated token. */
export const FEDERATED_AUDIENCE = "api://AzureADTokenExchange";

/** The one service principal the emulator knows. */
export interface IdentityOptions {
    /** The tenant id (a random GUID by default). */
    tenantId?: string;
    /** The application (client) id (a random GUID by default). */
    clientId?: string;
    /** The client secret (random by default). */
    clientSecret?: string;
    /** Token lifetime (default one hour). */
    tokenLifetimeSeconds?: number;
}

/**
 * The Microsoft Entra ID side: OpenID configuration, a client-credentials token endpoint (client
 * secret or federated assertion), a managed identity endpoint and a federated token issuer. Tokens
 * are HMAC-signed JWTs whose audience is the resource they were asked for: an ARM endpoint, or Key
 * Vault (`https://vault.azure.net` and the other clouds').
 */
export class Identity {
    readonly tenantId: string;
    readonly clientId: string;
    readonly clientSecret: string;
    /** The secret a managed identity endpoint expects in X-IDENTITY-HEADER (App Service's IDENTITY_HEADER). */
    readonly managedIdentityHeader = randomBytes(16).toString("hex");
    /** The bearer token of the federated token request endpoint (GitHub's ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
    readonly oidcRequestToken = randomBytes(16).toString("hex");
    private readonly signingKey = randomBytes(32);
    /** Signs federated tokens: the app trusts this issuer (a federated identity credential). */
    private readonly federationKey = randomBytes(32);
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

    /**
     * Client-credentials grant, with the client secret or a federated (OIDC) client assertion.
     * The scope's resource must be one of `audiences`: the ARM endpoints and Key Vault of the cloud asked.
     */
    token(base: string, tenant: string, form: URLSearchParams, audiences: readonly string[]): EmulatorResponse {
        if (tenant !== this.tenantId) return oauthError(400, "invalid_request", `Tenant '${tenant}' not found.`, 90002);
        if (form.get("grant_type") !== "client_credentials") {
            return oauthError(400, "unsupported_grant_type", "The emulator supports the client_credentials grant only.", 70003);
        }
        if (form.get("client_id") !== this.clientId) {
            return oauthError(400, "unauthorized_client", `Application with identifier '${form.get("client_id")}' was not found.`, 700016);
        }
        const refused = form.has("client_assertion") ? this.checkAssertion(form) : this.checkSecret(form);
        if (refused) return refused;
        const scope = form.get("scope") ?? "";
        const audience = scope
            .split(" ")
            .find((s) => s.endsWith("/.default"))
            ?.replace(/\/\.default$/, "");
        if (!audience || !audiences.includes(audience)) {
            return oauthError(400, "invalid_scope", `The resource principal named ${audience ?? scope} was not found in the tenant.`, 500011);
        }
        const token = this.issue(base, audience);
        return { status: 200, body: { token_type: "Bearer", expires_in: this.lifetimeSeconds, ext_expires_in: this.lifetimeSeconds, access_token: token } };
    }

    /**
     * The managed identity endpoint as App Service exposes it (IDENTITY_ENDPOINT with the
     * X-IDENTITY-HEADER secret): a token for `resource`, which must be one of `audiences`.
     */
    managedIdentityToken(base: string, header: string | undefined, query: URLSearchParams, audiences: readonly string[]): EmulatorResponse {
        if (!header || !safeEqual(header, this.managedIdentityHeader))
            return { status: 401, body: { statusCode: 401, message: "X-IDENTITY-HEADER is missing or wrong." } };
        const resource = (query.get("resource") ?? "").replace(/\/+$/, "");
        if (!audiences.includes(resource))
            return { status: 400, body: { statusCode: 400, message: `Resource '${resource}' is not an ARM or Key Vault audience of a cloud.` } };
        if (query.get("client_id") && query.get("client_id") !== this.clientId) {
            return { status: 400, body: { statusCode: 400, message: `No user-assigned identity with client id '${query.get("client_id")}'.` } };
        }
        const token = this.issue(base, resource);
        const expiresOn = Math.floor(Date.now() / 1000) + this.lifetimeSeconds;
        return { status: 200, body: { access_token: token, expires_on: String(expiresOn), resource, token_type: "Bearer", client_id: this.clientId } };
    }

    /** A federated token for the app, as an OIDC provider (GitHub Actions) would hand out. */
    federatedToken(audience = FEDERATED_AUDIENCE, lifetimeSeconds = 600): string {
        const now = Math.floor(Date.now() / 1000);
        return this.sign(
            {
                iss: "https://oidc.emulator.invalid",
                sub: "repo:example/infra:ref:refs/heads/main",
                aud: audience,
                iat: now,
                nbf: now,
                exp: now + lifetimeSeconds,
            },
            this.federationKey,
        );
    }

    /** The GitHub Actions style token request: `GET ?audience=` with the request token as bearer. */
    federatedTokenRequest(header: string | undefined, query: URLSearchParams): EmulatorResponse {
        if (header !== `Bearer ${this.oidcRequestToken}`) return { status: 401, body: { message: "Bad credentials" } };
        return { status: 200, body: { count: 1, value: this.federatedToken(query.get("audience") ?? FEDERATED_AUDIENCE) } };
    }

    /** Checks an ARM request's Authorization header against the audiences the endpoint accepts; undefined when valid. */
    authenticate(header: string | undefined, audiences: readonly string[]): EmulatorResponse | undefined {
        if (!header) return errors.missingAuthorization();
        const match = /^Bearer (.+)$/.exec(header);
        if (!match) return errors.invalidToken("not a bearer token");
        const claims = this.verify(match[1], this.signingKey);
        if (typeof claims === "string") return errors.invalidToken(claims);
        if (!audiences.includes(claims.aud ?? "")) return errors.invalidToken(`audience '${claims.aud}' is not '${audiences[0]}'`);
        if ((claims.exp ?? 0) < Date.now() / 1000) return errors.expiredToken();
        return undefined;
    }

    /** Whether an Authorization header carries a bearer token this identity issued (an Entra ID token, not a service's own JWT). */
    issuedHere(header: string | undefined): boolean {
        return this.claims(header) !== undefined;
    }

    /** The claims of the bearer token in an Authorization header, when this identity issued it (expired or not); otherwise undefined. */
    claims(header: string | undefined): { aud?: string; exp?: number; iss?: string; tid?: string; appid?: string } | undefined {
        const match = header ? /^Bearer (.+)$/.exec(header) : null;
        try {
            const claims = match ? this.verify(match[1], this.signingKey) : "none";
            return typeof claims === "string" ? undefined : claims;
        } catch {
            return undefined;
        }
    }

    private checkSecret(form: URLSearchParams): EmulatorResponse | undefined {
        if (!safeEqual(form.get("client_secret") ?? "", this.clientSecret))
            return oauthError(401, "invalid_client", "Invalid client secret provided.", 7000215);
        return undefined;
    }

    private checkAssertion(form: URLSearchParams): EmulatorResponse | undefined {
        if (form.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") {
            return oauthError(400, "invalid_request", "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.", 90014);
        }
        const claims = this.verify(form.get("client_assertion") ?? "", this.federationKey);
        if (typeof claims === "string" || claims.aud !== FEDERATED_AUDIENCE) {
            return oauthError(401, "invalid_client", "No matching federated identity record found for presented assertion.", 70021);
        }
        if ((claims.exp ?? 0) < Date.now() / 1000) return oauthError(401, "invalid_client", "Client assertion is not within its valid time range.", 700024);
        return undefined;
    }

    private issue(base: string, audience: string): string {
        this.issued++;
        const now = Math.floor(Date.now() / 1000);
        return this.sign(
            {
                aud: audience,
                iss: `${base}/${this.tenantId}/v2.0`,
                tid: this.tenantId,
                appid: this.clientId,
                iat: now,
                nbf: now,
                exp: now + this.lifetimeSeconds,
            },
            this.signingKey,
        );
    }

    /** The claims of a token this emulator signed with `key`, or why it is not one. */
    private verify(token: string, key: Buffer): { aud?: string; exp?: number; iss?: string; tid?: string; appid?: string } | string {
        const [head, payload, signature] = token.split(".");
        if (!head || !payload || !signature) return "malformed";
        const expected = createHmac("sha256", key).update(`${head}.${payload}`).digest("base64url");
        if (!safeEqual(signature, expected)) return "bad signature";
        return JSON.parse(Buffer.from(payload, "base64url").toString()) as { aud?: string; exp?: number; iss?: string; tid?: string; appid?: string };
    }

    private sign(claims: object, key: Buffer): string {
        const head = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
        const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
        const signature = createHmac("sha256", key).update(`${head}.${payload}`).digest("base64url");
        return `${head}.${payload}.${signature}`;
    }
}

function safeEqual(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
}
