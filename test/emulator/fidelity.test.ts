import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { HANDLERS } from "../../emulator/handlers";
import { CATALOG, regeneratePath } from "../../src/catalog";
import type { ArmClient } from "../../src/core/armClient";
import { operationsPath, parseResourceId } from "../../src/core/resourceId";
import { clientFor } from "../helpers/armClient";
import { CALLBACK_EXAMPLES, type ExampleFile, OFFICIAL_EXAMPLES, readExample, shape } from "../helpers/armExamples";
import { resourceIds, startEmulator } from "../helpers/emulator";

// The emulator answers each key operation as Microsoft's official example does: the same request
// (the example's own body, at its api-version), the same status, the same field structure, and on
// a 202 the example's monitor headers. Where it differs on purpose, the table says why.

let sync: AzureEmulator;
let async: AzureEmulator;
const ids = resourceIds("fidelity");

before(async () => {
    // Long-running services answer 200 at once on one, 202 on the other.
    sync = await startEmulator({ lro: { pollsUntilDone: 0 } });
    async = await startEmulator();
});
after(async () => {
    await sync.stop();
    await async.stop();
});

/** The example's request body: its one parameter that is an object (keyType, keyName, policyKey, id, …). */
function requestBody(example: ExampleFile): unknown {
    return Object.values(example.parameters).find((v) => v !== null && typeof v === "object");
}

async function call(emulator: AzureEmulator, service: string, suffix: string, apiVersion: string, body: unknown, keyIdFromExample?: string) {
    const entry = CATALOG.find((e) => e.service === service)!;
    const handler = HANDLERS.get(service)!;
    const id = ids[service];
    const resource = emulator.resource(id) ?? emulator.createResource(id);
    // App Configuration names the key by id: give the emulated key the example's id.
    if (keyIdFromExample) resource.keyIds.Primary = keyIdFromExample;
    const parsed = parseResourceId(id);
    if (!parsed.ok) throw new Error(parsed.reason);
    const version = handler.apiVersions.includes(apiVersion) ? apiVersion : entry.defaultApiVersion;
    const { client } = clientFor(emulator);
    return (client as ArmClient).send({
        method: "POST",
        path: operationsPath(parsed.target) + suffix,
        apiVersion: version,
        body,
        expect: [200, 202, 204],
        operation: "fidelity",
        resourceId: id,
    });
}

describe("the emulator answers as the official examples", () => {
    for (const example of OFFICIAL_EXAMPLES) {
        const name = `${example.service}: ${example.file} (${example.status})`;
        if (example.emulatorDiffers) {
            it(`${name} differs on purpose: ${example.emulatorDiffers}`, () => assert.ok(example.emulatorDiffers));
            continue;
        }
        it(name, async () => {
            const entry = CATALOG.find((e) => e.service === example.service)!;
            const file = readExample(example.file);
            const expected = file.responses[String(example.status)];
            const apiVersion = String(file.parameters["api-version"]);
            const body = example.operation === "regenerate" ? requestBody(file) : undefined;
            const keyId = example.operation === "regenerate" && entry.regenerate.body?.value === "keyId" ? String((body as { id: string }).id) : undefined;
            const suffix =
                example.operation === "listKeys"
                    ? entry.readKeys.kind === "listKeys"
                        ? entry.readKeys.path
                        : ""
                    : regeneratePath(entry, String(file.parameters.keyKind ?? "").toLowerCase() === "secondary" ? "Secondary" : "Primary");
            const response = await call(example.status === 202 ? async : sync, example.service, suffix, apiVersion, body, keyId);
            assert.equal(response.status, example.status);
            const answered = response.body === "" || response.body === undefined ? undefined : response.body;
            assert.deepEqual(shape(answered), shape(expected?.body), "the answer's fields");
            for (const header of Object.keys(expected?.headers ?? {})) {
                assert.ok(response.headers[header.toLowerCase()], `the ${header} header`);
            }
        });
    }

    for (const example of CALLBACK_EXAMPLES) {
        it(`${example.service}: ${example.file} (200)`, async () => {
            const entry = CATALOG.find((e) => e.service === example.service)!;
            const file = readExample(example.file);
            const path = entry.readKeys.kind === "workflowCallbackUrl" ? entry.readKeys.path : "";
            const response = await call(sync, example.service, path, String(file.parameters["api-version"]), requestBody(file));
            assert.equal(response.status, 200);
            assert.deepEqual(shape(response.body), shape(file.responses["200"].body));
        });
    }

    it("each of the 17 services added with issue 12 has its answers compared", () => {
        const compared = new Set([...OFFICIAL_EXAMPLES.filter((e) => !e.emulatorDiffers), ...CALLBACK_EXAMPLES].map((e) => e.service));
        for (const entry of CATALOG.slice(5)) assert.ok(compared.has(entry.service), entry.service);
    });
});
