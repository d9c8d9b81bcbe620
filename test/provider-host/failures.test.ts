import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { CheckFailedError, type HostError, keyRotationUrn, type ProviderHost, type Registration, refresh, up } from "../../scripts/engine";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { register, startHost } from "../helpers/host";

let emulator: AzureEmulator;
let host: ProviderHost;
let stopHost: () => Promise<void>;
let base: Registration;
const ids = resourceIds("hostfail");

before(async () => {
    // Synchronous regenerates stay busy for a while, so overlapping ones would collide (409).
    emulator = await startEmulator({ regenerateLatencyMs: 150, lro: { pollsUntilDone: 2, retryAfterSeconds: 0 } });
    for (const id of Object.values(ids)) emulator.createResource(id);
    base = (await register({ base: { resourceId: ids.signalr, keyType: "Primary", trigger: "1" } })).base;
    ({ host, stop: stopHost } = await startHost(emulator));
});
beforeEach(() => {
    emulator.faults.clear();
    emulator.clearRequests();
});
after(async () => {
    await stopHost();
    await emulator.stop();
});

const inputs = (overrides: Record<string, unknown>) => ({ ...base.inputs, ...overrides });

function assertNoSecret(message: string) {
    const env = emulator.env();
    assert.ok(!message.includes(env.AZURE_CLIENT_SECRET));
    for (const r of Object.values(ids))
        for (const key of Object.values(emulator.resource(r)?.keys ?? {})) assert.ok(!message.includes(key), "no key in the message");
    assert.ok(!/Bearer\s+ey|sig=[A-Za-z0-9_-]{10}/.test(message));
}

describe("bad input fails in check, before any call to Azure", () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
        [
            "an unsupported resource type",
            { resourceId: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv" },
            "resourceId",
        ],
        ["a malformed resource id", { resourceId: "my-signalr" }, "resourceId"],
        ["a key type the service lacks", { resourceId: ids["apim-subscription"], keyType: "Salt" }, "keyType"],
        ["an empty trigger", { trigger: "" }, "trigger"],
        ["Alternate on a Logic Apps workflow, which cannot alternate", { resourceId: ids["logic-apps-standard"], keyType: "Alternate" }, "keyType"],
        ["no keyType on a Logic Apps workflow", { resourceId: ids["logic-apps-standard"], keyType: null }, "keyType"],
        ["a rotateEvery that is not hours or days", { rotateEvery: "1 month" }, "rotateEvery"],
        ["a malformed apiVersion", { apiVersion: "v2" }, "apiVersion"],
    ];
    for (const [what, overrides, property] of cases) {
        it(`${what} names ${property}; no ARM request; the host stays up`, async () => {
            const check = await host.check(keyRotationUrn("bad"), {}, inputs(overrides));
            assert.equal(check.failures.length, 1, JSON.stringify(check.failures));
            assert.equal(check.failures[0].property, property);
            await assert.rejects(up(host, keyRotationUrn("bad"), inputs(overrides)), CheckFailedError);
            assert.equal(emulator.requests.length, 0);
            assert.ok(host.alive);
        });
    }
});

describe("failures during a rotation", () => {
    it("concurrent Primary and Secondary rotations of one SignalR never overlap", async () => {
        const regs = await register({
            "sig-primary": { resourceId: ids.signalr, keyType: "Primary", trigger: "1" },
            "sig-secondary": { resourceId: ids.signalr, keyType: "Secondary", trigger: "1" },
        });
        const results = await Promise.all(Object.values(regs).map((r) => up(host, keyRotationUrn(r.name), r.inputs)));
        assert.deepEqual(
            results.map((r) => r.step),
            ["create", "create"],
        );
        const log = emulator.armRequests();
        assert.ok(
            log.every((r) => r.status !== 409),
            JSON.stringify(log),
        );
        const regenerates = log
            .map((r, i) => [r.operation, i] as const)
            .filter(([op]) => op === "SignalR_RegenerateKey")
            .map(([, i]) => i);
        const lastPollOfFirst = log.findIndex((r, i) => i > regenerates[0] && r.operation === "SignalR_ListKeys");
        assert.ok(lastPollOfFirst < regenerates[1], "the second regenerate starts after the first finished and was read back");
        assert.equal(emulator.resource(ids.signalr)!.generations.Primary, 1);
        assert.equal(emulator.resource(ids.signalr)!.generations.Secondary, 1);
    });

    it("regenerate succeeded but the read-back failed: the state records the rotation and a refresh fills in the keys", async () => {
        // An answer without the key, so the keys must be read back; the read before the regenerate (skip: 1) goes through.
        emulator.faults.add({ operation: "CommunicationServices_RegenerateKey", tamper: { body: "empty" } });
        emulator.faults.add({
            operation: "CommunicationServices_ListKeys",
            skip: 1,
            status: 403,
            code: "AuthorizationFailed",
            message: "no listKeys permission",
        });
        const before = emulator.resource(ids.communication)!.generations.Primary;
        const error = await up(host, keyRotationUrn("partial"), inputs({ resourceId: ids.communication })).then(
            () => assert.fail("expected the create to fail"),
            (e: HostError) => e,
        );
        assert.equal(emulator.resource(ids.communication)!.generations.Primary, before + 1);
        assert.match(error.message, /regenerated but reading the keys back failed/);
        assert.match(error.message, /CommunicationServices_ListKeys/);
        assert.match(error.message, /AuthorizationFailed/);
        assertNoSecret(error.message);
        assert.ok(error.initFailed, "ErrorResourceInitFailed details");
        const props = error.initFailed.properties;
        assert.ok(error.initFailed.id);
        assert.equal(props.rotatedKeyType, "Primary");
        assert.ok(props.rotatedAt);
        assert.equal(props.primaryKey, undefined);
        assert.equal(props.__provider, base.inputs.__provider, "__provider is kept so a refresh can load the provider");

        const refreshed = await refresh(host, { id: error.initFailed.id, urn: keyRotationUrn("partial"), inputs: {}, outputs: props });
        assert.equal(refreshed!.outputs.primaryKey, emulator.resource(ids.communication)!.keys.Primary);
    });

    it("a persistent 500 fails the deployment naming the resource, operation and ARM's code, and records the regenerate as possibly done", async () => {
        emulator.faults.add({ operation: "Subscription_RegeneratePrimaryKey", status: 500, code: "InternalServerError", message: "try later", count: 100 });
        await assert.rejects(up(host, keyRotationUrn("p500"), inputs({ resourceId: ids["apim-subscription"] })), (e: HostError) => {
            assert.match(e.message, /Subscription_RegeneratePrimaryKey/);
            assert.ok(e.message.includes(ids["apim-subscription"]));
            assert.match(e.message, /HTTP 500 InternalServerError/);
            // A server error is not a refusal: the service may have regenerated the key before failing.
            assert.match(e.message, /may have taken effect but could not be confirmed/);
            assert.equal(e.initFailed?.properties.pendingStep, "regenerate");
            assert.equal(e.initFailed?.properties.primaryKey, undefined, "no value of a key that may have changed");
            assertNoSecret(e.message);
            return true;
        });
    });

    it("429 and 503 through the host are retried to success", async () => {
        emulator.faults.add({ operation: "TenantAccess_RegeneratePrimaryKey", status: 429, retryAfterSeconds: 0 });
        emulator.faults.add({ operation: "TenantAccess_ListSecrets", status: 503, retryAfterSeconds: 0 });
        const { step } = await up(host, keyRotationUrn("throttled"), inputs({ resourceId: ids["apim-tenant-access"] }));
        assert.equal(step, "create");
    });

    it("a target that does not exist fails with ARM's 404", async () => {
        await assert.rejects(up(host, keyRotationUrn("missing"), inputs({ resourceId: resourceIds("absent").signalr })), /HTTP 404 ResourceNotFound/);
    });
});

describe("credentials", () => {
    it("a token endpoint refusing the secret fails clearly, without the secret, and calls no ARM operation", async () => {
        const bad = await startHost(emulator, { AZURE_CLIENT_SECRET: "wrong-secret-value" });
        try {
            await assert.rejects(up(bad.host, keyRotationUrn("badcred"), inputs({})), (e: HostError) => {
                assert.match(e.message, /Could not get an Azure access token/);
                assert.match(e.message, /7000215|invalid_client|Invalid client secret/i);
                assert.ok(!e.message.includes("wrong-secret-value"));
                return true;
            });
            assert.deepEqual(emulator.armRequests(), []);
        } finally {
            await bad.stop();
        }
    });
});
