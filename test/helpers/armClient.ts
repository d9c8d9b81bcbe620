import type { AzureEmulator } from "../../emulator";
import { AxiosArmClient, type AxiosArmClientOptions } from "../../src/arm/client";
import { resolveConfiguration } from "../../src/arm/configuration";
import { createCredential, TokenCache } from "../../src/arm/credential";
import type { ArmClient } from "../../src/core/armClient";
import type { Runtime } from "../../src/core/lifecycle";
import { parseResourceId } from "../../src/core/resourceId";
import type { RotationContext } from "../../src/core/rotate";
import type { StoreRequest, StoreResult } from "../../src/core/steps";

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

/**
 * The lifecycle's Runtime on the emulator's ARM, in this process: `context` as the provider builds
 * it (public cloud), nothing remembered, the real clock; proofs, Key Vault writes and waits are the
 * test's (`parts`).
 */
export function runtimeOn(emulator: AzureEmulator, parts: Pick<Runtime, "prove"> & Partial<Runtime>): Runtime {
    const { client } = clientFor(emulator);
    return {
        context: (inputs, resource, signWith) => ({
            client,
            target: resource,
            apiVersion: inputs.apiVersion || resource.entry.defaultApiVersion,
            cloud: "public",
            signWith,
        }),
        remember: () => undefined,
        now: () => new Date(),
        ...parts,
    };
}

/** A Key Vault stand-in for a Runtime's `store`: it records each write, and refuses the next `failures` (403, as RBAC would). */
export function keyVaultStandIn() {
    const vault = {
        writes: [] as StoreRequest[],
        failures: 0,
        reset() {
            vault.writes = [];
            vault.failures = 0;
        },
        store: async (request: StoreRequest): Promise<StoreResult> => {
            if (vault.failures > 0) {
                vault.failures--;
                throw new Error("writing to Key Vault x failed: HTTP 403 Forbidden/ForbiddenByRbac");
            }
            vault.writes.push(request);
            const version = `${vault.writes.length}`.padStart(32, "0");
            return { id: `${request.vaultUri}secrets/${request.secretName}/${version}`, version };
        },
    };
    return vault;
}
