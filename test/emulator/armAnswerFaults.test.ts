/**
 * Faults for the answers issue 19 is about: a key read-back that lags behind the regenerate (a
 * replica still serving the key set from before), a synchronous regenerate answered 202 with no
 * monitor although the key changed, and a long-running regenerate whose monitors are on a regional
 * ARM host (`https://{region}.management.azure.com`), which the emulator serves as ARM through its
 * proxy, as the official Cosmos DB example's 202 has it.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { arm, armToken, call, publicCloudToken } from "../helpers/emulatorCalls";

let emulator: AzureEmulator;
let token: string;
let proxy: string;
before(async () => {
    emulator = await startEmulator();
    token = await armToken(emulator);
    proxy = await emulator.startProxy();
});
beforeEach(() => {
    emulator.faults.clear();
    emulator.clearRequests();
});
after(() => emulator.stop());

describe("a read-back that lags: the stale fault", () => {
    it("Cosmos DB listKeys answers the key set from before the last regenerate, for `count` reads, then the current one", async () => {
        const id = resourceIds("stale").cosmosdb;
        const before = { ...emulator.createResource(id).keys };
        emulator.regenerate(id, "Secondary");
        const now = emulator.resource(id)!.keys;
        assert.notEqual(now.Secondary, before.Secondary);
        emulator.faults.add({ operation: "DatabaseAccounts_ListKeys", stale: true, count: 2 });
        const read = async () => (await arm(emulator, token, "POST", `${id}/listKeys`, "2025-10-15")).json as Record<string, string>;
        for (let i = 0; i < 2; i++) {
            const keys = await read();
            assert.equal(keys.secondaryMasterKey, before.Secondary, "the revoked key, as a lagging replica has it");
            assert.equal(keys.primaryMasterKey, before.Primary);
        }
        assert.equal((await read()).secondaryMasterKey, now.Secondary, "then the current keys");
        assert.deepEqual(
            emulator.armRequests().map((r) => r.fault),
            ["stale", "stale", undefined],
        );
        assert.equal(emulator.resource(id)!.keys.Secondary, now.Secondary, "the fault changes no key");
    });

    it("before any regenerate, a stale read-back is the current key set", async () => {
        const id = resourceIds("stale-fresh").storage;
        const { keys } = emulator.createResource(id);
        emulator.faults.add({ operation: "StorageAccounts_ListKeys", stale: true });
        const answer = (await arm(emulator, token, "POST", `${id}/listKeys`, "2025-06-01")).json as { keys: Array<{ value: string }> };
        assert.equal(answer.keys[0].value, keys.Primary);
    });

    it("Logic Apps Standard: a stale listCallbackUrl is signed with the access key from before the regenerate", async () => {
        const id = resourceIds("stale-la")["logic-apps-standard"];
        emulator.createResource(id);
        const before = emulator.callbackUrlOf(id, "manual");
        emulator.regenerate(id, "Primary");
        const path = `${id.replace("/workflows/", "/hostruntime/runtime/webhooks/workflow/api/management/workflows/")}/triggers/manual/listCallbackUrl`;
        emulator.faults.add({ operation: "WorkflowTriggers_ListCallbackUrl", stale: true });
        const stale = (await arm(emulator, token, "POST", path, "2025-05-01")).json as { value: string };
        assert.equal(stale.value, before);
        assert.equal(emulator.authenticate(id, stale.value), undefined, "that URL no longer works");
        const fresh = (await arm(emulator, token, "POST", path, "2025-05-01")).json as { value: string };
        assert.equal(emulator.authenticate(id, fresh.value), "Primary");
    });
});

describe("a regenerate answered 202 with no monitor: tamper { status: 202 }", () => {
    it("Storage's regenerate (synchronous in its spec) answers 202 without a body or monitor, and the key did change", async () => {
        const id = resourceIds("accepted").storage;
        const before = emulator.createResource(id).keys.Secondary;
        emulator.faults.add({ operation: "StorageAccounts_RegenerateKey", tamper: { status: 202 } });
        const answer = await arm(emulator, token, "POST", `${id}/regenerateKey`, "2025-06-01", { keyName: "key2" });
        assert.equal(answer.status, 202);
        assert.equal(answer.body, "");
        assert.equal(answer.headers.location, undefined);
        assert.equal(answer.headers["azure-asyncoperation"], undefined);
        assert.notEqual(emulator.resource(id)!.keys.Secondary, before, "the key changed all the same");
        assert.equal(emulator.armRequests()[0].fault, "tamper");
    });
});

describe("monitors on a regional ARM host: tamper { monitorOrigin }", () => {
    it("Cosmos DB's 202 names monitors on centraluseuap.management.azure.com, which answer as ARM through the proxy and complete the operation", async () => {
        const id = resourceIds("regional").cosmosdb;
        const before = emulator.createResource(id).keys.Primary;
        emulator.faults.add({ operation: "DatabaseAccounts_RegenerateKey", tamper: { monitorOrigin: "https://centraluseuap.management.azure.com" } });
        const accepted = await arm(emulator, token, "POST", `${id}/regenerateKey`, "2025-10-15", { keyKind: "primary" });
        assert.equal(accepted.status, 202);
        const status = new URL(String(accepted.headers["azure-asyncoperation"]));
        const result = new URL(String(accepted.headers.location));
        assert.equal(status.origin, "https://centraluseuap.management.azure.com");
        assert.equal(result.origin, "https://centraluseuap.management.azure.com");
        assert.match(status.pathname, /\/providers\/Microsoft\.DocumentDB\/locations\/westus\/operationsStatus\//);
        // The public cloud's token, as a client of management.azure.com holds it, is accepted there.
        const cloudToken = await publicCloudToken(emulator, proxy);
        let body: { status?: string } = {};
        for (let i = 0; i < 5 && body.status !== "Succeeded"; i++) {
            const poll = await call(status.href, { headers: { Authorization: `Bearer ${cloudToken}` }, proxy });
            assert.equal(poll.status, 200, poll.body);
            body = JSON.parse(poll.body);
        }
        assert.equal(body.status, "Succeeded");
        assert.notEqual(emulator.resource(id)!.keys.Primary, before);
        const polls = emulator.requests.filter((r) => r.operation === "OperationStatus");
        assert.ok(polls.length > 0 && polls.every((r) => r.host === "centraluseuap.management.azure.com"));
        assert.deepEqual(emulator.tokenLeaks(), [], "a regional ARM host is ARM: a token there is no leak");
        // Without a token it is refused, as ARM refuses.
        assert.equal((await call(status.href, { proxy })).status, 401);
    });

    it("the proxy tunnels a regional ARM host of every cloud, and not a host two labels deep or another domain", async () => {
        const connect = async (host: string) => {
            const before = emulator.tunnels.length;
            await call(`https://${host}/`, { proxy }).catch(() => undefined);
            return emulator.tunnels[before]?.allowed;
        };
        assert.equal(await connect("eastus2euap.management.azure.com"), true);
        assert.equal(await connect("chinanorth3.management.chinacloudapi.cn"), true);
        assert.equal(await connect("usgovvirginia.management.usgovcloudapi.net"), true);
        assert.equal(await connect("a.b.management.azure.com"), false);
        assert.equal(await connect("management.azure.com.evil.example"), false);
    });
});
