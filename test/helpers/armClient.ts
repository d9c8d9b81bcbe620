import type { AzureEmulator } from "../../emulator";
import { AxiosArmClient, type AxiosArmClientOptions } from "../../src/arm/client";
import { resolveConfiguration } from "../../src/arm/configuration";
import { createCredential, TokenCache } from "../../src/arm/credential";

/**
 * The production client stack (settings from the environment, DefaultAzureCredential, token cache,
 * axios client) pointed at an emulator. Sets the AZURE_* variables of this test process.
 */
export function clientFor(emulator: AzureEmulator, options: Partial<AxiosArmClientOptions> = {}) {
    const env = emulator.env();
    for (const [k, v] of Object.entries(env)) if (k !== "NODE_EXTRA_CA_CERTS") process.env[k] = v;
    const configuration = resolveConfiguration(() => undefined, process.env);
    const { settings } = configuration;
    const tokens = new TokenCache(createCredential(configuration), settings.scope);
    const sleeps: number[] = [];
    const client = new AxiosArmClient({
        endpoint: settings.endpoint,
        tokens,
        // Waits are recorded, not slept: retry and polling tests stay fast and deterministic.
        sleep: async (ms) => void sleeps.push(ms),
        ...options,
    });
    return { client, tokens, sleeps };
}
