import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, beforeEach } from "node:test";
import type * as pulumi from "@pulumi/pulumi";
import type { AzureEmulator } from "../../emulator";
import { captureRegistrations, type HostError, ProviderHost, programDirectory, type Registration, type StackConfig } from "../../scripts/engine";
import { KeyRotation, type KeyRotationArgs } from "../../src";
import { resourceIds, startEmulator } from "./emulator";

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

/**
 * One emulator and one provider host for a test file, as a deployment meets them: started before its
 * tests (with `proxy`, the emulator's CONNECT proxy in HTTPS_PROXY, for data planes and vaults reached
 * by their real names), the emulator's faults and request log cleared before each test, both stopped
 * after. `provider` is the serialized provider a registration carries. `ready` receives them once
 * started, before any test runs.
 */
export function sharedHost(options: { emulator?: Parameters<typeof startEmulator>[0]; proxy?: boolean }, ready: (shared: SharedHost) => void): void {
    const shared = {} as SharedHost;
    let stop: () => Promise<void> = async () => undefined;
    before(async () => {
        shared.emulator = await startEmulator(options.emulator);
        const env: Record<string, string> = {};
        if (options.proxy) {
            shared.proxy = await shared.emulator.startProxy();
            Object.assign(env, { HTTPS_PROXY: shared.proxy, NO_PROXY: "127.0.0.1,localhost" });
        }
        ({ host: shared.host, stop } = await startHost(shared.emulator, env));
        shared.provider = (await register({ p: { resourceId: resourceIds("shared").signalr } })).p.inputs.__provider;
        ready(shared);
    });
    beforeEach(() => {
        shared.emulator.faults.clear();
        shared.emulator.clearRequests();
    });
    after(async () => {
        await stop();
        await shared.emulator?.stop();
    });
}

/** What {@link sharedHost} starts. */
export interface SharedHost {
    emulator: AzureEmulator;
    host: ProviderHost;
    provider: unknown;
    /** The emulator's CONNECT proxy, with `proxy: true`. */
    proxy: string;
}
