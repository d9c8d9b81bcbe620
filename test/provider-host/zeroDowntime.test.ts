import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { simulateConsumers } from "../../scripts/consumers";
import { stateAged as aged, keyRotationUrn, type ProviderHost, type ResourceState, up } from "../../scripts/engine";
import { CATALOG } from "../../src/catalog";
import { expectedOutputs, resourceIds, startEmulator } from "../helpers/emulator";
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

const alternating = CATALOG.filter((e) => "pairs" in e.alternate);

describe("keyType Alternate through Pulumi's dynamic-provider host", () => {
    for (const entry of alternating) {
        it(`${entry.service}: regenerates Secondary first, then alternates; active outputs follow, and are secret`, async () => {
            const id = resourceIds(`alt-${entry.service}`)[entry.service];
            emulator.createResource(id);
            // keyType left out: Alternate is the default.
            const { [entry.service]: reg } = await register({ [entry.service]: { resourceId: id, trigger: "0" } });
            for (const output of ["activeKey", "activeConnectionString"]) assert.ok(reg.additionalSecretOutputs.includes(output), output);

            let state: ResourceState | undefined;
            const seen: string[][] = [];
            for (let i = 0; i < 3; i++) {
                const primaryBefore = emulator.resource(id)!.keys.Primary;
                const secondaryBefore = emulator.resource(id)!.keys.Secondary;
                ({ state } = await up(host, keyRotationUrn(`alt-${entry.service}`), { ...reg.inputs, trigger: String(i) }, state));
                const o = state.outputs;
                const r = emulator.resource(id)!;
                seen.push([String(o.rotatedKeyType), String(o.activeKeyType), String(o.previousKeyType)]);
                // Only the key that was not active changed; the one consumers used is untouched.
                const regenerated = o.activeKeyType === "Primary" ? [primaryBefore, r.keys.Primary] : [secondaryBefore, r.keys.Secondary];
                const kept = o.activeKeyType === "Primary" ? [secondaryBefore, r.keys.Secondary] : [primaryBefore, r.keys.Primary];
                assert.notEqual(regenerated[0], regenerated[1]);
                assert.equal(kept[0], kept[1]);
                assert.equal(o.keyType, "Alternate");
                assert.equal(o.activeKey, o.activeKeyType === "Primary" ? o.primaryKey : o.secondaryKey);
                assert.equal(o.activeKey, o.activeKeyType === "Primary" ? r.keys.Primary : r.keys.Secondary);
                if (expectedOutputs(entry, "Alternate").includes("primaryConnectionString")) {
                    assert.equal(o.activeConnectionString, o.activeKeyType === "Primary" ? o.primaryConnectionString : o.secondaryConnectionString);
                } else {
                    assert.equal(o.activeConnectionString, undefined);
                }
            }
            assert.deepEqual(seen, [
                ["Secondary", "Secondary", "Primary"],
                ["Primary", "Primary", "Secondary"],
                ["Secondary", "Secondary", "Primary"],
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

describe("consumers across 10 rotations (emulated data plane)", () => {
    for (const entry of alternating) {
        it(`${entry.service}: with Alternate no consumer ever fails; with a fixed keyType they do`, async () => {
            const results: Record<string, Awaited<ReturnType<typeof simulateConsumers>>> = {};
            for (const keyType of ["Alternate", "Primary"]) {
                const createResource = (id: string) => emulator.createResource(id);
                results[keyType] = await simulateConsumers({
                    host,
                    dataPlaneUrl: emulator.url,
                    service: entry.service,
                    keyType,
                    rotations: 10,
                    createResource,
                });
            }
            const { Alternate: alternate, Primary: fixed } = results;
            assert.ok(alternate.liveAttempts > 10, "the live consumer kept calling");
            assert.deepEqual([alternate.liveFailures, alternate.lateChecks, alternate.lateFailures], [0, 10, 0]);
            // A fixed key type revokes the key every consumer holds: the late one fails after every rotation.
            assert.deepEqual([fixed.lateChecks, fixed.lateFailures], [10, 10]);
        });
    }
});
