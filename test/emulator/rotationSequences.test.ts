/**
 * Sequences of deployments the single-step tests do not cover, against the emulator's ARM with the
 * lifecycle run in this process (waits recorded, proofs and Key Vault writes scripted): a rotation
 * that stopped, followed by another trigger, another keyType, verify or keyVault changed, or a
 * refresh. Each checks the guarantees: the recorded key set is the current one, a key consumers
 * hold is not revoked, a pending rotation is resumed and not redone blindly.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { createRotation, RotationIncompleteError, type Runtime, refreshRotation, updateRotation } from "../../src/core/lifecycle";
import { keyVaultStandIn, runtimeOn } from "../helpers/armClient";
import { resourceIds, startEmulator } from "../helpers/emulator";

let emulator: AzureEmulator;
let runtime: Runtime;
let proven: string[] = [];
let refusals = 0;
const vault = keyVaultStandIn();

before(async () => {
    emulator = await startEmulator({ lro: { pollsUntilDone: 1, retryAfterSeconds: 0 } });
    runtime = runtimeOn(emulator, {
        prove: async (_resource, _keys, keyType) => {
            proven.push(keyType);
            if (refusals > 0) {
                refusals--;
                return { accepted: false, answer: "HTTP 401", unreachable: false, attempts: 1, elapsedMs: 1, probe: "GET x" };
            }
            return { accepted: true, answer: "HTTP 200", unreachable: false, attempts: 1, elapsedMs: 1, probe: "GET x" };
        },
        store: vault.store,
        sleep: async () => undefined,
    });
});
beforeEach(() => {
    proven = [];
    refusals = 0;
    vault.reset();
    emulator.faults.clear();
});
after(() => emulator.stop());

let n = 0;
function target(service: string, extra: Record<string, unknown> = {}) {
    const id = resourceIds(`seq${++n}`)[service];
    emulator.createResource(id);
    return { id, inputs: { resourceId: id, keyType: "Alternate", trigger: "1", __provider: "p", ...extra } as Record<string, unknown> };
}

async function stopped(promise: Promise<unknown>): Promise<RotationIncompleteError> {
    return promise.then(
        () => assert.fail("expected the rotation to stop"),
        (e: unknown) => {
            assert.ok(e instanceof RotationIncompleteError, String(e));
            return e;
        },
    );
}

const keyVault = { vaultUri: "https://seq-kv.vault.azure.net/", secretName: "cosmos", content: "key" };

describe("a rotation stopped at read-back, then a new trigger", () => {
    it("regenerates again and records the key now current, not the one the first regenerate made (a replica still answering it is read again)", async () => {
        const t = target("cosmosdb", { verify: false });
        const created = await createRotation(runtime, "id", t.inputs);
        emulator.faults.add({ operation: "DatabaseAccounts_ListKeys", stale: true, count: 10 });
        const error = await stopped(updateRotation(runtime, "id", created, { ...t.inputs, trigger: "2" }));
        assert.equal(error.properties.pendingStep, "readBack");
        emulator.faults.clear();
        // The first regenerate's key, which the next one revokes, is what a replica behind answers.
        emulator.faults.add({ operation: "DatabaseAccounts_ListKeys", stale: true, count: 1 });
        const outs = await updateRotation(runtime, "id", error.properties, { ...t.inputs, trigger: "3" });
        const current = emulator.resource(t.id)!.keys;
        assert.equal(outs.activeKeyType, "Primary");
        assert.equal(outs.primaryKey, current.Primary, "the recorded Primary key is the current one");
        assert.equal(outs.activeKey, current.Primary);
    });
});

describe("a refresh that finds the active key regenerated outside", () => {
    it("drops verifiedAt, which proved a key that no longer is the active one; a key other than the active one keeps it", async () => {
        const t = target("cosmosdb");
        const created = await createRotation(runtime, "id", t.inputs);
        assert.equal(created.activeKeyType, "Secondary");
        assert.ok(created.verifiedAt, "the created key was proven");
        emulator.regenerate(t.id, "Primary");
        const other = await refreshRotation(runtime, created);
        assert.match(String(other.externalChange), /Primary regenerated outside/);
        assert.equal(other.verifiedAt, created.verifiedAt, "the active key is still the one proven");
        emulator.regenerate(t.id, "Secondary");
        const active = await refreshRotation(runtime, other);
        assert.match(String(active.externalChange), /Secondary \(the active key/);
        assert.equal(active.verifiedAt, undefined);
    });
});

describe("an Alternate rotation stopped at verify", () => {
    it("then a new trigger: the unproven key is regenerated again, never the one consumers hold", async () => {
        const t = target("cosmosdb");
        const created = await createRotation(runtime, "id", t.inputs);
        assert.equal(created.activeKeyType, "Secondary");
        refusals = 100;
        const error = await stopped(updateRotation(runtime, "id", created, { ...t.inputs, trigger: "2" }));
        assert.equal(error.properties.activeKeyType, "Secondary");
        assert.equal(error.properties.pendingKeyType, "Primary");
        refusals = 0;
        const held = emulator.resource(t.id)!.keys.Secondary;
        const outs = await updateRotation(runtime, "id", error.properties, { ...t.inputs, trigger: "3" });
        assert.equal(emulator.resource(t.id)!.keys.Secondary, held, "the key consumers hold still works");
        assert.equal(outs.activeKeyType, "Primary");
        assert.equal(outs.previousKeyType, "Secondary");
        assert.equal(outs.activeKey, emulator.resource(t.id)!.keys.Primary);
        assert.equal(outs.pendingStep, undefined);
    });

    it("then verify turned off: consumers move to the key without a proof, and no verifiedAt claims one", async () => {
        const t = target("cosmosdb");
        const created = await createRotation(runtime, "id", t.inputs);
        refusals = 100;
        const error = await stopped(updateRotation(runtime, "id", created, { ...t.inputs, trigger: "2" }));
        const generations = { ...emulator.resource(t.id)!.generations };
        proven = [];
        const outs = await updateRotation(runtime, "id", error.properties, { ...t.inputs, trigger: "2", verify: false });
        assert.deepEqual(emulator.resource(t.id)!.generations, generations, "nothing regenerated");
        assert.deepEqual(proven, []);
        assert.equal(outs.activeKeyType, "Primary");
        assert.equal(outs.activeKey, emulator.resource(t.id)!.keys.Primary);
        assert.equal(outs.verifiedAt, undefined);
    });

    it("then a refresh that finds the key consumers hold regenerated outside: the next deployment proves the pending key and moves them", async () => {
        const t = target("cosmosdb");
        const created = await createRotation(runtime, "id", t.inputs);
        refusals = 100;
        const inputs = { ...t.inputs, trigger: "2" };
        const error = await stopped(updateRotation(runtime, "id", created, inputs));
        refusals = 0;
        emulator.regenerate(t.id, "Secondary");
        const refreshed = await refreshRotation(runtime, error.properties);
        assert.equal(refreshed.pendingStep, "verify");
        assert.match(String(refreshed.externalChange), /Secondary \(the active key/);
        const generations = { ...emulator.resource(t.id)!.generations };
        proven = [];
        const outs = await updateRotation(runtime, "id", refreshed, inputs);
        assert.deepEqual(emulator.resource(t.id)!.generations, generations);
        assert.deepEqual(proven, ["Primary"]);
        const keys = emulator.resource(t.id)!.keys;
        assert.equal(outs.activeKey, keys.Primary);
        assert.equal(outs.secondaryKey, keys.Secondary);
        assert.equal(outs.externalChange, undefined);
    });

    it("then keyType Primary: consumers move to the pending key once it is proven; then keyType Secondary moves them back, proven", async () => {
        const t = target("cosmosdb");
        const created = await createRotation(runtime, "id", t.inputs);
        refusals = 100;
        const error = await stopped(updateRotation(runtime, "id", created, { ...t.inputs, trigger: "2" }));
        refusals = 0;
        proven = [];
        const primary = await updateRotation(runtime, "id", error.properties, { ...t.inputs, trigger: "2", keyType: "Primary" });
        assert.deepEqual(proven, ["Primary"]);
        assert.equal(primary.activeKeyType, "Primary");
        assert.equal(primary.pendingStep, undefined);
        assert.equal(primary.activeKey, emulator.resource(t.id)!.keys.Primary);
    });
});

describe("a rotation stopped at store", () => {
    it("then keyVault removed: consumers move to the proven key without another proof, and nothing is written", async () => {
        const t = target("cosmosdb", { keyVault });
        const created = await createRotation(runtime, "id", t.inputs);
        vault.failures = 1;
        const error = await stopped(updateRotation(runtime, "id", created, { ...t.inputs, trigger: "2" }));
        assert.equal(error.properties.pendingStep, "store");
        assert.equal(error.properties.activeKeyType, "Secondary");
        proven = [];
        const { keyVault: _kv, ...without } = t.inputs;
        const outs = await updateRotation(runtime, "id", error.properties, { ...without, trigger: "2" });
        assert.deepEqual(proven, []);
        assert.equal(vault.writes.length, 1, "only the create's write");
        assert.equal(outs.activeKeyType, "Primary");
        assert.equal(outs.pendingStep, undefined);
        assert.equal(outs.activeKey, emulator.resource(t.id)!.keys.Primary);
    });

    it("then the same failure again: still pending store, consumers stay, no regenerate", async () => {
        const t = target("cosmosdb", { keyVault });
        const created = await createRotation(runtime, "id", t.inputs);
        vault.failures = 2;
        const inputs = { ...t.inputs, trigger: "2" };
        const first = await stopped(updateRotation(runtime, "id", created, inputs));
        const generations = { ...emulator.resource(t.id)!.generations };
        const second = await stopped(updateRotation(runtime, "id", first.properties, inputs));
        assert.deepEqual(emulator.resource(t.id)!.generations, generations);
        assert.equal(second.properties.pendingStep, "store");
        assert.equal(second.properties.activeKeyType, "Secondary");
        assert.equal(second.properties.activeKey, emulator.resource(t.id)!.keys.Secondary);
        const outs = await updateRotation(runtime, "id", second.properties, inputs);
        assert.equal(outs.activeKeyType, "Primary");
        assert.equal(vault.writes.at(-1)!.value, emulator.resource(t.id)!.keys.Primary);
    });
});

describe("a Logic Apps Consumption workflow (its callback URL is signed with the active key)", () => {
    function signedWith(id: string, url: unknown): string | undefined {
        const keys = emulator.resource(id)!.keys;
        const parsed = new URL(String(url));
        const workflowId = parsed.pathname.split("/")[2];
        const sp = parsed.searchParams.get("sp");
        return ["Primary", "Secondary"].find(
            (k) => createHmac("sha256", keys[k]).update(`${workflowId}${sp}`).digest("base64url") === parsed.searchParams.get("sig"),
        );
    }

    it("moved by a new keyType to another key outputs a callback URL signed with that key; a later Alternate rotation keeps it working", async () => {
        const t = target("logic-apps-consumption");
        const created = await createRotation(runtime, "id", t.inputs);
        assert.equal(created.activeKeyType, "Secondary");
        assert.equal(signedWith(t.id, created.callbackUrl), "Secondary");
        const primary = await updateRotation(runtime, "id", created, { ...t.inputs, keyType: "Primary" });
        assert.equal(primary.activeKeyType, "Primary");
        assert.equal(signedWith(t.id, primary.callbackUrl), "Primary", "the URL consumers get is signed with the key the state says they use");
        const alternate = await updateRotation(runtime, "id", primary, { ...t.inputs });
        const rotated = await updateRotation(runtime, "id", alternate, { ...t.inputs, trigger: "2" });
        assert.ok(signedWith(t.id, alternate.callbackUrl), "the URL consumers held before the rotation still works");
        assert.ok(signedWith(t.id, rotated.callbackUrl));
    });
});

describe("a new fixed keyType whose key the service does not accept", () => {
    it("leaves consumers on the key they hold (nothing was regenerated, it still works); the next deployment proves the new one and moves them", async () => {
        const t = target("cosmosdb", { keyType: "Primary" });
        const created = await createRotation(runtime, "id", t.inputs);
        assert.equal(created.activeKeyType, "Primary");
        refusals = 100;
        const inputs = { ...t.inputs, keyType: "Secondary" };
        const error = await stopped(updateRotation(runtime, "id", created, inputs));
        assert.equal(error.properties.pendingStep, "verify");
        assert.equal(error.properties.activeKeyType, "Primary", "consumers do not move to a key the service has not accepted");
        assert.equal(error.properties.activeKey, emulator.resource(t.id)!.keys.Primary);
        assert.doesNotMatch(error.message, /need the new one/);
        refusals = 0;
        proven = [];
        const generations = { ...emulator.resource(t.id)!.generations };
        const outs = await updateRotation(runtime, "id", error.properties, inputs);
        assert.deepEqual(emulator.resource(t.id)!.generations, generations);
        assert.deepEqual(proven, ["Secondary"]);
        assert.equal(outs.activeKeyType, "Secondary");
        assert.equal(outs.activeKey, emulator.resource(t.id)!.keys.Secondary);
    });
});

describe("a regenerate that took effect but could not be confirmed (Communication Services: its answer holds one key)", () => {
    const unconfirmed = () => emulator.faults.add({ operation: "CommunicationServices_RegenerateKey", tamper: { status: 202 }, count: 1 });

    it("then a refresh and a new trigger: completed without a second regenerate; the key consumers hold is never touched", async () => {
        const t = target("communication");
        const created = await createRotation(runtime, "id", t.inputs);
        const held = emulator.resource(t.id)!.keys.Secondary;
        unconfirmed();
        const error = await stopped(updateRotation(runtime, "id", created, { ...t.inputs, trigger: "2" }));
        assert.equal(error.properties.pendingStep, "regenerate");
        assert.equal(error.properties.activeKeyType, "Secondary");
        const refreshed = await refreshRotation(runtime, error.properties);
        assert.equal(refreshed.pendingStep, "regenerate");
        const generations = { ...emulator.resource(t.id)!.generations };
        const outs = await updateRotation(runtime, "id", refreshed, { ...t.inputs, trigger: "3" });
        assert.deepEqual(emulator.resource(t.id)!.generations, generations, "no second regenerate");
        assert.equal(emulator.resource(t.id)!.keys.Secondary, held);
        assert.equal(outs.activeKeyType, "Primary");
        assert.equal(outs.activeKey, emulator.resource(t.id)!.keys.Primary);
        assert.equal(outs.pendingStep, undefined);
    });

    it("then the same answer again: the second deployment finds the first regenerate happened and sends none", async () => {
        const t = target("communication");
        const created = await createRotation(runtime, "id", t.inputs);
        unconfirmed();
        const inputs = { ...t.inputs, trigger: "2" };
        const error = await stopped(updateRotation(runtime, "id", created, inputs));
        const generations = { ...emulator.resource(t.id)!.generations };
        unconfirmed();
        const outs = await updateRotation(runtime, "id", error.properties, inputs);
        assert.deepEqual(emulator.resource(t.id)!.generations, generations);
        assert.equal(outs.activeKey, emulator.resource(t.id)!.keys.Primary);
    });
});

describe("a regenerate left unconfirmed, then a keyType that no longer owns that key", () => {
    it("is not sent again (the key is no longer this KeyRotation's): the keys are read, and consumers stay on the key they hold", async () => {
        const t = target("storage", { verify: false });
        const created = await createRotation(runtime, "id", t.inputs);
        assert.equal(created.activeKeyType, "Secondary");
        // A 202 with no monitor, the work never done: the state says the Primary key may have been regenerated.
        emulator.faults.add({ operation: "StorageAccounts_RegenerateKey", status: 202, count: 1 });
        const error = await stopped(updateRotation(runtime, "id", created, { ...t.inputs, trigger: "2" }));
        assert.equal(error.properties.pendingStep, "regenerate");
        assert.equal(error.properties.pendingKeyType, "Primary");
        const generations = { ...emulator.resource(t.id)!.generations };
        const outs = await updateRotation(runtime, "id", error.properties, { ...t.inputs, trigger: "2", keyType: "Secondary" });
        assert.deepEqual(emulator.resource(t.id)!.generations, generations, "the Primary key, no longer this KeyRotation's, is not regenerated");
        assert.equal(outs.pendingStep, undefined);
        assert.equal(outs.activeKeyType, "Secondary");
        assert.equal(outs.activeKey, emulator.resource(t.id)!.keys.Secondary);
        assert.equal(outs.primaryKey, undefined, "a key it does not own is not output");
    });
});

describe("a recorded endpoint outside the service's own hosts (read while verify was off, or written into the state)", () => {
    it("is never sent a key: the proof is not sent, the rotation stays pending, and the message says to set verify: false", async () => {
        const t = target("managed-redis");
        refusals = 100;
        const error = await stopped(createRotation(runtime, "id", t.inputs));
        assert.equal(error.properties.pendingStep, "verify");
        refusals = 0;
        proven = [];
        const properties = { ...(error.properties.targetProperties as Record<string, unknown>), endpoint: "cluster1.westus.redis.example.net" };
        const again = await stopped(updateRotation(runtime, "id", { ...error.properties, targetProperties: properties }, t.inputs));
        assert.deepEqual(proven, [], "no probe");
        assert.match(
            again.message,
            /endpoint cluster1\.westus\.redis\.example\.net is not on a host of the service the provider knows \(\*\.redis\.azure\.net\)/,
        );
        assert.match(again.message, /set `verify: false`/);
        assert.equal(again.properties.pendingStep, "verify");
    });
});
