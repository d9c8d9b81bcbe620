import { readFile } from "node:fs/promises";
import type { AccessToken, TokenCredential } from "@azure/identity";
import type { AzureConfiguration, CredentialChoice } from "./configuration";

/**
 * The credential the configuration chose. Loaded here, not at the top: check and diff never need
 * @azure/identity, the heaviest module.
 */
export function createCredential(configuration: Pick<AzureConfiguration, "settings" | "credential">): TokenCredential {
    const identity = require("@azure/identity") as typeof import("@azure/identity");
    const { settings, credential } = configuration;
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

/**
 * One token per process, shared by concurrent callers and reused until it is near expiry.
 * `forceRefresh` after a 401 drops the cached one.
 */
export class TokenCache {
    private current?: AccessToken;
    private pending?: Promise<AccessToken>;

    constructor(
        private readonly credential: TokenCredential,
        private readonly scope: string,
        private readonly refreshMarginMs = 5 * 60_000,
        private readonly now: () => number = Date.now,
    ) {}

    async token(forceRefresh = false): Promise<string> {
        if (forceRefresh) this.current = undefined;
        if (this.current && this.current.expiresOnTimestamp - this.now() > this.refreshMarginMs) return this.current.token;
        if (!this.pending) {
            this.pending = this.fetch().finally(() => (this.pending = undefined));
        }
        return (await this.pending).token;
    }

    private async fetch(): Promise<AccessToken> {
        let token: AccessToken | null;
        try {
            token = await this.credential.getToken(this.scope);
        } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            throw new Error(`Could not get an Azure access token for ${this.scope}: ${message}`);
        }
        if (!token) throw new Error(`Could not get an Azure access token for ${this.scope}: the credential returned none`);
        this.current = token;
        return token;
    }
}
