/**
 * The emulator's resource GETs against Microsoft's official GET examples (test/fixtures/arm-examples,
 * verbatim): every field the emulator answers is one the example has, of the same type, except the
 * few the spec declares and the example leaves out, listed here with that reason.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { readExample, shape } from "../helpers/armExamples";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { arm, armToken } from "../helpers/emulatorCalls";

let emulator: AzureEmulator;
let token: string;
before(async () => {
    emulator = await startEmulator();
    token = await armToken(emulator);
});
after(() => emulator.stop());

interface GetExample {
    service: string;
    file: string;
    /** Fields the spec declares that the example does not show, with their types as `shape` writes them. */
    declaredNotShown: string[];
}

const EXAMPLES: GetExample[] = [
    {
        service: "storage",
        file: "storage/2025-06-01/StorageAccountGetProperties.json",
        declaredNotShown: [
            "properties.publicNetworkAccess:string",
            "properties.minimumTlsVersion:string",
            "properties.allowBlobPublicAccess:boolean",
            "properties.accessTier:string",
        ],
    },
    {
        service: "cosmosdb",
        file: "cosmosdb/2025-04-15/CosmosDBDatabaseAccountGet.json",
        declaredNotShown: ["properties.publicNetworkAccess:string", "properties.disableLocalAuth:boolean"],
    },
    { service: "app-configuration", file: "appconfiguration/2024-06-01/ConfigurationStoresGet.json", declaredNotShown: [] },
    {
        service: "search",
        file: "search/2025-05-01/SearchGetService.json",
        declaredNotShown: ["properties.disableLocalAuth:boolean", "properties.authOptions.apiKeyOnly{}"],
    },
];

/** Whether a path of the emulator's shape is in the example's: a leaf exactly, an empty object or array where the example has one or has fields under it. */
function covered(path: string, example: readonly string[]): boolean {
    if (example.includes(path)) return true;
    const empty = /(\{\}|\[\])$/.exec(path);
    if (!empty) return false;
    const base = path.slice(0, -2);
    return example.some((p) => p.startsWith(`${base}.`) || p.startsWith(`${base}[]`) || p.startsWith(`${base}{}`));
}

describe("resource GETs have the official examples' fields", () => {
    for (const example of EXAMPLES) {
        it(`${example.service}: ${example.file}`, async () => {
            const file = readExample(example.file);
            const expected = shape(file.responses["200"].body);
            const apiVersion = String(file.parameters["api-version"]);
            const id = resourceIds("getexample")[example.service];
            emulator.createResource(id);
            const answer = await arm(emulator, token, "GET", id, apiVersion);
            assert.equal(answer.status, 200, answer.body);
            const extra = shape(answer.json).filter((p) => !covered(p, expected) && !example.declaredNotShown.includes(p));
            assert.deepEqual(extra, [], "fields the example does not have");
            for (const declared of example.declaredNotShown)
                assert.ok(!expected.includes(declared), `${declared} is in the example after all: drop it from the list`);
        });
    }
});
