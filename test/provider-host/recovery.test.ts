/**
 * Guarantee 2 through Pulumi's dynamic-provider host: a deployment that reports success has
 * recorded the real, complete, current key set; a rotation that happened is never lost from the
 * state, one that did not is never recorded; the next `pulumi up` finishes what a failed one left.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { keyRotationUrn, type ProviderHost, type ResourceState, refresh, secretOutputNames, stateAfterInitFailure, up } from "../../scripts/engine";
import { resourceIds } from "../helpers/emulator";
import { failing, regenerateCount, register, sharedHost } from "../helpers/host";

let emulator: AzureEmulator;
let host: ProviderHost;
let provider: unknown;
sharedHost({ emulator: { lro: { pollsUntilDone: 1, retryAfterSeconds: 0, completeAfterMs: 200 } } }, (shared) => {
    ({ emulator, host, provider } = shared);
});

let n = 0;
/** A new target of `service` and the inputs of a KeyRotation of it. */
function target(service: string, extra: Record<string, unknown> = {}): { id: string; urn: string; inputs: Record<string, unknown> } {
    const id = resourceIds(`rec${++n}`)[service];
    emulator.createResource(id);
    return { id, urn: keyRotationUrn(`rec${n}`), inputs: { resourceId: id, trigger: "1", verify: false, __provider: provider, ...extra } };
}

function assertNoKeyIn(text: string, id: string) {
    for (const key of Object.values(emulator.resource(id)!.keys)) assert.ok(!text.includes(key), "no key in the message");
}

const regenerates = () => regenerateCount(emulator);

describe("a read-back that fails or is short after a regenerate", () => {
    for (const [what, fault] of [
        ["403", { status: 403, code: "AuthorizationFailed", message: "no listKeys permission" }],
        ["an empty 200", { tamper: { body: "empty" } }],
        ["an HTML 200", { tamper: { body: "html" } }],
        ["a 200 with one key", { tamper: { body: "partial" } }],
    ] as const) {
        it(`(${what}) records the rotation and no made-up key; the next pulumi up reads the keys back and moves consumers, regenerating nothing`, async () => {
            const t = target("communication");
            const primary = emulator.resource(t.id)!.keys.Primary;
            // The regenerate's answer lacks the key, so it is read back; skip: the read a create makes
            // before its regenerate (the digest of the key about to change) goes through.
            emulator.faults.add({ operation: "CommunicationServices_RegenerateKey", tamper: { body: "empty" } });
            emulator.faults.add({ operation: "CommunicationServices_ListKeys", skip: 1, ...fault });
            const error = await failing(up(host, t.urn, t.inputs));
            assert.match(error.message, /Secondary key was regenerated but reading the keys back failed/);
            assert.match(error.message, /run `pulumi up` again: it reads the keys back without regenerating/);
            assertNoKeyIn(error.message, t.id);
            const props = error.initFailed!.properties;
            assert.equal(props.rotatedKeyType, "Secondary", "the rotation happened and is recorded");
            assert.equal(props.pendingKeyType, "Secondary");
            assert.equal(props.pendingStep, "readBack");
            assert.equal(props.activeKeyType, "Primary", "consumers stay on the key they hold");
            // Only what is known to be current: the Primary key read before the regenerate (untouched), never the Secondary.
            assert.equal(props.secondaryKey, undefined, "the regenerated key is not made up");
            assert.equal(props.secondaryConnectionString, undefined);
            assert.equal(props.primaryKey, primary, "the key consumers hold, read before the regenerate, still current");
            assert.equal(props.activeKey, primary);
            assert.ok(emulator.authenticate(t.id, props.activeConnectionString as string), "the active connection string still works");

            emulator.clearRequests();
            const { step, state } = await up(host, t.urn, t.inputs, stateAfterInitFailure(error, t.urn, t.inputs));
            assert.equal(step, "update");
            assert.equal(regenerates(), 0, "the rotation is not repeated");
            const keys = emulator.resource(t.id)!.keys;
            assert.equal(keys.Primary, primary);
            assert.equal(state.outputs.secondaryKey, keys.Secondary);
            assert.equal(state.outputs.activeKeyType, "Secondary");
            assert.equal(state.outputs.activeKey, keys.Secondary);
            assert.equal(state.outputs.pendingStep, undefined);
        });
    }

    it("the next pulumi up fails again while the read-back still fails: never a success without keys", async () => {
        const t = target("communication");
        emulator.faults.add({ operation: "CommunicationServices_RegenerateKey", tamper: { body: "empty" } });
        emulator.faults.add({ operation: "CommunicationServices_ListKeys", status: 403, code: "AuthorizationFailed", count: 2, skip: 1 });
        const first = await failing(up(host, t.urn, t.inputs));
        const pending = stateAfterInitFailure(first, t.urn, t.inputs);
        const second = await failing(up(host, t.urn, t.inputs, pending));
        assert.match(second.message, /AuthorizationFailed/);
        assert.equal(regenerates(), 1, "only the first deployment regenerated");
        const { state } = await up(host, t.urn, t.inputs, pending);
        assert.equal(state.outputs.secondaryKey, emulator.resource(t.id)!.keys.Secondary);
    });

    it("a refresh against a short answer fails and the state keeps what it had", async () => {
        const t = target("signalr");
        const { state } = await up(host, t.urn, t.inputs);
        for (const tamper of [{ body: "empty" }, { body: "partial" }, { body: "html" }] as const) {
            emulator.faults.add({ operation: "SignalR_ListKeys", tamper });
            await assert.rejects(refresh(host, state), /InvalidKeySet/);
        }
        const refreshed = await refresh(host, state);
        assert.equal(refreshed!.outputs.secondaryKey, state.outputs.secondaryKey);
    });
});

describe("a regenerate that may or may not have happened", () => {
    it("a 202 without a monitor URL is pending, never taken as done; the next pulumi up reads the keys first, sees the key changed (the operation completed on its own), and completes without another regenerate", async () => {
        const t = target("signalr");
        emulator.faults.add({ operation: "SignalR_RegenerateKey", tamper: { headers: { "Azure-AsyncOperation": null, Location: null } } });
        const error = await failing(up(host, t.urn, t.inputs));
        assert.match(error.message, /may have taken effect but could not be confirmed/);
        assert.match(error.message, /NoOperationMonitor/);
        const props = error.initFailed!.properties;
        assert.equal(props.pendingStep, "regenerate");
        assert.equal(props.pendingKeyType, "Secondary");
        assert.equal(props.rotatedKeyType, undefined, "not recorded as done");
        assert.equal(props.activeKeyType, "Primary");
        assert.equal(props.secondaryKey, undefined, "the key set from before is not recorded as current");

        await new Promise((r) => setTimeout(r, 300)); // the unfollowed operation completes on its own
        emulator.clearRequests();
        const { state } = await up(host, t.urn, t.inputs, stateAfterInitFailure(error, t.urn, t.inputs));
        assert.equal(regenerates(), 0, "the regenerate that happened is not sent again");
        assert.equal(emulator.resource(t.id)!.generations.Secondary, 1);
        const keys = emulator.resource(t.id)!.keys;
        assert.equal(state.outputs.rotatedKeyType, "Secondary");
        assert.equal(state.outputs.activeKey, keys.Secondary);
        assert.equal(state.outputs.primaryKey, keys.Primary);
    });

    it("a regenerate refused outright (4xx) records nothing: the state is the one before", async () => {
        const t = target("communication");
        const { state } = await up(host, t.urn, t.inputs);
        emulator.faults.add({ operation: "CommunicationServices_RegenerateKey", status: 400, code: "BadRequest" });
        const error = await failing(up(host, t.urn, { ...t.inputs, trigger: "2" }, state));
        assert.equal(error.initFailed, undefined);
    });
});

describe("refresh: only a 404 for the target itself means gone", () => {
    it("a trigger whose callback URL cannot be read (404) fails the refresh: the KeyRotation and every URL it had stay in the state", async () => {
        const t = target("logic-apps-standard", { keyType: "Primary" });
        emulator.resource(t.id)!.triggers = [
            { name: "manual", kind: "Request" },
            { name: "webhook", kind: "Request" },
        ];
        const { state } = await up(host, t.urn, t.inputs);
        emulator.faults.add({ operation: "WorkflowTriggers_ListCallbackUrl", status: 404, code: "WorkflowTriggerNotFound", message: "gone" });
        // A partial set would drop a caller's URL; the engine keeps the state of a failed refresh as it was.
        await assert.rejects(refresh(host, state), /WorkflowTriggerNotFound/);
        assert.equal(Object.keys(state.outputs.callbackUrls as object).length, 2);
    });

    it("a 404 on a later page of the trigger list fails the refresh instead of dropping the KeyRotation", async () => {
        const t = target("logic-apps-standard", { keyType: "Primary" });
        emulator.resource(t.id)!.triggers = [
            { name: "a", kind: "Request" },
            { name: "b", kind: "Request" },
            { name: "c", kind: "Request" },
        ];
        const { state } = await up(host, t.urn, t.inputs);
        emulator.faults.add({
            operation: "WorkflowTriggers_List",
            tamper: { nextLink: `${emulator.url}/subscriptions/00000000-0000-0000-0000-000000000000/gone?x=1` },
        });
        await assert.rejects(refresh(host, state), /404/);
    });

    it("a deleted target drops it", async () => {
        const t = target("communication");
        const { state } = await up(host, t.urn, t.inputs);
        emulator.deleteResource(t.id);
        assert.equal(await refresh(host, state), undefined);
    });
});

describe("upgrading from 0.1: one rule for the key in use", () => {
    it("a fixed Secondary switched to Alternate with a new trigger regenerates Primary, not the Secondary its consumers hold", async () => {
        const t = target("communication");
        const keys = emulator.resource(t.id)!.keys;
        // What 0.1 recorded for a KeyRotation with keyType Secondary: no activeKeyType.
        const old: ResourceState = {
            id: "old-id",
            urn: t.urn,
            inputs: { resourceId: t.id, keyType: "Secondary", trigger: "1", verify: false, __provider: provider },
            outputs: {
                resourceId: t.id,
                resourceType: "Microsoft.Communication/communicationServices",
                keyType: "Secondary",
                trigger: "1",
                rotatedAt: "2026-01-01T00:00:00.000Z",
                rotatedKeyType: "Secondary",
                primaryKey: keys.Primary,
                secondaryKey: keys.Secondary,
                __provider: provider,
            },
        };
        const secondary = keys.Secondary;
        const { state } = await up(host, t.urn, { ...t.inputs, keyType: "Alternate", trigger: "2" }, old);
        assert.equal(emulator.resource(t.id)!.keys.Secondary, secondary, "the key in use is untouched");
        assert.equal(state.outputs.rotatedKeyType, "Primary");
        assert.equal(state.outputs.activeKeyType, "Primary");
        assert.equal(state.outputs.previousKeyType, "Secondary");
    });
});

describe("guarantee 3 through the host: secrets stay secret", () => {
    it("a secret trigger is marked secret in the outputs, and no other output carries it", async () => {
        const t = target("signalr");
        const secretTrigger = "s3cret-trigger-value-9f8e7d";
        const regs = await register({ secretTrigger: { resourceId: t.id, trigger: "placeholder" } });
        const inputs = { ...regs.secretTrigger.inputs, trigger: secretTrigger };
        const { state } = await up(host, t.urn, inputs);
        const secrets = secretOutputNames(state.outputs, ["trigger"], regs.secretTrigger.additionalSecretOutputs);
        assert.ok(secrets.includes("trigger"), "the engine marks the output named like the secret input");
        for (const [name, value] of Object.entries(state.outputs)) {
            if (secrets.includes(name) || name === "__provider") continue;
            assert.ok(!JSON.stringify(value).includes(secretTrigger), `${name} carries the trigger`);
        }
        for (const key of Object.values(emulator.resource(t.id)!.keys)) {
            for (const [name, value] of Object.entries(state.outputs))
                if (!secrets.includes(name)) assert.ok(!JSON.stringify(value).includes(key), `${name} carries a key`);
        }
    });

    it("nothing the host printed holds a key, token or client secret", async () => {
        const text = host.stderr;
        assert.ok(!text.includes(emulator.env().AZURE_CLIENT_SECRET));
        assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\./.test(text), "no token");
        for (const r of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
            const res = emulator.resource(resourceIds(`rec${r}`).communication) ?? emulator.resource(resourceIds(`rec${r}`).signalr);
            for (const key of Object.values(res?.keys ?? {})) assert.ok(!text.includes(key));
        }
    });
});
