import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { postDataPlane } from "../../scripts/consumers";
import { CATALOG, keyOutputsOf, type ServiceEntry } from "../../src/catalog";
import { readKeys } from "../../src/core/rotate";
import { clientFor, contextFor } from "../helpers/armClient";
import { resourceIds, startEmulator } from "../helpers/emulator";

let emulator: AzureEmulator;
let client: ReturnType<typeof clientFor>["client"];
const ids = resourceIds("dp");

before(async () => {
    emulator = await startEmulator();
    ({ client } = clientFor(emulator));
    for (const id of Object.values(ids)) emulator.createResource(id);
});
after(() => emulator.stop());

/**
 * What applications of a service hold for each consumer key type, read through the catalog as a
 * KeyRotation outputs it: its connection string and its key where the service has them, else the
 * callback URL signed with it (Logic Apps Standard signs every URL with the primary key).
 */
async function credentials(entry: ServiceEntry, id: string): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    const keyTypes = entry.keyTypes.filter((k) => k.consumer && (entry.readKeys.kind !== "callbackUrls" || k.name === "Primary"));
    for (const { name } of keyTypes) {
        const keys = await readKeys({ ...contextFor(client, id), signWith: name });
        const roles = keyOutputsOf(entry, name);
        const held = [roles.ConnectionString && keys[roles.ConnectionString], roles.Key && keys[roles.Key], keys.callbackUrl];
        if (keys.callbackUrls) held.push(...Object.values(keys.callbackUrls as Record<string, string>));
        out[name] = held.filter((c): c is string => typeof c === "string");
        assert.ok(out[name].length > 0, `${entry.service} ${name}: something to authenticate with`);
    }
    return out;
}

describe("the emulated data plane accepts only a resource's current keys", () => {
    for (const entry of CATALOG) {
        it(`${entry.service}: current keys in (connection strings and keys as output), a regenerated key out at once, the other keys unaffected`, async () => {
            const id = ids[entry.service];
            const before = await credentials(entry, id);
            for (const [keyType, held] of Object.entries(before)) {
                for (const credential of held) {
                    assert.equal(emulator.authenticate(id, credential), keyType);
                    const answer = await postDataPlane(emulator.url, id, { credential });
                    assert.deepEqual([answer.status, answer.body.keyType], [200, keyType]);
                }
            }
            emulator.regenerate(id, "Primary");
            for (const credential of before.Primary) {
                assert.equal(emulator.authenticate(id, credential), undefined);
                const refused = await postDataPlane(emulator.url, id, { credential });
                assert.deepEqual([refused.status, refused.body.error.code], [401, "Unauthorized"]);
            }
            for (const [keyType, held] of Object.entries(before)) {
                if (keyType !== "Primary") for (const credential of held) assert.equal(emulator.authenticate(id, credential), keyType);
            }
            for (const credential of (await credentials(entry, id)).Primary) assert.equal(emulator.authenticate(id, credential), "Primary");
        });
    }

    it("Event Hubs and Service Bus: a namespace paired with a Geo-DR alias lists the alias's connection strings, which authenticate too", async () => {
        for (const service of ["eventhubs-namespace", "servicebus-queue"]) {
            const id = resourceIds("geodr")[service];
            emulator.createResource(id, { geoDrAlias: "geodr-alias" });
            const keys = await readKeys(contextFor(client, id));
            assert.match(String(keys.primaryAliasConnectionString), /^Endpoint=sb:\/\/geodr-alias\.servicebus\.windows\.net\/;/);
            assert.equal(emulator.authenticate(id, String(keys.primaryAliasConnectionString)), "Primary");
            assert.equal(emulator.authenticate(id, String(keys.secondaryAliasConnectionString)), "Secondary");
            // Without an alias there are none, and that is no error.
            assert.equal((await readKeys(contextFor(client, ids[service]))).primaryAliasConnectionString, undefined);
        }
    });

    it("refuses every key of a resource whose shared keys are turned off", async () => {
        for (const service of ["storage", "cosmosdb", "servicebus-namespace", "eventgrid-topic"]) {
            const id = resourceIds("nokeys")[service];
            const resource = emulator.createResource(id, { localAuthDisabled: true });
            for (const key of Object.values(resource.keys)) assert.equal(emulator.authenticate(id, key), undefined, service);
        }
    });

    it("refuses a Salt, garbage and a key of another resource; never logs the credential", async () => {
        const signalr = emulator.resource(ids.signalr)!;
        assert.equal(emulator.authenticate(ids.signalr, signalr.keys.Salt), undefined);
        assert.equal(emulator.authenticate(ids.signalr, "Endpoint=x;Version=1.0;"), undefined);
        assert.equal(emulator.authenticate(ids["logic-apps-standard"], "not a url"), undefined);
        assert.equal(emulator.authenticate(ids.communication, signalr.keys.Primary), undefined);
        emulator.clearRequests();
        assert.equal((await postDataPlane(emulator.url, ids.signalr, { credential: signalr.keys.Primary })).status, 200);
        assert.equal((await postDataPlane(emulator.url, ids.signalr, {})).status, 400);
        assert.equal((await postDataPlane(emulator.url, `${ids.signalr}-gone`, { credential: "k" })).status, 404);
        assert.ok(!JSON.stringify(emulator.requests).includes(signalr.keys.Primary));
        assert.equal(emulator.armRequests().length, 0, "data-plane calls are not ARM calls");
    });
});
