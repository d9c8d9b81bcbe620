import { readFile } from "node:fs/promises";
import type { AccessToken, TokenCredential, TokenCredentialOptions } from "@azure/identity";
import type { AzureConfiguration, CredentialChoice } from "./configuration";
import { diagnoseSignIn, type Probe } from "./diagnose";
import { redact, rememberSecret } from "./errors";

/**
 * The credential the configuration chose, whose failures say why in words a user can act on (see
 * {@link explained}). Loaded here, not at the top: check and diff never need @azure/identity, the
 * heaviest module.
 */
export function createCredential(
    configuration: Pick<AzureConfiguration, "settings" | "credential"> & Partial<Pick<AzureConfiguration, "source" | "shadowed">>,
    probe?: Probe,
): TokenCredential {
    return explained(sdkCredential(configuration), configuration, probe);
}

function sdkCredential(configuration: Pick<AzureConfiguration, "settings" | "credential">): TokenCredential {
    const identity = require("@azure/identity") as typeof import("@azure/identity");
    const { settings, credential } = configuration;
    // Secrets held only to sign in: no message may ever carry them.
    for (const secret of Object.values(credential)) rememberSecret(secret);
    const options: TokenCredentialOptions & { disableInstanceDiscovery: boolean } = {
        authorityHost: settings.authorityHost,
        disableInstanceDiscovery: settings.disableInstanceDiscovery,
        additionalPolicies: [{ policy: entraAuthorityMetadata(settings.authorityHost), position: "perCall" }],
    };
    switch (credential.kind) {
        case "clientSecret":
            return new identity.ClientSecretCredential(credential.tenantId, credential.clientId, credential.clientSecret, options);
        case "oidc":
            return new identity.ClientAssertionCredential(credential.tenantId, credential.clientId, () => federatedToken(credential), options);
        case "managedIdentity":
            return credential.clientId ? new identity.ManagedIdentityCredential({ clientId: credential.clientId }) : new identity.ManagedIdentityCredential();
        case "default":
            return new identity.DefaultAzureCredential({ ...options, tenantId: credential.tenantId });
    }
}

type PipelinePolicy = NonNullable<TokenCredentialOptions["additionalPolicies"]>[number]["policy"];
type PipelineResponse = Awaited<ReturnType<PipelinePolicy["sendRequest"]>>;

/** MSAL's endpoint discovery: `GET {authority host}/{tenant}/v2.0/.well-known/openid-configuration`. */
const DISCOVERY_PATH = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;

/**
 * Answers MSAL's endpoint discovery for `authorityHost` without asking the authority, so that
 * signing in is one request (the token's) wherever the authority host is.
 *
 * MSAL knows the endpoints of Microsoft's own authority hosts (login.microsoftonline.com, .us,
 * login.partner.microsoftonline.cn) and asks for nothing there; for any other host (set by
 * AZURE_AUTHORITY_HOST: an isolated cloud, the emulator) it first fetches the tenant's OpenID
 * configuration, one more request per run. A Microsoft Entra authority's endpoints follow one
 * layout, `{host}/{tenant}/oauth2/v2.0/token` and its siblings: the template MSAL itself holds for
 * the hosts it knows (AzureAD/microsoft-authentication-library-for-js,
 * lib/msal-common/src/authority/AuthorityMetadata.ts), and the one MSAL for
 * .NET uses for every Entra authority without asking (AzureAD/microsoft-authentication-library-for-dotnet,
 * src/client/Microsoft.Identity.Client/Instance/AadAuthority.cs). @azure/identity 4.13 does not pass
 * MSAL's own `authorityMetadata` option through, so this answers the request in the credential's
 * HTTP pipeline instead (`additionalPolicies`, a public option of every credential). Only that GET,
 * to that host: the token request, and everything else, goes out as before, TLS verified. ADFS
 * (tenant `adfs`) has another layout and is asked as before. Instance discovery is untouched:
 * `disableInstanceDiscovery` still keeps it from calling the public cloud for a host it does not know.
 */
export function entraAuthorityMetadata(authorityHost: string): PipelinePolicy {
    const origin = new URL(authorityHost).origin;
    return {
        name: "keyRotationEntraAuthorityMetadata",
        async sendRequest(request, next) {
            const url = new URL(request.url);
            const tenant = DISCOVERY_PATH.exec(url.pathname)?.[1];
            if (request.method !== "GET" || url.origin !== origin || !tenant || tenant.toLowerCase() === "adfs") return next(request);
            const base = `${origin}/${tenant}`;
            const document = {
                token_endpoint: `${base}/oauth2/v2.0/token`,
                authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
                end_session_endpoint: `${base}/oauth2/v2.0/logout`,
                jwks_uri: `${base}/discovery/v2.0/keys`,
                issuer: `${base}/v2.0`,
            };
            return { request, status: 200, headers: jsonHeaders(), bodyAsText: JSON.stringify(document) } satisfies PipelineResponse;
        },
    };
}

/** The headers of a JSON answer, as the pipeline's response type holds them. */
function jsonHeaders(): PipelineResponse["headers"] {
    const map = new Map<string, string>([["content-type", "application/json; charset=utf-8"]]);
    return {
        get: (name) => map.get(name.toLowerCase()),
        has: (name) => map.has(name.toLowerCase()),
        set: (name, value) => void map.set(name.toLowerCase(), String(value)),
        delete: (name) => void map.delete(name.toLowerCase()),
        toJSON: () => Object.fromEntries(map),
        [Symbol.iterator]: () => map.entries(),
    };
}

/** What to set when nothing is: azure-native's settings first, as users of it already have them. */
const NOTHING_CONFIGURED =
    "no Azure identity is configured for KeyRotation. Set the stack config azure-native uses, azure-native:clientId, azure-native:tenantId " +
    "and azure-native:clientSecret (`pulumi config set --secret azure-native:clientSecret …`), or the variables ARM_CLIENT_ID, ARM_TENANT_ID " +
    "and ARM_CLIENT_SECRET; or azure-native:useOidc / ARM_USE_OIDC with a federated token; or azure-native:useMsi / ARM_USE_MSI on an Azure " +
    "machine; or sign in with `az login`. DefaultAzureCredential tried each source it knows:";

/**
 * A credential whose failures name their cause: nothing configured at all (with the settings to
 * use), or, found by one plain request after the failure, an untrusted certificate, nothing
 * listening at the authority or the ARM endpoint, an unknown tenant. Each message also says which
 * identity was used, from which settings, and which other settings it won over.
 */
function explained(
    inner: TokenCredential,
    configuration: Pick<AzureConfiguration, "settings" | "credential"> & Partial<Pick<AzureConfiguration, "source" | "shadowed">>,
    probe?: Probe,
): TokenCredential {
    const { settings, credential, source, shadowed } = configuration;
    const identity = source ? ` Identity: ${source}${shadowed ? `; ${shadowed}` : ""}.` : "";
    return {
        async getToken(scopes, options) {
            try {
                return await inner.getToken(scopes, options);
            } catch (error) {
                if (options?.abortSignal?.aborted) throw error;
                const message = error instanceof Error ? error.message : String(error);
                const unavailable = unavailableCredentials(error);
                if (credential.kind === "default" && unavailable) throw new Error(`${NOTHING_CONFIGURED} ${unavailable}.`);
                const cause =
                    credential.kind === "managedIdentity"
                        ? undefined
                        : await diagnoseSignIn(
                              {
                                  authorityHost: settings.authorityHost,
                                  authorityFrom: settings.authorityFrom,
                                  endpoint: settings.endpoint,
                                  endpointFrom: settings.endpointFrom,
                                  tenant: tenantOf(configuration),
                              },
                              probe,
                          ).catch(() => undefined);
                throw new Error(cause ? `${cause}.${identity} (The sign-in library said: ${message})` : `${message}${identity}`);
            }
        },
    };
}

/** The tenant signed in to, and where its id came from (the source names it), when known. */
function tenantOf(configuration: Pick<AzureConfiguration, "credential"> & Partial<Pick<AzureConfiguration, "source">>) {
    const { credential, source = "" } = configuration;
    const id = "tenantId" in credential ? credential.tenantId : undefined;
    if (id) return { id, from: /azure-native:tenantId|ARM_TENANT_ID/.exec(source)?.[0] ?? "the configuration" };
    // DefaultAzureCredential reads its tenant from the environment itself.
    if (credential.kind === "default" && process.env.AZURE_TENANT_ID) return { id: process.env.AZURE_TENANT_ID, from: "AZURE_TENANT_ID" };
    return undefined;
}

/**
 * With DefaultAzureCredential: when every credential of its chain was unavailable (nothing is
 * configured), their reasons, one short clause each; otherwise undefined.
 */
function unavailableCredentials(error: unknown): string | undefined {
    const errors = (error as { name?: string; errors?: unknown[] } | undefined)?.errors;
    if ((error as { name?: string } | undefined)?.name !== "AggregateAuthenticationError" || !Array.isArray(errors) || errors.length === 0) return undefined;
    if (!errors.every((e) => (e as { name?: string })?.name === "CredentialUnavailableError")) return undefined;
    return errors.map((e) => firstSentence((e as Error).message)).join("; ");
}

function firstSentence(text: string): string {
    const line = text.split("\n")[0];
    const end = line.search(/\.(\s|$)/);
    return end > 0 ? line.slice(0, end) : line;
}

/** The federated (OIDC) token: as given, from its file (renewed on disk), or from the request URL. */
async function federatedToken(credential: Extract<CredentialChoice, { kind: "oidc" }>): Promise<string> {
    if (credential.token) return credential.token;
    if (credential.tokenFilePath) return (await readFile(credential.tokenFilePath, "utf8")).trim();
    const axios = (require("axios") as typeof import("axios")).default;
    const url = new URL(credential.requestUrl!);
    url.searchParams.set("audience", credential.audience);
    const response = await axios.get(url.toString(), {
        headers: { Authorization: `Bearer ${credential.requestToken}`, Accept: "application/json" },
        validateStatus: () => true,
        timeout: 30_000,
        maxRedirects: 0,
    });
    const value = (response.data as { value?: unknown } | undefined)?.value;
    if (response.status !== 200 || typeof value !== "string" || value === "") {
        // The host only: the request URL's query and the bearer token stay out of messages.
        throw new Error(`the OIDC token request to ${url.host} answered ${response.status} without a token`);
    }
    return value;
}

/** Where and how the token cache signs in, for its messages. */
export interface SignInOptions {
    /** Where sign-in goes, e.g. `https://login.microsoftonline.com`, or `the managed identity endpoint`. */
    authority: string;
    /** Which setting chose the identity, e.g. `stack config (azure-native:clientSecret)`. */
    source?: string;
    /** Sign-in ends within this long, answered or not. */
    timeoutMs?: number;
    /** The tenant to ask for the token in, where a resource names its own (Key Vault's challenge). */
    tenantId?: string;
    refreshMarginMs?: number;
    now?: () => number;
}

/** How long one sign-in may take before it fails. */
export const SIGN_IN_TIMEOUT_MS = 60_000;

/**
 * One token per process, shared by concurrent callers and reused until it is near expiry.
 * `forceRefresh` after a 401 drops the cached one. Every sign-in ends within its deadline, and
 * every token is remembered as a secret so no message can carry it.
 */
export class TokenCache {
    private current?: AccessToken;
    private pending?: Promise<AccessToken>;
    private readonly options: SignInOptions;

    constructor(
        private readonly credential: TokenCredential,
        private readonly scope: string,
        options: SignInOptions | string = { authority: "the authority host" },
    ) {
        this.options = typeof options === "string" ? { authority: options } : options;
    }

    async token(forceRefresh = false): Promise<string> {
        const now = this.options.now ?? Date.now;
        if (forceRefresh) this.current = undefined;
        if (this.current && this.current.expiresOnTimestamp - now() > (this.options.refreshMarginMs ?? 5 * 60_000)) return this.current.token;
        if (!this.pending) {
            this.pending = this.fetch().finally(() => (this.pending = undefined));
        }
        return (await this.pending).token;
    }

    private async fetch(): Promise<AccessToken> {
        const timeoutMs = this.options.timeoutMs ?? SIGN_IN_TIMEOUT_MS;
        const abort = new AbortController();
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
                abort.abort();
                reject(
                    new SignInError(
                        `signing in timed out after ${Math.round(timeoutMs / 1000)} s: no answer from ${this.options.authority}` +
                            `${this.options.source ? ` (identity from ${this.options.source})` : ""}`,
                    ),
                );
            }, timeoutMs);
        });
        let token: AccessToken | null;
        try {
            const options = this.options.tenantId ? { abortSignal: abort.signal, tenantId: this.options.tenantId } : { abortSignal: abort.signal };
            token = await Promise.race([this.credential.getToken(this.scope, options), deadline]);
        } catch (error) {
            if (error instanceof SignInError) throw new Error(`Could not get an Azure access token for ${this.scope}: ${error.message}`);
            const message = error instanceof Error ? error.message : String(error);
            throw new Error(redact(`Could not get an Azure access token for ${this.scope} from ${this.options.authority}: ${message}`));
        } finally {
            clearTimeout(timer);
        }
        if (!token) throw new Error(`Could not get an Azure access token for ${this.scope}: the credential returned none`);
        rememberSecret(token.token);
        this.current = token;
        return token;
    }
}

class SignInError extends Error {}
