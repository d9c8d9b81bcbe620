/**
 * The package's verification probes (src/probe, written from the contract) against the emulator's
 * real-protocol data planes (emulator/dataPlane, written independently from the research): every
 * catalog service with a probe is accepted with each current key, in every cloud whose host names
 * the service has, refused with a revoked key, and refused while a new key propagates, then
 * accepted. A wrong signer on either side fails here.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { CATALOG, CLOUD_SUFFIXES, type CloudName, type ProbeSpec } from "../../src/catalog";
import { credentialOf } from "../../src/core/lifecycle";
import { parseResourceId } from "../../src/core/resourceId";
import { readKeys } from "../../src/core/rotate";
import { probeKey, verifyKey } from "../../src/probe/probe";
import { clientFor, contextFor } from "../helpers/armClient";
import { resourceIds, startEmulator } from "../helpers/emulator";

let emulator: AzureEmulator;
let client: ReturnType<typeof clientFor>["client"];
const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };

before(async () => {
    emulator = await startEmulator();
    ({ client } = clientFor(emulator));
    // The probes go through the proxy (HTTPS_PROXY, read at each probe); the ARM client goes direct to the emulator.
    process.env.HTTPS_PROXY = await emulator.startProxy();
    delete process.env.NO_PROXY;
});
after(async () => {
    for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    await emulator.stop();
});

const probed = CATALOG.filter((e) => !("refused" in e.verify));

/** The key set ARM answers now, and the credential a probe of `keyType` signs with. */
async function credential(id: string, keyType: string) {
    const parsed = parseResourceId(id);
    if (!parsed.ok) throw new Error(parsed.reason);
    const keys = await readKeys(contextFor(client, id));
    const c = credentialOf(parsed.target.entry, keys, keyType);
    if (!c.key) throw new Error(`no ${keyType} key read back`);
    return { target: parsed.target, credential: { ...c, key: c.key } };
}

/**
 * Clouds the service is offered in (the research notes: Azure Maps is not offered in Azure China,
 * so the emulator has no host there, whatever suffix the catalog lists) whose suffixes the probe's
 * templates use all exist.
 */
const NOT_OFFERED: Readonly<Record<string, readonly CloudName[]>> = { maps: ["china"] };
function cloudsOf(service: string, spec: ProbeSpec): CloudName[] {
    const used = JSON.stringify(spec).match(/\{cloud:([a-zA-Z]+)\}/g) ?? [];
    return (Object.keys(CLOUD_SUFFIXES) as CloudName[]).filter(
        (cloud) => !NOT_OFFERED[service]?.includes(cloud) && used.every((u) => (CLOUD_SUFFIXES[cloud] as Record<string, string>)[u.slice(7, -1)] !== undefined),
    );
}

describe("the package's probes against the emulator's data planes", () => {
    it("covers every service that has a probe", () => {
        assert.ok(probed.length >= 20, `${probed.length} services with a probe`);
    });

    for (const entry of probed) {
        const spec = entry.verify as ProbeSpec;
        it(`${entry.service}: each current key is accepted (every cloud), a revoked one refused`, async () => {
            const id = resourceIds("probe")[entry.service];
            emulator.createResource(id);
            const consumers = entry.keyTypes.filter((k) => k.consumer).map((k) => k.name);
            for (const keyType of consumers) {
                const { target, credential: c } = await credential(id, keyType);
                for (const cloud of keyType === consumers[0] ? cloudsOf(entry.service, spec) : (["public"] as CloudName[])) {
                    const outcome = await probeKey(spec, target, cloud, c, 10_000);
                    assert.ok(outcome.accepted, `${keyType} in ${cloud}: ${outcome.answer}`);
                }
            }
            const before = await credential(id, consumers[0]);
            emulator.regenerate(id, consumers[0]);
            const refused = await probeKey(spec, before.target, "public", before.credential, 10_000);
            assert.ok(!refused.accepted && !refused.unreachable, `the revoked key: ${refused.answer}`);
            const after = await credential(id, consumers[0]);
            assert.ok((await probeKey(spec, after.target, "public", after.credential, 10_000)).accepted, "the new key");
        });
    }

    it("a key still propagating is refused like a wrong key, then accepted: verifyKey retries until it is", async () => {
        const id = resourceIds("probe-propagation").storage;
        const entry = CATALOG.find((e) => e.service === "storage")!;
        emulator.createResource(id, { keyPropagationMs: 1500 });
        emulator.regenerate(id, "Primary");
        const { target, credential: c } = await credential(id, "Primary");
        const spec = entry.verify as ProbeSpec;
        const first = await probeKey(spec, target, "public", c, 10_000);
        assert.ok(!first.accepted && /^HTTP 403/.test(first.answer), first.answer);
        const result = await verifyKey(spec, target, "public", c, { deadlineMs: 20_000 });
        assert.ok(result.accepted, result.answer);
        assert.ok(result.attempts >= 2, `${result.attempts} probes`);
    });
});
