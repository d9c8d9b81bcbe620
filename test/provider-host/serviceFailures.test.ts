import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { HANDLERS } from "../../emulator/handlers";
import { type HostError, keyRotationUrn, type ProviderHost, refresh, up } from "../../scripts/engine";
import { CATALOG, regenerateOperation } from "../../src/catalog";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { register, startHost } from "../helpers/host";

// Each service's own failure modes through Pulumi's dynamic-provider host: shared keys turned off
// on the resource, and a target deleted behind the KeyRotation's back.

let emulator: AzureEmulator;
let host: ProviderHost;
let stopHost: () => Promise<void>;

before(async () => {
    emulator = await startEmulator();
    ({ host, stop: stopHost } = await startHost(emulator));
});
after(async () => {
    await stopHost();
    await emulator.stop();
});

/** What each service's error says beyond the operation and ARM's code. */
const SAYS: Record<string, RegExp> = {
    "container-registry": /HTTP 400 UnAuthorizedForCredentialOperations: .*admin user is disabled/,
    // The read before the regenerate is refused first: "Failed to list key", as Azure says it.
    "cognitive-services": /HTTP 400 BadRequest: Failed to list key\. disableLocalAuth is set to be true/,
    "app-configuration": /InvalidKeySet: .*lists no access keys, .*access keys are disabled \(disableLocalAuth\); nothing from it was recorded/,
    redis: /disableAccessKeyAuthentication/,
    "managed-redis": /accessKeysAuthentication is Disabled/,
    search: /disableLocalAuth/,
    batch: /SharedKey/,
};

describe("shared keys turned off on the target: a clear error at the first call, nothing recorded", () => {
    const refusing = CATALOG.filter((e) => HANDLERS.get(e.service)?.localAuthDisabled);
    it("covers every service whose ARM refuses key operations then", () => {
        assert.deepEqual(refusing.map((e) => e.service).sort(), Object.keys(SAYS).sort());
    });
    for (const entry of refusing) {
        it(`${entry.service}: the error names the operation and ARM's code; no key changed, no state written, no secret in it or in the logs`, async () => {
            const id = resourceIds("nolocal")[entry.service];
            const resource = emulator.createResource(id, { localAuthDisabled: true });
            const keys = { ...resource.keys };
            const name = `nolocal-${entry.service}`;
            const { [name]: reg } = await register({ [name]: { resourceId: id, trigger: "1" } });
            emulator.clearRequests();
            const error = await up(host, keyRotationUrn(name), reg.inputs).then(
                () => assert.fail("the rotation should fail"),
                (e: HostError) => e,
            );
            const requests = emulator.armRequests();
            // The refusal is the last request (App Configuration's is a 200 listing no keys).
            const refused = requests.at(-1);
            assert.ok(refused, "ARM was asked");
            assert.ok(error.message.includes(refused.operation), `names ${refused.operation}: ${error.message}`);
            assert.ok(error.message.includes(id), "names the resource");
            assert.match(error.message, SAYS[entry.service]);
            assert.equal(error.initFailed, undefined, "nothing was rotated, so no state is recorded");
            assert.deepEqual(emulator.resource(id)!.keys, keys);
            assert.equal(requests.at(-1), refused, "it stops at the first refusal");
            assert.ok(!requests.some((r) => /regenerate/i.test(r.path)), "before any regenerate");
            for (const key of Object.values(keys)) assert.ok(!error.message.includes(key) && !host.stderr.includes(key));
        });
    }

    it("storage with shared key access off: ARM still rotates (the keys are only refused by the data plane)", async () => {
        const id = resourceIds("nolocal").storage;
        emulator.createResource(id, { localAuthDisabled: true });
        const { storage } = await register({ storage: { resourceId: id, trigger: "1" } });
        const { state } = await up(host, keyRotationUrn("nolocal-storage"), storage.inputs);
        assert.equal(state.outputs.activeKey, emulator.resource(id)!.keys.Secondary);
        assert.equal(emulator.authenticate(id, String(state.outputs.activeConnectionString)), undefined);
        assert.equal(
            emulator.armRequests().find((r) => r.operation === regenerateOperation(CATALOG.find((e) => e.service === "storage")!, "Secondary"))?.status,
            200,
        );
    });
});

describe("a target deleted behind the KeyRotation's back", () => {
    for (const entry of CATALOG) {
        it(`${entry.service}: refresh drops the KeyRotation; a new rotation fails with ARM's 404`, async () => {
            const id = resourceIds("deleted")[entry.service];
            emulator.createResource(id);
            const name = `deleted-${entry.service}`;
            const keyType = "pairs" in entry.alternate ? undefined : "Primary";
            const { [name]: reg } = await register({ [name]: { resourceId: id, trigger: "1", keyType } });
            const { state } = await up(host, keyRotationUrn(name), reg.inputs);
            emulator.deleteResource(id);
            assert.equal(await refresh(host, state), undefined);
            await assert.rejects(up(host, keyRotationUrn(name), { ...reg.inputs, trigger: "2" }, state), /HTTP 404 ResourceNotFound/);
        });
    }
});
