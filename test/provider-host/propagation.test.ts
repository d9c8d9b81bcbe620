/**
 * What verification prevents, for every service that has a probe: Azure does not accept a new key
 * everywhere at once. With a propagation delay on the emulator's data planes, `Alternate` without
 * verification moves live consumers to a key the service still refuses; with verification (the
 * default), the deployment waits until the service accepts the key, and no consumer call fails.
 * Through Pulumi's dynamic-provider host, which reaches the data planes through the emulator's proxy.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { simulateConsumers } from "../../scripts/consumers";
import type { ProviderHost } from "../../scripts/engine";
import { CATALOG, pairOf } from "../../src/catalog";
import { startEmulator } from "../helpers/emulator";
import { startHost } from "../helpers/host";

const PROPAGATION_MS = 700;
let emulator: AzureEmulator;
let host: ProviderHost;
let stopHost: () => Promise<void>;

before(async () => {
    emulator = await startEmulator({ lro: { pollsUntilDone: 1, retryAfterSeconds: 0 } });
    ({ host, stop: stopHost } = await startHost(emulator, { HTTPS_PROXY: await emulator.startProxy() }));
});
after(async () => {
    await stopHost();
    await emulator.stop();
});

// Services side by side through the one host, as `pulumi up` deploys independent resources: the
// waits (keys propagating, the provider's pause between probes) overlap. Each live consumer calls
// every 2 ms, not back to back: a few hundred calls in each 700 ms window, with the CPU left to the
// deployments.
describe(`keys that take ${PROPAGATION_MS} ms to propagate, two Alternate rotations`, { concurrency: 8 }, () => {
    for (const entry of CATALOG.filter((e) => "scheme" in e.verify && pairOf(e, "Alternate"))) {
        it(`${entry.service}: without verification live consumers fail; with it, none does`, async () => {
            const createResource = (id: string) => emulator.createResource(id, { keyPropagationMs: PROPAGATION_MS });
            const common = { host, dataPlaneUrl: emulator.url, service: entry.service, keyType: "Alternate", rotations: 2, createResource, liveIntervalMs: 2 };
            const unverified = await simulateConsumers({ ...common, verify: false });
            const verified = await simulateConsumers({ ...common, verify: true });
            assert.ok(unverified.liveFailures > 0, `without verification the live consumer should hit a propagating key: ${JSON.stringify(unverified)}`);
            assert.equal(verified.liveFailures, 0, JSON.stringify(verified));
            assert.equal(verified.lateFailures, 0, JSON.stringify(verified));
            assert.ok(verified.liveAttempts > 0);
        });
    }
});
