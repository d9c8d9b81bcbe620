import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { CATALOG, keyOutputsOf, keySetOutputs, regenerateOperation } from "../../src/catalog";
import { readKeys, regenerateKey, rotateKey } from "../../src/core/rotate";
import { clientFor, contextFor } from "../helpers/armClient";
import { resourceIds, startEmulator } from "../helpers/emulator";

let emulator: AzureEmulator;
let client: ReturnType<typeof clientFor>["client"];
before(async () => {
    emulator = await startEmulator();
    ({ client } = clientFor(emulator));
});
after(() => emulator.stop());

describe("every catalog service against the emulator", () => {
    for (const entry of CATALOG) {
        for (const { name: keyType } of entry.keyTypes) {
            it(`${entry.service}: regenerating ${keyType} renews that key only and yields the full, current key set`, async () => {
                const id = resourceIds(`${entry.service}-${keyType}`.toLowerCase().replace(/[^a-z]/g, ""))[entry.service];
                const resource = emulator.createResource(id);
                const before = { ...resource.keys };
                emulator.clearRequests();
                const keys = await rotateKey(contextFor(client, id), keyType);

                const renewed = keyType === "NotSpecified" ? "Primary" : keyType;
                const now = emulator.resource(id)!.keys;
                for (const [k, v] of Object.entries(now)) {
                    if (k === renewed) assert.notEqual(v, before[k], `${k} should be new`);
                    else assert.equal(v, before[k], `${k} should be unchanged`);
                }
                for (const output of keySetOutputs(entry).required) assert.ok(keys[output] !== undefined, `${output} read back`);
                for (const k of entry.keyTypes.filter((k) => k.consumer)) {
                    const key = keyOutputsOf(entry, k.name).Key;
                    if (key) assert.equal(keys[key], now[k.name], `${key} is the current ${k.name} key`);
                }

                const arm = emulator.armRequests();
                assert.ok(
                    arm.every((r) => r.status >= 200 && r.status < 300),
                    JSON.stringify(arm),
                );
                assert.ok(arm.filter((r) => r.apiVersion).every((r) => r.apiVersion === entry.defaultApiVersion));
                // The emulator answers as the service's spec says; the catalog must expect that answer.
                const regenerate = arm.find((r) => r.operation === regenerateOperation(entry, keyType))!;
                assert.ok(entry.regenerate.successStatus.includes(regenerate.status), `${regenerate.status} is a success the catalog expects`);
                if (regenerate.status === 202) assert.ok(entry.regenerate.longRunning, "a 202 is followed");
            });
        }
    }

    it("signalr: accepts a synchronous 200, as 2024-03-01 may answer", async () => {
        const sync = await startEmulator({ lro: { pollsUntilDone: 0 } });
        try {
            const { client: c } = clientFor(sync);
            const id = resourceIds("sync").signalr;
            const before = sync.createResource(id).keys.Primary;
            await regenerateKey(contextFor(c, id, "2024-03-01"), "Primary");
            assert.equal(sync.armRequests()[0].status, 200);
            assert.notEqual((await readKeys(contextFor(c, id, "2024-03-01"))).primaryKey, before);
        } finally {
            await sync.stop();
            clientFor(emulator);
        }
    });

    it("signalr: follows the operation until it succeeds, sleeping by Retry-After", async () => {
        const slow = await startEmulator({ lro: { pollsUntilDone: 3, retryAfterSeconds: 2 } });
        try {
            const { client: c, sleeps } = clientFor(slow);
            const id = resourceIds("slow").signalr;
            slow.createResource(id);
            await regenerateKey(contextFor(c, id, "2023-02-01"), "Secondary");
            assert.deepEqual(
                slow.armRequests().map((r) => r.operation),
                ["SignalR_RegenerateKey", "OperationStatus", "OperationStatus", "OperationStatus"],
            );
            assert.deepEqual(sleeps, [2000, 2000, 2000]);
            assert.equal(slow.resource(id)!.generations.Secondary, 1);
        } finally {
            await slow.stop();
            clientFor(emulator);
        }
    });

    it("logic apps: follows nextLink across pages and skips triggers without a callback URL", async () => {
        const id = resourceIds("paged")["logic-apps-standard"];
        emulator.createResource(id, {
            triggers: [
                { name: "manual", kind: "Request" },
                { name: "nightly", kind: "Recurrence" },
                { name: "webhook", kind: "Request" },
            ],
        });
        emulator.clearRequests();
        const keys = await readKeys(contextFor(client, id, "2025-05-01"));
        const urls = keys.callbackUrls as Record<string, string>;
        assert.deepEqual(Object.keys(urls).sort(), ["manual", "webhook"]);
        assert.equal(urls.manual, emulator.callbackUrlOf(id, "manual"));
        assert.equal(emulator.armRequests().filter((r) => r.operation === "WorkflowTriggers_List").length, 2);

        await regenerateKey(contextFor(client, id, "2025-05-01"), "Primary");
        const after = (await readKeys(contextFor(client, id, "2025-05-01"))).callbackUrls as Record<string, string>;
        assert.notEqual(new URL(after.manual).searchParams.get("sig"), new URL(urls.manual).searchParams.get("sig"));
    });

    it("uses an apiVersion override on every call", async () => {
        const id = resourceIds("override")["apim-subscription"];
        emulator.createResource(id);
        emulator.clearRequests();
        await regenerateKey(contextFor(client, id, "2024-05-01"), "Secondary");
        await readKeys(contextFor(client, id, "2024-05-01"));
        assert.deepEqual(
            emulator.armRequests().map((r) => r.apiVersion),
            ["2024-05-01", "2024-05-01"],
        );
    });
});

describe("the emulator's own contract", () => {
    const post = async (path: string, init: { token?: string; body?: unknown } = {}) => {
        const res = await fetch(`${emulator.url}${path}`, {
            method: "POST",
            headers: { "content-type": "application/json", ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
            body: init.body === undefined ? undefined : JSON.stringify(init.body),
        });
        return { status: res.status, body: (await res.text()) || undefined };
    };
    const token = async () => {
        const env = emulator.env();
        const res = await fetch(`${emulator.url}/${env.AZURE_TENANT_ID}/oauth2/v2.0/token`, {
            method: "POST",
            body: new URLSearchParams({
                grant_type: "client_credentials",
                client_id: env.AZURE_CLIENT_ID,
                client_secret: env.AZURE_CLIENT_SECRET,
                scope: `${emulator.url}/.default`,
            }),
        });
        return ((await res.json()) as { access_token: string }).access_token;
    };
    const signalrId = resourceIds("contract").signalr;
    before(() => void emulator.createResource(signalrId));

    it("answers 401 without a valid token", async () => {
        assert.equal((await post(`${signalrId}/listKeys?api-version=2023-02-01`)).status, 401);
        assert.equal((await post(`${signalrId}/listKeys?api-version=2023-02-01`, { token: "a.b.c" })).status, 401);
    });

    it("answers 404 for an unknown resource, 400 for a bad api-version or key type", async () => {
        const t = await token();
        const missing = await post(`${resourceIds("nope").signalr}/listKeys?api-version=2023-02-01`, { token: t });
        assert.equal(missing.status, 404);
        assert.match(missing.body!, /ResourceNotFound/);
        const version = await post(`${signalrId}/listKeys?api-version=2099-01-01`, { token: t });
        assert.equal(version.status, 400);
        assert.match(version.body!, /NoRegisteredProviderFound/);
        const keyType = await post(`${signalrId}/regenerateKey?api-version=2023-02-01`, { token: t, body: { keyType: "Tertiary" } });
        assert.equal(keyType.status, 400);
    });

    it("answers 409 to a regenerate while another on the same resource runs", async () => {
        const t = await token();
        const first = await post(`${signalrId}/regenerateKey?api-version=2023-02-01`, { token: t, body: { keyType: "Primary" } });
        assert.equal(first.status, 202);
        const second = await post(`${signalrId}/regenerateKey?api-version=2023-02-01`, { token: t, body: { keyType: "Secondary" } });
        assert.equal(second.status, 409);
        assert.match(second.body!, /Conflict/);
    });

    it("refuses a token request with a wrong client secret", async () => {
        const env = emulator.env();
        const res = await fetch(`${emulator.url}/${env.AZURE_TENANT_ID}/oauth2/v2.0/token`, {
            method: "POST",
            body: new URLSearchParams({
                grant_type: "client_credentials",
                client_id: env.AZURE_CLIENT_ID,
                client_secret: "wrong",
                scope: `${emulator.url}/.default`,
            }),
        });
        assert.equal(res.status, 401);
        assert.match(await res.text(), /invalid_client/);
    });
});
