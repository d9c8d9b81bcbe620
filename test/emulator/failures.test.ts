import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { isArmError } from "../../src/arm/errors";
import type { ArmClient } from "../../src/core/armClient";
import { readKeys, regenerateKey } from "../../src/core/rotate";
import { clientFor, contextFor } from "../helpers/armClient";
import { resourceIds, startEmulator } from "../helpers/emulator";

let emulator: AzureEmulator;
let client: ArmClient;
let sleeps: number[];
const ids = resourceIds("faults");

before(async () => {
    emulator = await startEmulator();
    for (const id of Object.values(ids)) emulator.createResource(id);
});
beforeEach(() => {
    ({ client, sleeps } = clientFor(emulator, { retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 5_000, maxTotalMs: 60_000 } }));
    emulator.faults.clear();
    emulator.clearRequests();
});
after(() => emulator.stop());

/** Asserts that an error names the resource, the operation, the status and ARM's code, and leaks nothing. */
function assertArmError(error: unknown, expected: { operation: string; status?: number; code?: string }) {
    assert.ok(isArmError(error), String(error));
    assert.equal(error.operation, expected.operation);
    if (expected.status !== undefined) assert.equal(error.status, expected.status);
    if (expected.code) assert.equal(error.code, expected.code);
    assert.ok(error.message.includes(error.resourceId));
    assert.ok(error.message.includes(expected.operation));
    const secrets = [emulator.env().AZURE_CLIENT_SECRET, ...emulator.resource(ids.communication)!.keys.Primary.split(" ")];
    for (const secret of secrets) assert.ok(!error.message.includes(secret), "the error must not carry a secret");
    assert.ok(!/Bearer\s+ey/.test(error.message));
    return true;
}

describe("transient failures are retried", () => {
    it("429 waits exactly as long as Retry-After says", async () => {
        emulator.faults.add({ operation: "CommunicationServices_RegenerateKey", status: 429, retryAfterSeconds: 3, count: 2 });
        await regenerateKey(contextFor(client, ids.communication, "2023-03-31"), "Primary");
        assert.deepEqual(sleeps, [3000, 3000]);
        assert.deepEqual(
            emulator.armRequests().map((r) => r.status),
            [429, 429, 200],
        );
    });

    it("503 with Retry-After is honoured too", async () => {
        emulator.faults.add({ operation: "Subscription_ListSecrets", status: 503, retryAfterSeconds: 1 });
        await readKeys(contextFor(client, ids["apim-subscription"], "2022-08-01"));
        assert.deepEqual(sleeps, [1000]);
    });

    it("a dropped connection is retried with back-off", async () => {
        emulator.faults.add({ operation: "SignalR_ListKeys", drop: true });
        const keys = await readKeys(contextFor(client, ids.signalr, "2023-02-01"));
        assert.ok(keys.primaryKey);
        assert.equal(sleeps.length, 1);
        assert.ok(sleeps[0] >= 50 && sleeps[0] <= 100, `jittered back-off, got ${sleeps[0]}`);
    });

    it("a 409 conflict on the same resource is retried", async () => {
        emulator.faults.add({ operation: "TenantAccess_RegeneratePrimaryKey", status: 409, code: "Conflict" });
        await regenerateKey(contextFor(client, ids["apim-tenant-access"], "2022-08-01"), "Primary");
        assert.deepEqual(
            emulator.armRequests().map((r) => r.status),
            [409, 204],
        );
    });

    it("an expired token (401) is refreshed once and the call repeated", async () => {
        emulator.faults.add({ operation: "SignalR_ListKeys", status: 401, code: "ExpiredAuthenticationToken" });
        const issued = emulator.identity.issued;
        await readKeys(contextFor(client, ids.signalr, "2023-02-01"));
        assert.equal(emulator.identity.issued, issued + 1);
        assert.deepEqual(sleeps, []);
    });
});

describe("persistent failures end in a clear error", () => {
    it("a persistent 500 stops at the attempt cap", async () => {
        emulator.faults.add({
            operation: "CommunicationServices_RegenerateKey",
            status: 500,
            code: "InternalServerError",
            message: "backend exploded",
            count: 10,
        });
        await assert.rejects(regenerateKey(contextFor(client, ids.communication, "2023-03-31"), "Primary"), (e) =>
            assertArmError(e, { operation: "CommunicationServices_RegenerateKey", status: 500, code: "InternalServerError" }),
        );
        assert.equal(emulator.armRequests().length, 4);
        assert.equal(sleeps.length, 3);
    });

    it("a 401 that a fresh token does not cure is not retried further", async () => {
        emulator.faults.add({ operation: "SignalR_ListKeys", status: 401, code: "InvalidAuthenticationToken", count: 2 });
        await assert.rejects(readKeys(contextFor(client, ids.signalr, "2023-02-01")), (e) =>
            assertArmError(e, { operation: "SignalR_ListKeys", status: 401, code: "InvalidAuthenticationToken" }),
        );
        assert.equal(emulator.armRequests().length, 2);
    });

    it("a 404 names the missing resource and is not retried", async () => {
        await assert.rejects(readKeys(contextFor(client, resourceIds("missing").signalr, "2023-02-01")), (e) =>
            assertArmError(e, { operation: "SignalR_ListKeys", status: 404, code: "ResourceNotFound" }),
        );
        assert.equal(sleeps.length, 0);
    });

    it("APIM's own error shape is read", async () => {
        await assert.rejects(regenerateKey(contextFor(client, resourceIds("missing")["apim-subscription"], "2022-08-01"), "Primary"), (e) => {
            assertArmError(e, { operation: "Subscription_RegeneratePrimaryKey", status: 404, code: "ResourceNotFound" });
            assert.match((e as Error).message, /API Management subscription not found/);
            return true;
        });
    });

    it("a status answer without a status field keeps the client polling instead of declaring success", async () => {
        const failing = await startEmulator({ lro: { pollsUntilDone: 1, retryAfterSeconds: 0 } });
        try {
            const { client: c } = clientFor(failing);
            failing.createResource(ids.signalr);
            failing.faults.add({ operation: "OperationStatus", status: 200, code: "InternalError", message: "regeneration failed" });
            // A 200 fault body has no status field: the client must keep polling, not treat it as done.
            await regenerateKey(contextFor(c, ids.signalr, "2023-02-01"), "Primary");
            assert.equal(failing.resource(ids.signalr)!.generations.Primary, 1);
        } finally {
            await failing.stop();
        }
    });

    it("a long-running regenerate that ends Failed or Canceled is an error naming the operation; the key is unchanged and the next rotation works", async () => {
        const lro = await startEmulator({ lro: { pollsUntilDone: 3, retryAfterSeconds: 0 } });
        try {
            const { client: c } = clientFor(lro);
            lro.createResource(ids.signalr);
            const before = lro.resource(ids.signalr)!.keys.Primary;
            lro.faults.add({
                operation: "OperationStatus",
                operationEnds: "Failed",
                code: "KeyRegenerationFailed",
                message: "The key could not be regenerated.",
            });
            await assert.rejects(regenerateKey(contextFor(c, ids.signalr, "2023-02-01"), "Primary"), (e) => {
                assert.ok(isArmError(e));
                assert.equal(e.operation, "SignalR_RegenerateKey");
                assert.equal(e.code, "KeyRegenerationFailed");
                assert.match(e.message, /The key could not be regenerated/);
                assert.ok(!e.message.includes(before));
                return true;
            });
            lro.faults.add({ operation: "OperationStatus", operationEnds: "Canceled" });
            await assert.rejects(
                regenerateKey(contextFor(c, ids.signalr, "2023-02-01"), "Primary"),
                (e) => isArmError(e) && e.code === "OperationCanceled" && /ended as canceled/.test(e.message),
            );
            assert.equal(lro.resource(ids.signalr)!.keys.Primary, before, "a failed or canceled operation regenerates nothing");
            assert.equal(lro.resource(ids.signalr)!.generations.Primary, 0);

            await regenerateKey(contextFor(c, ids.signalr, "2023-02-01"), "Primary");
            assert.equal(lro.resource(ids.signalr)!.generations.Primary, 1);
            assert.ok(!lro.requests.some((r) => r.status === 409), "the failed operation left the resource free");
        } finally {
            await lro.stop();
        }
    });

    it("a poll URL on another origin is refused: the token is never sent there", async () => {
        const { AxiosArmClient } = await import("../../src/arm/client");
        const c = new AxiosArmClient({ endpoint: emulator.url, tokens: { token: async () => "t" }, sleep: async () => undefined });
        const request = {
            method: "POST" as const,
            path: "/x",
            apiVersion: "2023-02-01",
            expect: [202],
            operation: "SignalR_RegenerateKey",
            resourceId: ids.signalr,
        };
        await assert.rejects(
            c.waitForCompletion({ status: 202, headers: { "azure-asyncoperation": "https://attacker.example/op" }, body: {} }, request),
            /UntrustedUrl/,
        );
    });

    it("the token endpoint refusing the secret is a clear error without the secret", async () => {
        process.env.AZURE_CLIENT_SECRET = "not-the-secret";
        const { createCredential, TokenCache } = await import("../../src/arm/credential");
        const { resolveConfiguration } = await import("../../src/arm/configuration");
        const configuration = resolveConfiguration(() => undefined, process.env);
        const tokens = new TokenCache(createCredential(configuration), configuration.settings.scope);
        await assert.rejects(tokens.token(), (e: Error) => {
            assert.match(e.message, /Could not get an Azure access token/);
            assert.match(e.message, /AADSTS7000215|invalid_client|Invalid client secret/i);
            assert.ok(!e.message.includes("not-the-secret"));
            return true;
        });
    });
});
