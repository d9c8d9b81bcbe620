import type { AccessToken, TokenCredential } from "@azure/identity";
import { ArmSettings } from "./settings";

/** Creates the credential for the settings: DefaultAzureCredential, so every usual sign-in works. */
export function createCredential(settings: ArmSettings): TokenCredential {
    // Loaded here, not at the top: check and diff never need it, and it is the heaviest module.
    const { DefaultAzureCredential } = require("@azure/identity") as typeof import("@azure/identity");
    return new DefaultAzureCredential({
        authorityHost: settings.authorityHost,
        disableInstanceDiscovery: settings.disableInstanceDiscovery,
    });
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
