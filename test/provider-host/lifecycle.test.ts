import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { keyRotationUrn, type ProviderHost, type Registration, type ResourceState, refresh, up } from "../../scripts/engine";
import { CATALOG, SECRET_OUTPUTS } from "../../src/catalog";
import { expectedOutputs, resourceIds, startEmulator } from "../helpers/emulator";
import { packageRoot, register, startHost } from "../helpers/host";

let emulator: AzureEmulator;
let host: ProviderHost;
let stopHost: () => Promise<void>;
let registrations: Record<string, Registration>;
const ids = resourceIds("life");
const keyTypeOf = (service: string) => (service === "apim-tenant-access" ? "secondary" : "Primary");

before(async () => {
    emulator = await startEmulator();
    for (const id of Object.values(ids)) emulator.createResource(id);
    registrations = await register(
        Object.fromEntries(CATALOG.map((e) => [e.service, { resourceId: ids[e.service], keyType: keyTypeOf(e.service), trigger: "2026-11" }])),
    );
    ({ host, stop: stopHost } = await startHost(emulator));
});
after(async () => {
    await stopHost();
    await emulator.stop();
});

const inputsOf = (service: string, overrides: Record<string, unknown> = {}) => ({ ...registrations[service].inputs, ...overrides });

describe("the serialized provider", () => {
    it("is small, loads the package by name and carries no credential or endpoint", () => {
        const provider = String(registrations.signalr.inputs.__provider);
        assert.ok(provider.length <= 2048, `__provider is ${provider.length} bytes`);
        assert.match(provider, /require\(IMPLEMENTATION\)/);
        assert.match(provider, /"pulumi-azure-key-rotation\/provider"/);
        for (const value of Object.values(emulator.env())) assert.ok(!provider.includes(value), "no emulator setting in __provider");
        assert.ok(!/secret|token|AZURE_/i.test(provider));
    });

    it("holds no version or install path, so upgrading the package leaves every resource's state unchanged", () => {
        const provider = String(registrations.signalr.inputs.__provider);
        const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string };
        assert.ok(!provider.includes(version), `__provider mentions the version ${version}`);
        assert.ok(!provider.includes(packageRoot) && !provider.includes("node_modules"), "__provider mentions an install path");
    });

    it("is the same for every resource", () => {
        const providers = new Set(Object.values(registrations).map((r) => r.inputs.__provider));
        assert.equal(providers.size, 1);
    });

    it("every key, connection string and callback URL output is in additionalSecretOutputs", () => {
        for (const reg of Object.values(registrations)) assert.deepEqual([...reg.additionalSecretOutputs].sort(), [...SECRET_OUTPUTS].sort());
    });
});

describe("lifecycle through Pulumi's dynamic-provider host", () => {
    for (const entry of CATALOG) {
        describe(entry.service, () => {
            const urn = keyRotationUrn(entry.service);
            let state: ResourceState;
            const renewed = () => (keyTypeOf(entry.service).toLowerCase() === "secondary" ? "Secondary" : "Primary");

            it("create regenerates the key and outputs the full current key set", async () => {
                const before = { ...emulator.resource(ids[entry.service])!.keys };
                emulator.clearRequests();
                const result = await up(host, urn, inputsOf(entry.service));
                state = result.state;
                assert.equal(result.step, "create");
                const after = emulator.resource(ids[entry.service])!.keys;
                assert.notEqual(after[renewed()], before[renewed()]);
                const outs = state.outputs;
                assert.equal(outs.resourceType, entry.resourceType);
                assert.equal(outs.keyType, renewed());
                assert.equal(outs.rotatedKeyType, renewed());
                assert.ok(!Number.isNaN(Date.parse(String(outs.rotatedAt))) && String(outs.rotatedAt).endsWith("Z"));
                for (const output of expectedOutputs(entry, renewed())) assert.ok(outs[output] !== undefined, `${output} is output`);
                if (outs.primaryKey) assert.equal(outs.primaryKey, after.Primary);
                if (outs.secondaryKey) assert.equal(outs.secondaryKey, after.Secondary);
                if (outs.callbackUrls) assert.equal((outs.callbackUrls as Record<string, string>).manual, emulator.callbackUrlOf(ids[entry.service], "manual"));
                assert.equal(outs.__provider, registrations[entry.service].inputs.__provider);
            });

            it("the same trigger makes zero ARM requests", async () => {
                emulator.clearRequests();
                const result = await up(host, urn, inputsOf(entry.service), state);
                assert.equal(result.step, "same");
                assert.deepEqual(emulator.armRequests(), []);
            });

            it("apiVersion alone updates with no ARM request; keyType alone regenerates nothing and outputs the keys it now owns", async () => {
                emulator.clearRequests();
                const version = await up(host, urn, inputsOf(entry.service, { apiVersion: entry.defaultApiVersion }), state);
                assert.equal(version.step, "update");
                assert.deepEqual(emulator.armRequests(), []);
                for (const output of expectedOutputs(entry, renewed())) assert.deepEqual(version.state.outputs[output], state.outputs[output]);

                const before = { ...emulator.resource(ids[entry.service])!.keys };
                const other = entry.keyTypes.find((k) => k.name !== renewed() && k.name !== "NotSpecified")!.name;
                const result = await up(host, urn, inputsOf(entry.service, { keyType: other }), state);
                assert.equal(result.step, "update");
                assert.ok(!emulator.armRequests().some((r) => r.method === "POST" && /regenerate/i.test(r.path)), "no regenerate");
                assert.deepEqual(emulator.resource(ids[entry.service])!.keys, before);
                assert.equal(result.state.outputs.keyType, other);
                assert.equal(result.state.outputs.rotatedKeyType, renewed());
                for (const output of expectedOutputs(entry, other)) assert.ok(result.state.outputs[output] !== undefined, `${output} is output`);
                // Back to the original key type for the next steps.
                state = (await up(host, urn, inputsOf(entry.service), result.state)).state;
            });

            it("a new trigger rotates in place", async () => {
                const before = { ...emulator.resource(ids[entry.service])!.keys };
                const result = await up(host, urn, inputsOf(entry.service, { trigger: "2026-12" }), state);
                assert.equal(result.step, "update");
                assert.equal(result.state.id, state.id);
                assert.notEqual(emulator.resource(ids[entry.service])!.keys[renewed()], before[renewed()]);
                assert.equal(result.state.outputs.trigger, "2026-12");
                assert.notEqual(result.state.outputs.rotatedAt, undefined);
                state = result.state;
            });

            it("refresh picks up a rotation done outside Pulumi", async () => {
                emulator.regenerate(ids[entry.service], "Primary");
                const refreshed = await refresh(host, state);
                assert.ok(refreshed);
                const keys = emulator.resource(ids[entry.service])!.keys;
                if (expectedOutputs(entry, renewed()).includes("primaryKey")) assert.equal(refreshed.outputs.primaryKey, keys.Primary);
                if (expectedOutputs(entry, renewed()).includes("callbackUrls"))
                    assert.equal((refreshed.outputs.callbackUrls as Record<string, string>).manual, emulator.callbackUrlOf(ids[entry.service], "manual"));
                assert.equal(refreshed.outputs.rotatedAt, state.outputs.rotatedAt, "a refresh is not a rotation");
                state = refreshed;
            });

            it("a new resourceId replaces: the new target is rotated, the old one untouched", async () => {
                const otherId = resourceIds("life-other")[entry.service];
                emulator.createResource(otherId);
                const oldKeys = { ...emulator.resource(ids[entry.service])!.keys };
                const result = await up(host, urn, inputsOf(entry.service, { resourceId: otherId }), state);
                assert.equal(result.step, "replace");
                assert.notEqual(result.state.id, state.id);
                assert.equal(emulator.resource(otherId)!.generations[renewed()], 1);
                assert.deepEqual(emulator.resource(ids[entry.service])!.keys, oldKeys);
                state = result.state;
            });

            it("delete makes no ARM request and leaves the keys valid", async () => {
                const keys = { ...emulator.resource(String(state.outputs.resourceId))!.keys };
                emulator.clearRequests();
                await host.delete(state.id, urn, state.outputs);
                assert.deepEqual(emulator.armRequests(), []);
                assert.deepEqual(emulator.resource(String(state.outputs.resourceId))!.keys, keys);
            });
        });
    }

    it("refresh reports a KeyRotation gone when its target no longer exists", async () => {
        const id = resourceIds("gone").communication;
        emulator.createResource(id);
        const { state } = await up(host, keyRotationUrn("gone"), inputsOf("communication", { resourceId: id }));
        emulator.deleteResource(id);
        assert.equal(await refresh(host, state), undefined);
    });

    it("preview with unknown values: an unknown trigger is a change, an unknown resourceId a replacement", async () => {
        emulator.createResource(resourceIds("preview").signalr);
        const { state } = await up(host, keyRotationUrn("preview"), inputsOf("signalr", { resourceId: resourceIds("preview").signalr }));
        const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        emulator.clearRequests();
        const checked = await host.check(state.urn, state.inputs, { ...state.inputs, trigger: unknown, resourceId: unknown });
        assert.deepEqual(checked.failures, []);
        assert.equal((await host.diff(state.id, state.urn, state.outputs, { ...state.inputs, trigger: unknown })).changes, "some");
        assert.deepEqual((await host.diff(state.id, state.urn, state.outputs, { ...state.inputs, resourceId: unknown })).replaces, ["resourceId"]);
        assert.deepEqual(emulator.armRequests(), []);
    });
});
