import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffInputs } from "../../src/core/diff";
import { checkInputs, UNKNOWN } from "../../src/core/inputs";
import { resourceIds } from "../helpers/emulator";

const signalr = resourceIds().signalr;
const valid = { resourceId: signalr, keyType: "Primary", trigger: "2026-11" };

describe("checkInputs", () => {
    it("accepts valid inputs and normalises the key type's casing", () => {
        const { inputs, failures } = checkInputs({ ...valid, keyType: "sALt" });
        assert.deepEqual(failures, []);
        assert.equal(inputs.keyType, "Salt");
    });

    it("defaults keyType to Alternate where the service has a key pair, and spells Alternate canonically", () => {
        assert.equal(checkInputs({ ...valid, keyType: undefined }).inputs.keyType, "Alternate");
        assert.equal(checkInputs({ ...valid, keyType: "ALTERNATE" }).inputs.keyType, "Alternate");
        assert.equal(checkInputs({ ...valid, resourceId: resourceIds()["apim-subscription"], keyType: null }).inputs.keyType, "Alternate");
    });

    it("accepts no trigger at all (rotate on create, then on schedule)", () => {
        assert.deepEqual(checkInputs({ ...valid, trigger: undefined, rotateEvery: "30d" }).failures, []);
    });

    it("accepts intervals in hours and days", () => {
        for (const rotateEvery of ["12h", "30d", "1h", "3650d", " 7D "]) assert.deepEqual(checkInputs({ ...valid, rotateEvery }).failures, [], rotateEvery);
    });

    it("accepts numeric triggers", () => {
        assert.deepEqual(checkInputs({ ...valid, trigger: 7 }).failures, []);
    });

    const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
        ["a key type the service lacks", { ...valid, resourceId: resourceIds().communication, keyType: "Salt" }, "keyType", /Primary, Secondary/],
        [
            "a missing key type on a Logic Apps workflow",
            { ...valid, resourceId: resourceIds()["logic-apps-standard"], keyType: undefined },
            "keyType",
            /required for a Logic Apps Standard workflow.*callback URL/,
        ],
        [
            "Alternate on a Logic Apps workflow",
            { ...valid, resourceId: resourceIds()["logic-apps-standard"], keyType: "alternate" },
            "keyType",
            /Alternate is not possible: .*primary access key/,
        ],
        ["an empty key type", { ...valid, keyType: " " }, "keyType", /one of Alternate, Primary, Secondary, Salt/],
        ["an empty trigger", { ...valid, trigger: " " }, "trigger", /non-empty/],
        ["a non-finite trigger", { ...valid, trigger: Number.NaN }, "trigger", /finite/],
        ["a rotateEvery in months", { ...valid, rotateEvery: "1mo" }, "rotateEvery", /"1mo" is not an interval.*"12h" or "30d"/],
        ["a rotateEvery of zero hours", { ...valid, rotateEvery: "0h" }, "rotateEvery", /"0h" is out of range: the interval must be from 1h to 3650d/],
        ["a rotateEvery that is a number", { ...valid, rotateEvery: 30 }, "rotateEvery", /not an interval/],
        ["a malformed apiVersion", { ...valid, apiVersion: "2023-13-01" }, "apiVersion", /YYYY-MM-DD/],
        [
            "verify on a Logic Apps workflow, which has no read-only probe",
            { ...valid, resourceId: resourceIds()["logic-apps-standard"], keyType: "Primary", verify: true },
            "verify",
            /cannot be true for a Logic Apps Standard workflow: calling a callback URL runs the workflow/,
        ],
        ["verify that is not a boolean", { ...valid, verify: "yes" }, "verify", /must be true or false/],
        ["a verifyTimeout in hours", { ...valid, verifyTimeout: "1h" }, "verifyTimeout", /not a duration from 10s to 60m/],
        ["a verifyTimeout too short", { ...valid, verifyTimeout: "5s" }, "verifyTimeout", /"5s" is not a duration from 10s to 60m/],
        ["an apiVersion that is not a date", { ...valid, apiVersion: "latest" }, "apiVersion", /not an ARM api-version/],
        [
            "an unsupported resource type",
            { ...valid, resourceId: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/r/providers/Microsoft.KeyVault/vaults/kv" },
            "resourceId",
            /not supported/,
        ],
        ["a missing resourceId", { ...valid, resourceId: undefined }, "resourceId", /required/],
    ];
    for (const [what, news, property, reason] of cases) {
        it(`fails on ${what}, naming ${property}`, () => {
            const { failures } = checkInputs(news);
            assert.equal(failures.length, 1, JSON.stringify(failures));
            assert.equal(failures[0].property, property);
            assert.match(failures[0].reason, reason);
            assert.ok(failures[0].reason.startsWith(property));
        });
    }

    it("lets unknown preview values through", () => {
        assert.deepEqual(checkInputs({ resourceId: UNKNOWN, keyType: UNKNOWN, trigger: UNKNOWN, apiVersion: UNKNOWN }).failures, []);
    });

    it("accepts preview api-versions", () => {
        assert.deepEqual(checkInputs({ ...valid, apiVersion: "2024-10-01-preview" }).failures, []);
    });
});

describe("diffInputs", () => {
    const olds = { ...valid, primaryKey: "k", rotatedAt: "t" };

    it("reports no change for the same inputs", () => {
        assert.deepEqual(diffInputs(olds, valid), { changes: false, replaces: [], rotates: false, resumes: false, changed: [] });
    });

    it("treats 7 and '7' as the same trigger", () => {
        assert.equal(diffInputs({ ...olds, trigger: 7 }, { ...valid, trigger: "7" }).changes, false);
    });

    it("rotates in place on a new trigger", () => {
        const d = diffInputs(olds, { ...valid, trigger: "2026-12" });
        assert.deepEqual([d.changes, d.rotates, d.replaces], [true, true, []]);
    });

    it("replaces on a new resourceId, but not on a change of case", () => {
        assert.deepEqual(diffInputs(olds, { ...valid, resourceId: resourceIds("other").signalr }).replaces, ["resourceId"]);
        assert.equal(diffInputs(olds, { ...valid, resourceId: signalr.toUpperCase() }).changes, false);
    });

    it("updates without rotating on keyType or apiVersion alone", () => {
        for (const news of [
            { ...valid, keyType: "Secondary" },
            { ...valid, apiVersion: "2024-03-01" },
        ]) {
            const d = diffInputs(olds, news);
            assert.deepEqual([d.changes, d.rotates, d.replaces], [true, false, []]);
        }
    });

    it("treats an unknown trigger as a rotation and an unknown resourceId as a replacement", () => {
        assert.equal(diffInputs(olds, { ...valid, trigger: UNKNOWN }).rotates, true);
        assert.deepEqual(diffInputs(olds, { ...valid, resourceId: UNKNOWN }).replaces, ["resourceId"]);
    });
});
