import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { AzureEmulator } from "../../emulator";
import { captureRegistrations, type HostError, ProviderHost, programDirectory, type Registration, type StackConfig } from "../../scripts/engine";
import { KeyRotation, type KeyRotationArgs } from "../../src";

export const packageRoot = join(__dirname, "..", "..", "..");

/** Pulumi's dynamic-provider host in a program directory that resolves this package, on an emulator. */
export async function startHost(emulator: AzureEmulator, env: Record<string, string> = {}, config: StackConfig = {}) {
    const dir = programDirectory(packageRoot);
    const host = await ProviderHost.start({ cwd: dir, env: { ...emulator.env(), ...env }, config });
    return {
        host,
        async stop() {
            await host.stop();
            rmSync(dir, { recursive: true, force: true });
        },
    };
}

/**
 * KeyRotation's inputs with `keyType` and `rotateEvery` as any string: what a program can hand over
 * from config (its types refuse typos at compile time; tests drive the checks made at run time).
 */
export type AnyKeyRotationArgs = Omit<KeyRotationArgs, "keyType" | "rotateEvery"> & { keyType?: pulumi.Input<string>; rotateEvery?: pulumi.Input<string> };

/** The registration (inputs with `__provider`) of KeyRotations, as `pulumi up` would send them. */
export async function register(resources: Record<string, AnyKeyRotationArgs>): Promise<Record<string, Registration>> {
    // Verification is off unless a test asks for it: it needs the data plane behind the emulator's proxy.
    const regs = await captureRegistrations(() =>
        Object.entries(resources).map(([name, args]) => new KeyRotation(name, { verify: false, ...args } as KeyRotationArgs)),
    );
    return Object.fromEntries(regs.map((r) => [r.name, r]));
}

/** The error of a deployment that must fail (the engine's view: the host's error, with ErrorResourceInitFailed's state when one was recorded). */
export async function failing(promise: Promise<unknown>): Promise<HostError> {
    return promise.then(
        () => assert.fail("expected the deployment to fail"),
        (e: HostError) => e,
    );
}

/** How many regenerates the emulator answered since its log was last cleared. */
export function regenerateCount(emulator: AzureEmulator): number {
    return emulator.armRequests().filter((r) => r.method === "POST" && /regenerate/i.test(r.path)).length;
}
