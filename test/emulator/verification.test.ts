/**
 * Verification in the lifecycle: consumers only ever move to a key that was proven to work. The
 * lifecycle runs against the emulator's ARM; the proof is scripted here (the data-plane probes
 * themselves are tested against the emulator's real protocols elsewhere), so every outcome can be
 * forced: accepted, refused until the deadline, out of reach.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { createRotation, type ProofResult, RotationIncompleteError, type Runtime, refreshRotation, updateRotation } from "../../src/core/lifecycle";
import { runtimeOn } from "../helpers/armClient";
import { resourceIds, startEmulator } from "../helpers/emulator";

let emulator: AzureEmulator;
let runtime: Runtime;
/** What each proof answers next (accepted unless told otherwise), and the key types it was asked to prove. */
let answers: Array<Partial<ProofResult>> = [];
let proven: string[] = [];

before(async () => {
    emulator = await startEmulator({ lro: { pollsUntilDone: 1, retryAfterSeconds: 0 } });
    runtime = runtimeOn(emulator, {
        prove: async (_resource, keys, keyType) => {
            proven.push(keyType);
            assert.ok(keys[`${keyType.charAt(0).toLowerCase()}${keyType.slice(1)}Key` as "primaryKey"], `the ${keyType} key was read before it is proven`);
            const next = answers.shift();
            // A scripted `notSent` makes the proof throw, as a probe that cannot be built does.
            if (next?.notSent) throw new Error(next.notSent);
            return { accepted: true, answer: "HTTP 404", unreachable: false, attempts: 1, elapsedMs: 5, probe: "HEAD https://x/api (jwt)", ...next };
        },
    });
});
beforeEach(() => {
    answers = [];
    proven = [];
});
after(() => emulator.stop());

let n = 0;
function signalr(extra: Record<string, unknown> = {}) {
    const id = resourceIds(`verify${++n}`).signalr;
    emulator.createResource(id);
    return { id, inputs: { resourceId: id, keyType: "Alternate", trigger: "1", __provider: "p", ...extra } };
}

async function failing(promise: Promise<unknown>): Promise<RotationIncompleteError> {
    return promise.then(
        () => assert.fail("expected the rotation to stop at verification"),
        (e: unknown) => {
            assert.ok(e instanceof RotationIncompleteError, String(e));
            return e;
        },
    );
}

describe("consumers move only to a key proven to work", () => {
    it("an accepted proof moves consumers and records when the key was proven", async () => {
        const t = signalr();
        const outs = await createRotation(runtime, "id", t.inputs);
        assert.deepEqual(proven, ["Secondary"]);
        assert.equal(outs.activeKeyType, "Secondary");
        assert.equal(outs.activeKey, emulator.resource(t.id)!.keys.Secondary);
        assert.ok(outs.verifiedAt);
    });

    it("a key never accepted: the deployment fails, the rotation is recorded, consumers keep the key that works; the next deployment proves it again and moves them", async () => {
        const t = signalr();
        const primary = emulator.resource(t.id)!.keys.Primary;
        answers.push({ accepted: false, answer: "HTTP 401", attempts: 9, elapsedMs: 300_000 });
        const error = await failing(createRotation(runtime, "id", t.inputs));
        assert.match(
            error.message,
            /the new Secondary key is in place, but Azure SignalR Service has not accepted it yet: HEAD https:\/\/x\/api \(jwt\) answered HTTP 401 \(9 probes over 300 s\)/,
        );
        assert.match(error.message, /Consumers stay on the Primary key, which still works/);
        assert.match(error.message, /run `pulumi up` again to prove the key again/);
        const state = error.properties;
        assert.equal(state.rotatedKeyType, "Secondary", "the key did change in Azure");
        assert.equal(state.activeKeyType, "Primary");
        assert.equal(state.activeKey, primary, "activeKey is still the previous, valid key");
        assert.equal(state.secondaryKey, emulator.resource(t.id)!.keys.Secondary, "the new key is recorded");
        assert.equal(state.pendingStep, "verify");
        assert.equal(state.pendingKeyType, "Secondary");
        assert.equal(state.__provider, "p");

        emulator.clearRequests();
        const outs = await updateRotation(runtime, "id", state, t.inputs);
        assert.deepEqual(proven, ["Secondary", "Secondary"]);
        assert.ok(!emulator.armRequests().some((r) => /regenerate/i.test(r.path)), "no second regenerate");
        assert.equal(outs.activeKeyType, "Secondary");
        assert.equal(outs.previousKeyType, "Primary");
        assert.equal(outs.activeKey, emulator.resource(t.id)!.keys.Secondary);
        assert.equal(outs.pendingStep, undefined);
        assert.ok(outs.verifiedAt);
    });

    it("a proof that throws (its probe cannot be built) after the regenerate records the rotation as pending verification, never loses it", async () => {
        const t = signalr();
        const primary = emulator.resource(t.id)!.keys.Primary;
        answers.push({ notSent: "the probe needs the endpoint, which the key set does not have" });
        const error = await failing(createRotation(runtime, "id", t.inputs));
        assert.match(
            error.message,
            /the new Secondary key is in place, but Azure SignalR Service has not accepted it yet: its probe could not be sent \(the probe needs the endpoint, which the key set does not have\)\. Consumers stay on the Primary key/,
        );
        const state = error.properties;
        assert.equal(state.rotatedKeyType, "Secondary");
        assert.equal(state.activeKey, primary);
        assert.equal(state.secondaryKey, emulator.resource(t.id)!.keys.Secondary);
        assert.equal(state.pendingStep, "verify");

        const outs = await updateRotation(runtime, "id", state, t.inputs);
        assert.equal(outs.activeKeyType, "Secondary");
        assert.equal(outs.pendingStep, undefined);
    });

    it("an answer that neither accepts nor refuses a key says the probe may not fit, and how to switch verification off", async () => {
        const t = signalr();
        answers.push({ accepted: false, inconclusive: true, answer: "HTTP 400 Bad Request", attempts: 3 });
        const error = await failing(createRotation(runtime, "id", t.inputs));
        assert.match(error.message, /answered HTTP 400 Bad Request \(3 probes over \d+ s\)/);
        assert.match(
            error.message,
            /neither accepts nor refuses a key, and waiting does not change it: the probe may not fit this resource\. Set `verify: false`/,
        );
        assert.equal(error.properties.pendingStep, "verify");
    });

    it("a data plane out of reach says so and says how to switch verification off for this resource", async () => {
        const t = signalr();
        answers.push({ accepted: false, unreachable: true, answer: "no answer from x.service.signalr.net: ENOTFOUND", attempts: 3 });
        const error = await failing(createRotation(runtime, "id", t.inputs));
        assert.match(error.message, /has not accepted it yet: HEAD https:\/\/x\/api \(jwt\) got no answer from x\.service\.signalr\.net: ENOTFOUND/);
        assert.match(
            error.message,
            /could not be reached from where `pulumi up` runs: behind a private endpoint or a firewall\? Set `verify: false` on this KeyRotation/,
        );
    });

    it("a fixed key type is proven too; refused, it stays the active key (there is no other) and the deployment fails", async () => {
        const t = signalr({ keyType: "Primary" });
        answers.push({ accepted: false });
        const error = await failing(createRotation(runtime, "id", t.inputs));
        assert.equal(error.properties.activeKeyType, "Primary");
        assert.equal(error.properties.pendingStep, "verify");
        assert.match(error.message, /Consumers of the Primary key need the new one; it is recorded, but not proven to work/);
    });

    it("verify: false moves consumers without a proof; Salt has nothing to prove", async () => {
        await createRotation(runtime, "id", signalr({ verify: false }).inputs);
        await createRotation(runtime, "id", signalr({ keyType: "Salt" }).inputs);
        assert.deepEqual(proven, []);
    });

    it("switching a fixed key type moves consumers to another key: it is proven first", async () => {
        const t = signalr({ keyType: "Primary" });
        const state = await createRotation(runtime, "id", t.inputs);
        proven = [];
        answers.push({ accepted: false });
        const error = await failing(updateRotation(runtime, "id", state, { ...t.inputs, keyType: "Secondary" }));
        assert.deepEqual(proven, ["Secondary"]);
        assert.equal(error.properties.pendingStep, "verify");
    });

    it("a refresh keeps an unfinished verification for the next deployment, and consumers where they are", async () => {
        const t = signalr();
        answers.push({ accepted: false });
        const error = await failing(createRotation(runtime, "id", t.inputs));
        const refreshed = await refreshRotation(runtime, error.properties);
        assert.equal(refreshed.pendingStep, "verify");
        assert.equal(refreshed.activeKeyType, "Primary");
        assert.equal(refreshed.activeKey, emulator.resource(t.id)!.keys.Primary);
    });

    it("a read-back that failed is finished by the next deployment, which proves the key before moving consumers", async () => {
        const t = signalr();
        const created = await createRotation(runtime, "id", t.inputs);
        proven = [];
        emulator.faults.add({ operation: "SignalR_RegenerateKey", tamper: { body: "empty" } });
        emulator.faults.add({ operation: "SignalR_ListKeys", status: 403, code: "AuthorizationFailed", count: 10 });
        const inputs = { ...t.inputs, trigger: "2" };
        const error = await failing(updateRotation(runtime, "id", created, inputs));
        assert.equal(error.properties.pendingStep, "readBack");
        emulator.faults.clear();
        answers.push({ accepted: false });
        const second = await failing(updateRotation(runtime, "id", error.properties, inputs));
        assert.equal(second.properties.pendingStep, "verify");
        assert.equal(second.properties.activeKeyType, "Secondary");
        const outs = await updateRotation(runtime, "id", second.properties, inputs);
        assert.equal(outs.activeKeyType, "Primary");
        assert.deepEqual(proven, ["Primary", "Primary"]);
    });
});

describe("a read-back that fails after a regenerate keeps only values still valid", () => {
    let m = 0;
    const workflow = (service: "logic-apps-consumption" | "logic-apps-standard", keyType: string) => {
        const id = resourceIds(`cb${++m}`)[service];
        emulator.createResource(id);
        return { id, inputs: { resourceId: id, keyType, trigger: "1", __provider: "p" } };
    };
    const failReadBack = () => emulator.faults.add({ pathIncludes: "listCallbackUrl", status: 500, code: "InternalServerError", count: 50 });
    beforeEach(() => emulator.faults.clear());

    it("Alternate, on an update: the regenerated key's old value is dropped, the key consumers hold is kept", async () => {
        const id = resourceIds(`cb${++m}`).communication;
        emulator.createResource(id);
        const inputs = { resourceId: id, keyType: "Alternate", trigger: "1", __provider: "p", verify: false };
        const state = await createRotation(runtime, "id", inputs);
        assert.equal(state.activeKeyType, "Secondary");
        emulator.faults.add({ operation: "CommunicationServices_ListKeys", status: 500, code: "InternalServerError", count: 50 });
        const error = await failing(updateRotation(runtime, "id", state, { ...inputs, trigger: "2" }));
        assert.equal(error.properties.pendingStep, "readBack");
        assert.equal(error.properties.rotatedKeyType, "Primary");
        assert.equal(error.properties.primaryKey, undefined, "the revoked Primary key is not recorded as current");
        assert.equal(error.properties.primaryConnectionString, undefined);
        assert.equal(error.properties.secondaryKey, emulator.resource(id)!.keys.Secondary);
        assert.equal(error.properties.activeKey, emulator.resource(id)!.keys.Secondary);
    });

    it("Logic Apps Consumption, fixed Primary: the callback URL signed with the regenerated key is not kept", async () => {
        const t = workflow("logic-apps-consumption", "Primary");
        const state = await createRotation(runtime, "id", t.inputs);
        assert.ok(state.callbackUrl);
        failReadBack();
        const error = await failing(updateRotation(runtime, "id", state, { ...t.inputs, trigger: "2" }));
        assert.equal(error.properties.pendingStep, "readBack");
        assert.equal(error.properties.callbackUrl, undefined, "a URL signed with the revoked key is not recorded as current");
        emulator.faults.clear();
        const outs = await updateRotation(runtime, "id", error.properties, { ...t.inputs, trigger: "2" });
        assert.ok(outs.callbackUrl);
        assert.notEqual(outs.callbackUrl, state.callbackUrl);
    });

    it("Logic Apps Consumption, Alternate: the URL consumers hold is signed with the other key, and is kept", async () => {
        const t = workflow("logic-apps-consumption", "Alternate");
        const state = await createRotation(runtime, "id", t.inputs);
        failReadBack();
        const error = await failing(updateRotation(runtime, "id", state, { ...t.inputs, trigger: "2" }));
        assert.equal(error.properties.pendingStep, "readBack");
        assert.equal(error.properties.callbackUrl, state.callbackUrl);
    });

    it("Logic Apps Standard, Primary: the trigger callback URLs (signed with the primary key) are not kept", async () => {
        const t = workflow("logic-apps-standard", "Primary");
        const state = await createRotation(runtime, "id", t.inputs);
        assert.ok(state.callbackUrls);
        failReadBack();
        const error = await failing(updateRotation(runtime, "id", state, { ...t.inputs, trigger: "2" }));
        assert.equal(error.properties.pendingStep, "readBack");
        assert.equal(error.properties.callbackUrls, undefined);
    });
});
