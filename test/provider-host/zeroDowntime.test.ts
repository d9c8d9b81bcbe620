import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { simulateConsumers } from "../../scripts/consumers";
import { stateAged as aged, keyRotationUrn, type ProviderHost, type ResourceState, up } from "../../scripts/engine";
import { alternatePairs, CATALOG, keyOutputsOf } from "../../src/catalog";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { register, startHost } from "../helpers/host";

let emulator: AzureEmulator;
let host: ProviderHost;
let stopHost: () => Promise<void>;
const DAY = 86_400_000;

before(async () => {
    emulator = await startEmulator();
    ({ host, stop: stopHost } = await startHost(emulator));
});
after(async () => {
    await stopHost();
    await emulator.stop();
});

/** Every pair a KeyRotation can alternate: Alternate everywhere there is a pair, AlternateReadOnly too for Cosmos DB and App Configuration. */
const alternating = CATALOG.flatMap((entry) => Object.entries(alternatePairs(entry)).map(([alternate, pair]) => ({ entry, alternate, pair })));
const prefixOf = (service: string, alternate: string) => `${alternate === "Alternate" ? "alt" : "altro"}-${service}`;

describe("keyType Alternate through Pulumi's dynamic-provider host", () => {
    for (const { entry, alternate, pair } of alternating) {
        const [first, second] = pair;
        it(`${entry.service}: ${alternate} regenerates ${second} first, then alternates; active outputs follow, and are secret`, async () => {
            const id = resourceIds(prefixOf(entry.service, alternate))[entry.service];
            emulator.createResource(id);
            // keyType left out: Alternate is the default.
            const name = prefixOf(entry.service, alternate);
            const args = alternate === "Alternate" ? { resourceId: id, trigger: "0" } : { resourceId: id, trigger: "0", keyType: alternate };
            const { [name]: reg } = await register({ [name]: args });
            for (const output of ["activeKey", "activeConnectionString", "callbackUrl"]) assert.ok(reg.additionalSecretOutputs.includes(output), output);

            let state: ResourceState | undefined;
            const seen: string[][] = [];
            const keyOutput = (keyType: string) => keyOutputsOf(entry, keyType).Key;
            const connectionOutput = (keyType: string) => keyOutputsOf(entry, keyType).ConnectionString;
            for (let i = 0; i < 3; i++) {
                const before = { ...emulator.resource(id)!.keys };
                ({ state } = await up(host, keyRotationUrn(name), { ...reg.inputs, trigger: String(i) }, state));
                const o = state.outputs;
                const r = emulator.resource(id)!;
                const active = String(o.activeKeyType);
                const previous = active === first ? second : first;
                seen.push([String(o.rotatedKeyType), active, String(o.previousKeyType)]);
                // Only the key that was not active changed; the one consumers used, and every other key, is untouched.
                for (const [keyType, value] of Object.entries(r.keys)) {
                    if (keyType === active) assert.notEqual(value, before[keyType], `${keyType} regenerated`);
                    else assert.equal(value, before[keyType], `${keyType} untouched`);
                }
                assert.equal(o.keyType, alternate);
                if (keyOutput(active)) {
                    assert.equal(o.activeKey, o[keyOutput(active)!]);
                    assert.equal(o.activeKey, r.keys[active]);
                    assert.equal(o[keyOutput(previous)!], r.keys[previous], "the previous key is output too");
                } else {
                    // Logic Apps Consumption: no key, a callback URL signed with the active key.
                    assert.equal(emulator.authenticate(id, String(o.callbackUrl)), active);
                }
                if (connectionOutput(active)) {
                    assert.equal(o.activeConnectionString, o[connectionOutput(active)!]);
                    assert.equal(emulator.authenticate(id, String(o.activeConnectionString)), active);
                } else {
                    assert.equal(o.activeConnectionString, undefined);
                }
                // Outputs of the other pair belong to another KeyRotation: never output here.
                for (const other of entry.keyTypes.filter((k) => !pair.includes(k.name))) {
                    for (const output of Object.values(keyOutputsOf(entry, other.name))) assert.equal(o[output], undefined, `${output} not owned`);
                }
            }
            assert.deepEqual(seen, [
                [second, second, first],
                [first, first, second],
                [second, second, first],
            ]);
        });
    }

    it("switching a fixed Primary rotation to Alternate regenerates nothing, keeps Primary active, and next regenerates Secondary", async () => {
        const id = resourceIds("switch").communication;
        emulator.createResource(id);
        const { sw } = await register({ sw: { resourceId: id, keyType: "Primary", trigger: "1" } });
        let { state } = await up(host, keyRotationUrn("sw"), sw.inputs);
        assert.equal(state.outputs.activeKeyType, "Primary");
        emulator.clearRequests();
        const switched = await up(host, keyRotationUrn("sw"), { ...sw.inputs, keyType: "alternate" }, state);
        assert.equal(switched.step, "update");
        // Alternate owns the Secondary key too, which the Primary rotation never output: it is read, not regenerated.
        assert.deepEqual(
            emulator.armRequests().map((r) => r.operation),
            ["CommunicationServices_ListKeys"],
        );
        assert.equal(switched.state.outputs.secondaryKey, emulator.resource(id)!.keys.Secondary);
        assert.deepEqual([switched.state.outputs.activeKeyType, switched.state.outputs.previousKeyType], ["Primary", "Secondary"]);
        const secondary = emulator.resource(id)!.keys.Secondary;
        ({ state } = await up(host, keyRotationUrn("sw"), { ...sw.inputs, keyType: "alternate", trigger: "2" }, switched.state));
        assert.notEqual(emulator.resource(id)!.keys.Secondary, secondary);
        assert.equal(state.outputs.activeKeyType, "Secondary");
    });
});

describe("rotateEvery through Pulumi's dynamic-provider host", () => {
    const id = resourceIds("sched").signalr;
    let inputs: Record<string, unknown>;
    let state: ResourceState;
    const generations = () => emulator.resource(id)!.generations;
    const urn = keyRotationUrn("sched");

    before(async () => {
        emulator.createResource(id);
        ({
            sched: { inputs },
        } = await register({ sched: { resourceId: id, rotateEvery: "30d" } }));
        ({ state } = await up(host, urn, inputs));
    });

    it("records the schedule: next rotation one interval after the first", () => {
        const next = Date.parse(String(state.outputs.nextRotationAt));
        assert.ok(Math.abs(next - (Date.now() + 30 * DAY)) < 60_000, String(state.outputs.nextRotationAt));
        assert.equal(state.outputs.rotationReason, "created");
        assert.equal(state.outputs.rotateEvery, "30d");
        assert.deepEqual(generations(), { Primary: 0, Secondary: 1, Salt: 0 });
    });

    it("inside the interval, deployments do nothing and call nothing", async () => {
        emulator.clearRequests();
        for (const days of [0, 12, 29]) {
            const result = await up(host, urn, inputs, aged(state, days));
            assert.equal(result.step, "same", `after ${days} days`);
        }
        assert.equal(emulator.armRequests().length, 0);
    });

    it("once due, preview shows the pending rotation and its reason; up performs it once; no loop after", async () => {
        const late = aged(state, 41);
        const checked = await host.check(urn, late.inputs, inputs);
        assert.match(String(checked.inputs.rotationReason), /^rotateEvery 30d elapsed: due since 20\d\d-/);
        assert.notEqual(checked.inputs.nextRotationAt, late.inputs.nextRotationAt);
        const diff = await host.diff(late.id, urn, late.outputs, checked.inputs);
        assert.equal(diff.changes, "some");
        assert.deepEqual(diff.replaces, []);

        emulator.clearRequests();
        const rotated = await up(host, urn, inputs, late);
        assert.equal(rotated.step, "update");
        assert.deepEqual(generations(), { Primary: 1, Secondary: 1, Salt: 0 });
        assert.equal(rotated.state.outputs.activeKeyType, "Primary");
        // The next interval counts from this (late) rotation: a deployment straight after does nothing.
        const next = Date.parse(String(rotated.state.outputs.nextRotationAt));
        assert.ok(Math.abs(next - (Date.now() + 30 * DAY)) < 60_000);
        const again = await up(host, urn, inputs, rotated.state);
        assert.equal(again.step, "same");
        state = rotated.state;
    });

    it("a new trigger rotates inside the interval too, and restarts it", async () => {
        const result = await up(host, urn, { ...inputs, trigger: "now" }, aged(state, 5));
        assert.equal(result.step, "update");
        assert.equal(result.state.outputs.rotationReason, "trigger changed");
        assert.deepEqual(generations(), { Primary: 1, Secondary: 2, Salt: 0 });
        assert.ok(Math.abs(Date.parse(String(result.state.outputs.nextRotationAt)) - (Date.now() + 30 * DAY)) < 60_000);
    });
});

// Services side by side through the one host, as `pulumi up` deploys independent resources; each
// live consumer calls every 2 ms (not back to back), which leaves the CPU to the deployments and
// still calls with every credential a deployment outputs (scripts/consumers.ts).
describe("consumers across 10 rotations (emulated data plane)", { concurrency: 8 }, () => {
    for (const { entry, alternate, pair } of alternating) {
        it(`${entry.service}: with ${alternate} no consumer ever fails; with a fixed keyType (${pair[0]}) they do`, async () => {
            const results: Record<string, Awaited<ReturnType<typeof simulateConsumers>>> = {};
            for (const keyType of [alternate, pair[0]]) {
                const createResource = (id: string) => emulator.createResource(id);
                results[keyType] = await simulateConsumers({
                    host,
                    dataPlaneUrl: emulator.url,
                    service: entry.service,
                    keyType,
                    rotations: 10,
                    createResource,
                    liveIntervalMs: 2,
                });
            }
            const { [alternate]: alternated, [pair[0]]: fixed } = results;
            assert.ok(alternated.liveAttempts > 10, "the live consumer kept calling");
            assert.deepEqual([alternated.liveFailures, alternated.lateChecks, alternated.lateFailures], [0, 10, 0]);
            // A fixed key type revokes the key every consumer holds: the late one fails after every rotation.
            assert.deepEqual([fixed.lateChecks, fixed.lateFailures], [10, 10]);
        });
    }
});
