/**
 * Ordinary production accounts, through Pulumi's dynamic-provider host as a deployment meets them:
 * two KeyRotations on one key pair, a regenerate whose answer Azure's contract does not describe, a
 * regenerate that may have happened and is looked at before it is sent again, keys a user set by
 * hand, a Logic Apps trigger whose callback URL cannot be read, and how many ARM requests a rotation
 * takes once the resource's properties are known.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { keyRotationUrn, type ProviderHost, type ResourceState, refresh, stateAfterInitFailure, up } from "../../scripts/engine";
import { CATALOG, pairOf } from "../../src/catalog";
import { resourceIds } from "../helpers/emulator";
import { failing, regenerateCount, sharedHost, startHost } from "../helpers/host";

let emulator: AzureEmulator;
let host: ProviderHost;
let provider: unknown;
sharedHost({ emulator: { lro: { pollsUntilDone: 1, retryAfterSeconds: 0, completeAfterMs: 200 } } }, (shared) => {
    ({ emulator, host, provider } = shared);
});

let n = 0;
function resource(service: string, options: Parameters<AzureEmulator["createResource"]>[1] = {}): string {
    const id = resourceIds(`ord${++n}`)[service];
    emulator.createResource(id, options);
    return id;
}
const rotation = (id: string, extra: Record<string, unknown> = {}) => ({
    urn: keyRotationUrn(`ord${++n}`),
    inputs: { resourceId: id, trigger: "1", verify: false, __provider: provider, ...extra } as Record<string, unknown>,
});

const regenerates = () => regenerateCount(emulator);

describe("two KeyRotations on one key pair in one deployment", () => {
    it("both new: the first rotates, the second fails before any regenerate, saying another KeyRotation manages the same keys", async () => {
        const id = resource("signalr");
        const a = rotation(id);
        const b = rotation(id, { keyType: "Primary" });
        const { state } = await up(host, a.urn, a.inputs);
        const active = emulator.resource(id)!.keys[state.outputs.activeKeyType as string];
        emulator.clearRequests();
        const error = await failing(up(host, b.urn, b.inputs));
        assert.match(error.message, /another KeyRotation in this deployment \(keyType Alternate, id [0-9a-f-]+\) manages the Primary key of .*signalR/);
        assert.match(error.message, /Nothing was regenerated/);
        assert.equal(error.initFailed, undefined, "nothing to record");
        assert.equal(regenerates(), 0);
        assert.equal(emulator.resource(id)!.keys[state.outputs.activeKeyType as string], active, "the key the first handed out still works");
    });

    it("one existing (its diff claims the keys) and one added: the added one fails before regenerating", async () => {
        const id = resource("storage");
        const a = rotation(id);
        const { state } = await up(host, a.urn, a.inputs);
        // The next deployment, in a new provider process: the engine diffs the existing one, then creates the new one.
        const { host: next, stop } = await startHost(emulator);
        try {
            assert.equal((await up(next, a.urn, a.inputs, state)).step, "same");
            emulator.clearRequests();
            const b = rotation(id);
            const error = await failing(up(next, b.urn, b.inputs));
            assert.match(error.message, /manages the Primary and Secondary keys/);
            assert.equal(regenerates(), 0);
        } finally {
            await stop();
        }
    });

    it("the added one first, then the existing one's diff: the existing one fails, in preview already, so the user learns of it", async () => {
        const id = resource("search");
        const a = rotation(id);
        const { state } = await up(host, a.urn, a.inputs);
        const { host: next, stop } = await startHost(emulator);
        try {
            const b = rotation(id, { keyType: "Secondary" });
            await up(next, b.urn, b.inputs);
            // The engine diffs the checked inputs.
            const checked = await next.check(a.urn, state.inputs, a.inputs);
            await assert.rejects(next.diff(state.id, a.urn, state.outputs, checked.inputs), /another KeyRotation in this deployment \(keyType Secondary/);
        } finally {
            await stop();
        }
    });

    it("an Alternate pair split in one deployment (the existing one moves to Primary, a new one takes Secondary): the new one fails before regenerating the key the first one's consumers still hold", async () => {
        const id = resource("storage");
        const a = rotation(id);
        const { state } = await up(host, a.urn, a.inputs);
        assert.equal(state.outputs.activeKeyType, "Secondary");
        const held = emulator.resource(id)!.keys.Secondary;
        const { host: next, stop } = await startHost(emulator);
        try {
            const moved = { ...a.inputs, keyType: "Primary" };
            const checked = await next.check(a.urn, state.inputs, moved);
            await next.diff(state.id, a.urn, state.outputs, checked.inputs);
            emulator.clearRequests();
            const b = rotation(id, { keyType: "Secondary" });
            const error = await failing(up(next, b.urn, b.inputs));
            assert.match(error.message, /another KeyRotation in this deployment \(keyType Primary, id [0-9a-f-]+\) manages the Secondary key/);
            assert.match(error.message, /moving to keyType Primary still hands its consumers that key until this deployment moves them/);
            assert.equal(regenerates(), 0);
            assert.equal(emulator.resource(id)!.keys.Secondary, held, "the key the first one's consumers hold still works");
        } finally {
            await stop();
        }
    });

    it("Primary and Secondary KeyRotations on one resource, and Cosmos DB's two pairs, are not in conflict", async () => {
        const id = resource("signalr");
        for (const keyType of ["Primary", "Secondary"]) await up(host, rotation(id, { keyType }).urn, rotation(id, { keyType }).inputs);
        const cosmos = resource("cosmosdb");
        for (const keyType of ["Alternate", "AlternateReadOnly"]) {
            const r = rotation(cosmos, { keyType });
            await up(host, r.urn, r.inputs);
        }
        assert.equal(emulator.resource(cosmos)!.generations.Secondary, 1);
        assert.equal(emulator.resource(cosmos)!.generations.SecondaryReadOnly, 1);
    });

    it("across stacks (no shared process): refresh says the active key was replaced behind the KeyRotation's back", async () => {
        const id = resource("communication");
        const r = rotation(id);
        const { state } = await up(host, r.urn, r.inputs);
        emulator.regenerate(id, state.outputs.activeKeyType as string); // another stack's KeyRotation, or the portal
        const refreshed = (await refresh(host, state))!;
        assert.match(
            refreshed.outputs.externalChange as string,
            /found the Secondary \(the active key, which consumers use\) regenerated outside this KeyRotation \(by hand, a script, or another stack's KeyRotation\): consumers hold a revoked key until the next `pulumi up`, which hands consumers the current key/,
        );
        assert.equal(refreshed.outputs.activeKey, emulator.resource(id)!.keys.Secondary, "the current key");
        emulator.clearRequests();
        const { step, state: next } = await up(host, r.urn, r.inputs, refreshed);
        assert.equal(step, "update");
        assert.equal(next.outputs.externalChange, undefined);
        assert.equal(regenerates(), 0);
    });
});

describe("a regenerate answered with what its contract does not describe, or never confirmed", () => {
    it("a 202 with no monitor to Storage's synchronous regenerate is recorded as possibly done; the next pulumi up reads the keys, sees the key changed, and completes without regenerating", async () => {
        const id = resource("storage");
        const r = rotation(id);
        emulator.faults.add({
            operation: "StorageAccounts_RegenerateKey",
            tamper: { transform: (res) => ({ ...res, status: 202, body: undefined, rawBody: "" }) },
        });
        const error = await failing(up(host, r.urn, r.inputs));
        assert.match(error.message, /may have taken effect but could not be confirmed/);
        assert.match(error.message, /HTTP 202/);
        const props = error.initFailed!.properties;
        assert.equal(props.pendingStep, "regenerate");
        assert.equal(props.pendingKeyType, "Secondary");
        assert.equal(emulator.resource(id)!.generations.Secondary, 1, "the key did change");
        emulator.clearRequests();
        const { state } = await up(host, r.urn, r.inputs, stateAfterInitFailure(error, r.urn, r.inputs));
        assert.equal(regenerates(), 0, "looked at, not sent again");
        assert.equal(emulator.resource(id)!.generations.Secondary, 1);
        assert.equal(state.outputs.activeKeyType, "Secondary");
        assert.equal(state.outputs.activeKey, emulator.resource(id)!.keys.Secondary);
    });

    it("a regenerate that did not happen after all (a 202 with no monitor, the work never done) is sent again on the next pulumi up", async () => {
        const id = resource("storage");
        const r = rotation(id);
        emulator.faults.add({ operation: "StorageAccounts_RegenerateKey", status: 202 });
        const error = await failing(up(host, r.urn, r.inputs));
        assert.equal(error.initFailed!.properties.pendingStep, "regenerate");
        assert.equal(emulator.resource(id)!.generations.Secondary, 0);
        emulator.faults.clear();
        emulator.clearRequests();
        await up(host, r.urn, r.inputs, stateAfterInitFailure(error, r.urn, r.inputs));
        assert.equal(regenerates(), 1);
        assert.equal(emulator.resource(id)!.generations.Secondary, 1, "one regenerate in all");
    });
});

describe("keys a user set by hand", () => {
    it("API Management: a Primary KeyRotation rotates beside a 13-character secondary key it does not own", async () => {
        const id = resource("apim-subscription");
        emulator.resource(id)!.keys.Secondary = "ShortKey12345";
        const r = rotation(id, { keyType: "Primary" });
        const { state } = await up(host, r.urn, r.inputs);
        assert.equal(state.outputs.primaryKey, emulator.resource(id)!.keys.Primary);
        assert.equal(state.outputs.secondaryKey, undefined, "not its key");
    });

    it("an Alternate KeyRotation takes the hand-set key as the previous one, and regenerates it next", async () => {
        const id = resource("apim-subscription");
        emulator.resource(id)!.keys.Primary = "HandSetKey123";
        const r = rotation(id);
        let { state } = await up(host, r.urn, r.inputs);
        assert.equal(state.outputs.previousKeyType, "Primary");
        assert.equal(state.outputs.primaryKey, "HandSetKey123");
        ({ state } = await up(host, r.urn, { ...r.inputs, trigger: "2" }, state));
        assert.notEqual(state.outputs.primaryKey, "HandSetKey123");
        assert.ok((state.outputs.primaryKey as string).length >= 16);
    });
});

describe("Logic Apps Standard: a callback URL that cannot be read", () => {
    for (const status of [404, 400]) {
        it(`a request trigger's listCallbackUrl answering ${status} during a rotation is not a success: pending read-back, and the next pulumi up reads every trigger without regenerating`, async () => {
            const id = resource("logic-apps-standard", {
                triggers: [
                    { name: "manual", kind: "Request" },
                    { name: "orders", kind: "Request" },
                    { name: "nightly", kind: "Recurrence" },
                ],
            });
            const r = rotation(id, { keyType: "Primary" });
            emulator.faults.add({
                operation: "WorkflowTriggers_ListCallbackUrl",
                pathIncludes: "/triggers/orders/",
                status,
                code: status === 404 ? "WorkflowTriggerNotFound" : "BadRequest",
            });
            const error = await failing(up(host, r.urn, r.inputs));
            assert.match(error.message, /Primary key was regenerated but reading the keys back failed/);
            assert.equal(error.initFailed!.properties.pendingStep, "readBack");
            assert.equal(error.initFailed!.properties.callbackUrls, undefined, "no partial set of URLs is recorded");
            emulator.clearRequests();
            const { state } = await up(host, r.urn, r.inputs, stateAfterInitFailure(error, r.urn, r.inputs));
            assert.equal(regenerates(), 0);
            assert.deepEqual(Object.keys(state.outputs.callbackUrls as object).sort(), ["manual", "orders"], "every request trigger, not the recurrence");
            for (const url of Object.values(state.outputs.callbackUrls as Record<string, string>)) assert.ok(emulator.authenticate(id, url));
        });
    }
});

describe("ARM requests per rotation, once the resource's properties are known", () => {
    for (const entry of CATALOG) {
        const keyType = pairOf(entry, "Alternate") ? "Alternate" : (entry.keyTypes.find((k) => k.consumer)?.name ?? entry.keyTypes[0].name);
        it(`${entry.service}: at most two (the regenerate and a read-back), one where the regenerate answers the key set`, async () => {
            const id = resource(entry.service);
            const r = rotation(id, { keyType });
            let state: ResourceState | undefined;
            ({ state } = await up(host, r.urn, r.inputs));
            emulator.clearRequests();
            ({ state } = await up(host, r.urn, { ...r.inputs, trigger: "2" }, state));
            const arm = emulator.armRequests().filter((q) => q.operation !== "OperationStatus" && q.operation !== "OperationResult");
            // Logic Apps Standard: regenerate, the trigger list, one listCallbackUrl per trigger (one here).
            const most = entry.readKeys.kind === "callbackUrls" ? 3 : 2;
            assert.ok(arm.length <= most, arm.map((q) => q.operation).join(", "));
            // A synchronous regenerate that answers the key set needs nothing more (a long-running one's 202 may not hold it).
            if (entry.regenerate.answer === "keySet" && !entry.regenerate.longRunning) assert.equal(arm.length, 1, arm.map((q) => q.operation).join(", "));
            assert.ok(!arm.some((q) => q.method === "GET" && !/triggers$/.test(q.path)), "no GET of the resource: its properties are in the state");
        });
    }
});
