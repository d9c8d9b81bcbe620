import { readFile } from "node:fs/promises";
import type { AccessToken, TokenCredential } from "@azure/identity";
import type { AzureConfiguration, CredentialChoice } from "./configuration";
import { redact, rememberSecret } from "./errors";

/**
 * The credential the configuration chose. Loaded here, not at the top: check and diff never need
 * @azure/identity, the heaviest module.
 */
export function createCredential(configuration: Pick<AzureConfiguration, "settings" | "credential">): TokenCredential {
    const identity = require("@azure/identity") as typeof import("@azure/identity");
    const { settings, credential } = configuration;
    // Secrets held only to sign in: no message may ever carry them.
    for (const secret of Object.values(credential)) rememberSecret(secret);
    const options = { authorityHost: settings.authorityHost, disableInstanceDiscovery: settings.disableInstanceDiscovery };
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
            token = await Promise.race([this.credential.getToken(this.scope, { abortSignal: abort.signal }), deadline]);
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
