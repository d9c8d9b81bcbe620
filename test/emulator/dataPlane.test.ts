import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { postDataPlane } from "../../scripts/consumers";
import { CATALOG } from "../../src/catalog";
import { resourceIds, startEmulator } from "../helpers/emulator";

let emulator: AzureEmulator;
const ids = resourceIds("dp");

before(async () => {
    emulator = await startEmulator();
    for (const id of Object.values(ids)) emulator.createResource(id);
});
after(() => emulator.stop());

/** What an application of each service presents, built from the emulator's own key read-back. */
function credentials(service: string, id: string): Record<string, string> {
    const resource = emulator.resource(id)!;
    if (service === "logic-apps-standard") return { Primary: emulator.callbackUrlOf(id, "manual") };
    if (service === "signalr")
        return {
            Primary: `Endpoint=https://dp-signalr.service.signalr.net;AccessKey=${resource.keys.Primary};Version=1.0;`,
            Secondary: resource.keys.Secondary,
        };
    if (service === "communication")
        return { Primary: `endpoint=https://dp-acs.communication.azure.com/;accesskey=${resource.keys.Primary}`, Secondary: resource.keys.Secondary };
    return { Primary: resource.keys.Primary, Secondary: resource.keys.Secondary };
}

describe("the emulated data plane accepts only a resource's current keys", () => {
    for (const entry of CATALOG) {
        it(`${entry.service}: current keys in, a regenerated key out at once, the other key unaffected`, async () => {
            const id = ids[entry.service];
            const before = credentials(entry.service, id);
            for (const [keyType, credential] of Object.entries(before)) {
                assert.equal(emulator.authenticate(id, credential), keyType);
                const answer = await postDataPlane(emulator.url, id, { credential });
                assert.deepEqual([answer.status, answer.body.keyType], [200, keyType]);
            }
            emulator.regenerate(id, "Primary");
            assert.equal(emulator.authenticate(id, before.Primary), undefined);
            const refused = await postDataPlane(emulator.url, id, { credential: before.Primary });
            assert.deepEqual([refused.status, refused.body.error.code], [401, "Unauthorized"]);
            if (before.Secondary) assert.equal(emulator.authenticate(id, before.Secondary), "Secondary");
            assert.equal(emulator.authenticate(id, credentials(entry.service, id).Primary), "Primary");
        });
    }

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
