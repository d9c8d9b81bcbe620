import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { resolveConfiguration } from "../../src/arm/configuration";
import { createCredential, TokenCache } from "../../src/arm/credential";
import { startEmulator } from "../helpers/emulator";

// Signing in is one request per run, the token's, whichever credential and authority host: MSAL
// knows the endpoints of Microsoft's own authority hosts, and the package tells it those of any
// other (see entraAuthorityMetadata). Instance discovery stays off for a host MSAL does not know.

let emulator: AzureEmulator;
let proxy: string;
const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"];
const IDENTITY_VARIABLES = ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_AUTHORITY_HOST", "AZURE_RESOURCE_MANAGER_ENDPOINT"];

before(async () => {
    emulator = await startEmulator();
    proxy = await emulator.startProxy();
});
after(async () => {
    await emulator.stop();
});

/**
 * Signs in once as the provider would, with `config` as the stack config and `env` as the
 * environment (set in this process while it runs, for what @azure/identity reads itself: the
 * proxy, DefaultAzureCredential's AZURE_*); resolves with the sign-in requests the emulator saw,
 * and the hosts tunnelled through its proxy.
 */
async function signIn(env: Record<string, string>, config: Record<string, string> = {}) {
    const variables = [...new Set([...PROXY_VARIABLES, ...IDENTITY_VARIABLES, ...Object.keys(env)])];
    const saved = Object.fromEntries(variables.map((v) => [v, process.env[v]]));
    for (const v of variables) {
        if (env[v] === undefined) delete process.env[v];
        else process.env[v] = env[v];
    }
    try {
        emulator.clearRequests();
        emulator.tunnels.length = 0;
        const configuration = resolveConfiguration((key) => config[key], process.env);
        const tokens = new TokenCache(createCredential(configuration), configuration.settings.scope, { authority: configuration.settings.authorityHost });
        assert.ok((await tokens.token()).length > 0);
        const signIns = emulator.requests.filter((r) => ["Token", "OpenIdConfiguration", "FederatedToken"].includes(r.operation));
        return {
            requests: signIns.map((r) => `${r.operation} ${r.method} ${r.host}${r.path}`),
            tunnels: emulator.tunnels.map((t) => t.target),
        };
    } finally {
        for (const [v, value] of Object.entries(saved)) {
            if (value === undefined) delete process.env[v];
            else process.env[v] = value;
        }
    }
}

const tokenRequest = (host: string) => `Token POST ${host}/${emulator.identity.tenantId}/oauth2/v2.0/token`;

describe("sign-in is one request per run", () => {
    it("a client secret, on an authority host MSAL does not know (AZURE_AUTHORITY_HOST): the token request alone, no instance discovery", async () => {
        // Through the proxy, a call to the public cloud's instance discovery would show as a tunnel.
        const { requests, tunnels } = await signIn({ ...emulator.rehearsalEnv(), HTTPS_PROXY: proxy, NO_PROXY: "127.0.0.1,localhost" });
        assert.deepEqual(requests, [tokenRequest(new URL(emulator.url).host)]);
        assert.deepEqual(tunnels, []);
    });

    it("DefaultAzureCredential from AZURE_* (the emulator's own environment): the token request alone", async () => {
        const { requests } = await signIn(emulator.env());
        assert.deepEqual(requests, [tokenRequest(new URL(emulator.url).host)]);
    });

    it("a federated token (OIDC) given in stack config: the token request alone", async () => {
        const { requests } = await signIn(
            { AZURE_AUTHORITY_HOST: emulator.url, AZURE_RESOURCE_MANAGER_ENDPOINT: emulator.url },
            {
                "azure-native:useOidc": "true",
                "azure-native:clientId": emulator.identity.clientId,
                "azure-native:tenantId": emulator.identity.tenantId,
                "azure-native:oidcToken": emulator.identity.federatedToken(),
            },
        );
        assert.deepEqual(requests, [tokenRequest(new URL(emulator.url).host)]);
    });

    for (const [environment, authority] of [
        ["public", "login.microsoftonline.com"],
        ["usgovernment", "login.microsoftonline.us"],
        // MSAL sends China's sign-in to its preferred network name, as it does in Azure.
        ["china", "login.partner.microsoftonline.cn"],
    ]) {
        it(`azure-native:environment ${environment}, through the proxy: the token request to ${authority} alone (MSAL knows that host)`, async () => {
            const { requests } = await signIn(
                { HTTPS_PROXY: proxy },
                {
                    "azure-native:environment": environment,
                    "azure-native:clientId": emulator.identity.clientId,
                    "azure-native:tenantId": emulator.identity.tenantId,
                    "azure-native:clientSecret": emulator.identity.clientSecret,
                },
            );
            assert.deepEqual(requests, [tokenRequest(authority)]);
        });
    }
});
