import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { CATALOG, type KeySetOutputName, type ServiceEntry } from "../../src/catalog";
import { InvalidKeySetError, keySetFromAnswer } from "../../src/core/keySet";
import { select } from "../../src/core/select";
import { at, type JsonPath, OFFICIAL_EXAMPLES, type OfficialExample, readExample, setAt } from "../helpers/armExamples";

// The independent check of the catalog against Microsoft's own examples: each example's answer is
// fed to the catalog's selectors, which must find exactly the values the example holds where the
// test's table (written from the example, not from the catalog) says they are. The examples mask
// their keys ("<value>", "####…", "AAAA=="), often with the same mask for both keys, so each key is
// first replaced by a distinct realistic one, and each connection string gets its own key in place
// of the mask.

const entryOf = (service: string): ServiceEntry => CATALOG.find((e) => e.service === service)!;

/** The example's answer with distinct keys planted where the table says the values are, and those values. */
function planted(example: OfficialExample): { body: unknown; expected: Partial<Record<KeySetOutputName, string>> } {
    const body = structuredClone(readExample(example.file).responses[String(example.status)]?.body);
    const expected: Partial<Record<KeySetOutputName, string>> = {};
    const values = Object.entries(example.values ?? {}) as Array<[KeySetOutputName, JsonPath]>;
    const originals = new Map(values.map(([output, path]) => [output, String(at(body, path))]));
    for (const [output, path] of values) {
        if (!output.endsWith("Key")) continue;
        const key = createHash("sha256").update(`${example.file}#${output}`).digest("base64");
        setAt(body, path, key);
        expected[output] = key;
    }
    for (const [output, path] of values) {
        if (output.endsWith("Key")) continue;
        const keyOutput = output.replace(/(Alias)?ConnectionString$/, "Key") as KeySetOutputName;
        const original = originals.get(output)!;
        const mask = originals.get(keyOutput);
        const key = expected[keyOutput];
        let value = original;
        if (output.endsWith("ConnectionString") && key && mask) {
            // App Configuration's example masks its connection strings apart from its keys: the key is appended.
            value = original.includes(mask) ? original.split(mask).join(key) : `${original};Secret=${key}`;
        }
        setAt(body, path, value);
        expected[output] = value;
    }
    return { body, expected };
}

describe("the catalog reads Microsoft's official examples", () => {
    for (const example of OFFICIAL_EXAMPLES) {
        const entry = entryOf(example.service);
        it(`${example.service}: ${example.file} (${example.status}${example.keyType ? `, ${example.keyType}` : ""})`, () => {
            assert.ok(entry, `${example.service} is in the catalog`);
            const { body, expected } = planted(example);
            if (!example.values) {
                // The example's answer holds no key: a regenerate the catalog must not read keys from, or an empty example.
                assert.ok(body === undefined || (typeof body === "object" && body !== null && Object.keys(body).length === 0), "the example holds no key");
                if (example.operation === "regenerate" && entry.regenerate.answer !== "nothing") {
                    // What the catalog expects to hold keys is refused when it does not: the keys are read back instead.
                    assert.throws(() => keySetFromAnswer(entry, body ?? ""), InvalidKeySetError);
                }
                return;
            }
            if (example.operation === "regenerate") {
                assert.notEqual(entry.regenerate.answer, "nothing", "the example's answer holds keys: the catalog should take them from it");
            }
            if (example.partial) {
                assert.equal(entry.readKeys.kind, "listKeys");
                const selectors = entry.readKeys.kind === "listKeys" ? { ...entry.readKeys.fields, ...entry.readKeys.optionalFields } : {};
                for (const [output, value] of Object.entries(expected)) {
                    const selector = selectors[output as KeySetOutputName];
                    assert.ok(selector, `the catalog reads ${output}`);
                    assert.equal(select(body, selector), value, output);
                }
                return;
            }
            const answer =
                example.operation === "regenerate" && entry.regenerate.answer === "regeneratedKey"
                    ? keySetFromAnswer(entry, entry.regenerate.answerItem ? { [entry.regenerate.answerItem]: [body] } : body, example.keyType)
                    : keySetFromAnswer(entry, body);
            assert.deepEqual(answer, expected);
            if (example.keyIds && entry.readKeys.kind === "listKeys") {
                for (const [keyType, path] of Object.entries(example.keyIds)) {
                    assert.equal(select(body, entry.readKeys.keyIds?.[keyType] ?? ""), at(body, path), `${keyType}'s id`);
                }
            }
        });
    }

    it("every service with keys in its answers is checked against an example holding them", () => {
        const checked = new Set(OFFICIAL_EXAMPLES.filter((e) => e.values && !e.partial).map((e) => e.service));
        // SignalR's and Web PubSub's examples answer {}; Logic Apps answers callback URLs, not keys.
        const withoutKeyExamples = new Set(["signalr", "web-pubsub", "logic-apps-standard", "logic-apps-consumption", "communication"]);
        for (const entry of CATALOG) if (!withoutKeyExamples.has(entry.service)) assert.ok(checked.has(entry.service), entry.service);
        // A regenerate answer the catalog uses is checked wherever an example of it exists.
        for (const entry of CATALOG.filter((e) => e.regenerate.answer !== "nothing" && !withoutKeyExamples.has(e.service))) {
            assert.ok(
                OFFICIAL_EXAMPLES.some((e) => e.service === entry.service && e.operation === "regenerate" && e.values),
                `${entry.service}: regenerate answer`,
            );
        }
    });
});
