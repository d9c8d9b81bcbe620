import type { AzureEmulator } from "../../emulator";
import { AxiosArmClient, type AxiosArmClientOptions } from "../../src/arm/client";
import { resolveConfiguration } from "../../src/arm/configuration";
import { createCredential, TokenCache } from "../../src/arm/credential";
import type { ArmClient } from "../../src/core/armClient";
import { parseResourceId } from "../../src/core/resourceId";
import type { RotationContext } from "../../src/core/rotate";

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

/** The rotation context the provider would build for a target, over a given client. */
export function contextFor(client: ArmClient, resourceId: string, apiVersion?: string): RotationContext {
    const parsed = parseResourceId(resourceId);
    if (!parsed.ok) throw new Error(parsed.reason);
    return { client, target: parsed.target, apiVersion: apiVersion ?? parsed.target.entry.defaultApiVersion, cloud: "public" };
}
