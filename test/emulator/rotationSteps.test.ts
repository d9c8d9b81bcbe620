/**
 * The rules of single steps, against the emulator's ARM with the lifecycle run in this process (its
 * waits recorded, not slept; its proofs and Key Vault writes scripted): a read-back that keeps
 * answering the key from before stops as pending and is finished by the next deployment; a rotation
 * stopped at `store` is written without being proven again, unless its key changed since.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { createRotation, RotationIncompleteError, type Runtime, refreshRotation, updateRotation } from "../../src/core/lifecycle";
import { LAGGING_READS_MS } from "../../src/core/steps";
import { keyVaultStandIn, runtimeOn } from "../helpers/armClient";
import { resourceIds, startEmulator } from "../helpers/emulator";

let emulator: AzureEmulator;
let runtime: Runtime;
let slept: number[] = [];
let proven: string[] = [];
const vault = keyVaultStandIn();

before(async () => {
    emulator = await startEmulator({ lro: { pollsUntilDone: 1, retryAfterSeconds: 0 } });
    runtime = runtimeOn(emulator, {
        prove: async (_resource, _keys, keyType) => {
            proven.push(keyType);
            return { accepted: true, answer: "HTTP 200", unreachable: false, attempts: 1, elapsedMs: 1, probe: "GET x" };
        },
        store: vault.store,
        sleep: async (ms) => void slept.push(ms),
    });
});
beforeEach(() => {
    slept = [];
    proven = [];
    vault.reset();
    emulator.faults.clear();
});
after(() => emulator.stop());

let n = 0;
function cosmos(extra: Record<string, unknown> = {}) {
    const id = resourceIds(`steps${++n}`).cosmosdb;
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

describe("a read-back that keeps answering the key from before", () => {
    it("is read again after each wait; still the old key, the rotation stops as pending read-back and records no revoked key", async () => {
        const t = cosmos();
        const created = await createRotation(runtime, "id", t.inputs);
        const before = emulator.resource(t.id)!.keys.Primary;
        emulator.faults.add({ operation: "DatabaseAccounts_ListKeys", stale: true, count: 10 });
        const inputs = { ...t.inputs, trigger: "2" };
        const error = await stopped(updateRotation(runtime, "id", created, inputs));
        assert.deepEqual(slept, LAGGING_READS_MS);
        assert.match(error.message, /DatabaseAccounts_ListKeys still answers the Primary key from before the regenerate \(4 reads over 17 s\)/);
        assert.match(error.message, /run `pulumi up` again: it reads the keys back without regenerating/);
        const props = error.properties;
        assert.equal(props.pendingStep, "readBack");
        assert.equal(props.pendingKeyType, "Primary");
        assert.equal(props.activeKeyType, "Secondary", "consumers stay");
        assert.notEqual(props.primaryKey, before, "the revoked key is not recorded as the new one");
        assert.equal(props.primaryKey, undefined);

        emulator.faults.clear();
        const generations = emulator.resource(t.id)!.generations.Primary;
        const outs = await updateRotation(runtime, "id", props, inputs);
        assert.equal(emulator.resource(t.id)!.generations.Primary, generations, "no second regenerate");
        assert.equal(outs.activeKeyType, "Primary");
        assert.equal(outs.activeKey, emulator.resource(t.id)!.keys.Primary);
    });

    it("a single lagging answer costs one wait", async () => {
        const t = cosmos();
        const created = await createRotation(runtime, "id", t.inputs);
        emulator.faults.add({ operation: "DatabaseAccounts_ListKeys", stale: true, count: 1 });
        const outs = await updateRotation(runtime, "id", created, { ...t.inputs, trigger: "2" });
        assert.deepEqual(slept, [LAGGING_READS_MS[0]]);
        assert.equal(outs.activeKey, emulator.resource(t.id)!.keys.Primary);
    });
});

describe("a rotation stopped at store", () => {
    const keyVault = { vaultUri: "https://steps-kv.vault.azure.net/", secretName: "cosmos", content: "connectionString" };

    it("is written by the next deployment without a regenerate or a second proof, then consumers move", async () => {
        const t = cosmos({ keyVault });
        const created = await createRotation(runtime, "id", t.inputs);
        assert.equal(vault.writes.length, 1);
        proven = [];
        vault.failures = 1;
        const inputs = { ...t.inputs, trigger: "2" };
        const error = await stopped(updateRotation(runtime, "id", created, inputs));
        assert.equal(error.properties.pendingStep, "store");
        assert.deepEqual(proven, ["Primary"]);
        const generations = { ...emulator.resource(t.id)!.generations };
        const outs = await updateRotation(runtime, "id", error.properties, inputs);
        assert.deepEqual(emulator.resource(t.id)!.generations, generations);
        assert.deepEqual(proven, ["Primary"], "proven once, in the run that stopped");
        assert.equal(vault.writes.length, 2);
        assert.match(vault.writes[1].value, new RegExp(`AccountKey=${literal(emulator.resource(t.id)!.keys.Primary)};`));
        assert.equal(outs.activeKeyType, "Primary");
        assert.equal(outs.keyVaultSecretVersion, "2".padStart(32, "0"));
    });

    it("whose key changed since (regenerated by someone else) is proven again before it is written", async () => {
        const t = cosmos({ keyVault });
        const created = await createRotation(runtime, "id", t.inputs);
        vault.failures = 1;
        const inputs = { ...t.inputs, trigger: "2" };
        const error = await stopped(updateRotation(runtime, "id", created, inputs));
        emulator.regenerate(t.id, "Primary");
        proven = [];
        await updateRotation(runtime, "id", error.properties, inputs);
        assert.deepEqual(proven, ["Primary"]);
        assert.match(vault.writes.at(-1)!.value, new RegExp(`AccountKey=${literal(emulator.resource(t.id)!.keys.Primary)};`));
    });

    it("whose key changed since, found by a refresh in between, is proven again before it is written", async () => {
        const t = cosmos({ keyVault });
        const created = await createRotation(runtime, "id", t.inputs);
        vault.failures = 1;
        const inputs = { ...t.inputs, trigger: "2" };
        const error = await stopped(updateRotation(runtime, "id", created, inputs));
        emulator.regenerate(t.id, "Primary");
        const refreshed = await refreshRotation(runtime, error.properties);
        assert.match(String(refreshed.externalChange), /Primary/);
        proven = [];
        await updateRotation(runtime, "id", refreshed, inputs);
        assert.deepEqual(proven, ["Primary"], "the key the refresh found is not the one proven");
        assert.match(vault.writes.at(-1)!.value, new RegExp(`AccountKey=${literal(emulator.resource(t.id)!.keys.Primary)};`));
    });
});

describe("a Key Vault write refused after the delivery changed", () => {
    const keyVault = { vaultUri: "https://steps-kv.vault.azure.net/", secretName: "cosmos", content: "connectionString" };

    for (const [what, change] of [
        ["content: key", { content: "key" }],
        ["new tags", { tags: { owner: "platform" } }],
        ["an expiry", { expiresAfter: "90d" }],
    ] as const) {
        it(`(${what}) is written by the next deployment, though the secret already held the active key`, async () => {
            const t = cosmos({ keyVault });
            const created = await createRotation(runtime, "id", t.inputs);
            assert.equal(vault.writes.length, 1);
            vault.failures = 1;
            const inputs = { ...t.inputs, keyVault: { ...keyVault, ...change } };
            const error = await stopped(updateRotation(runtime, "id", created, inputs));
            assert.equal(error.properties.pendingStep, "store");
            assert.equal(error.properties.keyVaultSecretId, created.keyVaultSecretId, "the version before stays the one recorded");
            const generations = { ...emulator.resource(t.id)!.generations };
            const outs = await updateRotation(runtime, "id", error.properties, inputs);
            assert.deepEqual(emulator.resource(t.id)!.generations, generations, "nothing regenerated");
            assert.equal(vault.writes.length, 2, "the changed delivery is written");
            const written = vault.writes[1];
            if ("content" in change) assert.equal(written.value, emulator.resource(t.id)!.keys[outs.activeKeyType as string]);
            if ("tags" in change) assert.equal(written.tags.owner, "platform");
            if ("expiresAfter" in change) assert.ok(written.expiresOn);
            assert.equal(outs.pendingStep, undefined);
            assert.equal(outs.keyVaultSecretVersion, "2".padStart(32, "0"));
        });
    }
});

describe("a refused Key Vault write of a fixed keyType", () => {
    it("says the secret's latest version holds the key from before, which the regenerate revoked", async () => {
        const keyVault = { vaultUri: "https://steps-kv.vault.azure.net/", secretName: "cosmos", content: "connectionString" };
        const t = cosmos({ keyVault, keyType: "Primary" });
        const created = await createRotation(runtime, "id", t.inputs);
        vault.failures = 1;
        const error = await stopped(updateRotation(runtime, "id", created, { ...t.inputs, trigger: "2" }));
        assert.equal(error.properties.pendingStep, "store");
        assert.match(
            error.message,
            /\. The secret's latest version still holds the Primary key from before the regenerate, which no longer works: consumers that read it fail until/,
        );
        assert.doesNotMatch(error.message, /\. the /, "each sentence starts with a capital");
    });
});

describe("a KeyRotation that stops delivering to Key Vault", () => {
    it("outputs no Key Vault version any more (the secret is no longer kept current), and writes again once keyVault is back", async () => {
        const keyVault = { vaultUri: "https://steps-kv.vault.azure.net/", secretName: "cosmos", content: "connectionString" };
        const t = cosmos({ keyVault });
        const created = await createRotation(runtime, "id", t.inputs);
        assert.ok(created.keyVaultSecretId);
        const { keyVault: _kv, ...without } = t.inputs;
        const outs = await updateRotation(runtime, "id", created, without);
        for (const name of ["keyVaultSecretUri", "keyVaultSecretId", "keyVaultSecretVersion", "keyVaultKeyDigest"]) assert.equal(outs[name], undefined, name);
        const again = await updateRotation(runtime, "id", outs, t.inputs);
        assert.equal(vault.writes.length, 2, "written again");
        assert.equal(again.keyVaultSecretVersion, "2".padStart(32, "0"));
    });
});

function literal(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
