/**
 * Guarantee 5 as a property: `check` over generated resource ids, key types, triggers, intervals
 * and api-versions never throws, never calls Azure, and names a property on every refusal.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { CATALOG, normalizeKeyTypeName } from "../../src/catalog";
import type { ArmClient } from "../../src/core/armClient";
import { UNKNOWN } from "../../src/core/values";
import * as provider from "../../src/provider";
import { resourceIds } from "../helpers/emulator";
import { fastCheckAsync } from "../helpers/properties";

const PROPERTIES = ["resourceId", "keyType", "trigger", "apiVersion", "rotateEvery"];
let calls = 0;
const recorder: ArmClient = {
    send: async () => {
        calls++;
        throw new Error("check called Azure");
    },
    waitForCompletion: async () => {
        calls++;
        throw new Error("check called Azure");
    },
};

before(() => provider.useArmClient(recorder));
after(() => provider.useArmClient(undefined));

const samples = Object.values(resourceIds("prop"));
const keyTypeNames = [
    ...new Set(
        CATALOG.flatMap((e) => [
            ...e.keyTypes.flatMap((k) => [k.name, k.wire ?? k.name, ...(k.aliases ?? [])]),
            ...Object.keys("pairs" in e.alternate ? e.alternate.pairs : {}),
        ]),
    ),
];

/** Resource ids: real ones of every service, and every way to get one wrong. */
const resourceId = fc.oneof(
    fc.constantFrom(...samples),
    fc.tuple(fc.constantFrom(...samples), fc.string({ maxLength: 80 })).map(([id, tail]) => id + tail),
    fc
        .tuple(fc.constantFrom(...samples), fc.nat({ max: 200 }), fc.constantFrom("..", ".", "%2e", "", " ", "?", "#", "\\", "a".repeat(300)))
        .map(([id, at, bad]) => {
            const segments = id.split("/");
            segments[Math.min(segments.length - 1, 1 + (at % (segments.length - 1)))] = bad;
            return segments.join("/");
        }),
    fc.string({ maxLength: 200 }),
    fc.constant(UNKNOWN),
    fc.anything(),
);
const keyType = fc.oneof(
    fc.constantFrom(...keyTypeNames),
    fc.constantFrom(...keyTypeNames).map((k) => k.toUpperCase()),
    fc.constantFrom(...keyTypeNames).map((k) => `${k} `),
    fc.string({ maxLength: 20 }),
    fc.constantFrom(undefined, null, UNKNOWN),
    fc.anything(),
);
const trigger = fc.oneof(
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.constantFrom(undefined, null, UNKNOWN, Number.NaN, Number.POSITIVE_INFINITY),
    fc.anything(),
);
const rotateEvery = fc.oneof(
    fc.tuple(fc.integer({ min: -5, max: 100_000 }), fc.constantFrom("h", "d", "H", "D", "w", "m", "")).map(([n, u]) => `${n}${u}`),
    fc.string({ maxLength: 10 }),
    fc.constantFrom(undefined, null, UNKNOWN),
    fc.anything(),
);
const apiVersion = fc.oneof(
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    fc.string({ maxLength: 20 }),
    fc.constantFrom(undefined, null, UNKNOWN, "2024-13-01", "2024-01-01-preview"),
    fc.anything(),
);

describe("check, as a property over generated inputs", () => {
    it("never throws, never calls Azure, and names the property in every refusal", async () => {
        await fastCheckAsync(
            fc.asyncProperty(fc.record({ resourceId, keyType, trigger, rotateEvery, apiVersion }, { requiredKeys: [] }), async (news) => {
                const { inputs, failures } = await provider.check({}, news as Record<string, unknown>);
                for (const f of failures) {
                    assert.ok(PROPERTIES.includes(f.property), `unknown property ${f.property}`);
                    assert.ok(f.reason.startsWith(`${f.property} `), f.reason);
                    assert.ok(f.reason.length < 2_000, "a readable reason");
                }
                // With an unknown resourceId (preview), keyType is checked again once the id is known.
                if (
                    failures.length === 0 &&
                    typeof news.resourceId === "string" &&
                    news.resourceId !== UNKNOWN &&
                    typeof inputs.keyType === "string" &&
                    inputs.keyType !== UNKNOWN
                ) {
                    const canonical = keyTypeNames.map(normalizeKeyTypeName);
                    assert.ok(canonical.includes(normalizeKeyTypeName(inputs.keyType)), `keyType ${inputs.keyType} is a known name`);
                }
                assert.equal(calls, 0);
            }),
            500,
        );
    });

    it("accepts every service's own key type names and reports them in one vocabulary", async () => {
        for (const entry of CATALOG) {
            const id = resourceIds("prop")[entry.service];
            for (const k of entry.keyTypes) {
                for (const written of [k.name, k.wire ?? k.name, ...(k.aliases ?? [])]) {
                    const { inputs, failures } = await provider.check({}, { resourceId: id, keyType: written.toLowerCase() });
                    assert.deepEqual(failures, [], `${entry.service}: ${written}`);
                    assert.equal(inputs.keyType, k.name, `${entry.service}: ${written}`);
                }
            }
        }
        assert.equal(calls, 0);
    });
});
