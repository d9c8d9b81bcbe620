import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { alternatePairs, CATALOG } from "../../src/catalog";
import { KEY_TYPE_NAMES } from "../../src/keyTypes";
import { PULUMI_TEMPLATE_OPTIONS, type ScratchProject, scratchProject, typeCheck } from "../helpers/typecheck";

// keyType and rotateEvery are typed so that editors complete them and tsc refuses typos; the
// provider still checks values at preview (they can come from config). Checked as a user's program
// would be compiled: the package by name, Pulumi's template tsconfig.

let project: ScratchProject;
before(() => {
    project = scratchProject();
});
after(() => project.remove());

const header = `import * as pulumi from "@pulumi/pulumi";
import { KeyRotation, type KeyTypeName, type RotationInterval } from "pulumi-azure-key-rotation";
const resourceId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.SignalRService/signalR/hub";
const config = new pulumi.Config();
`;

const refused: Array<[string, string, RegExp]> = [
    ["a misspelt key type", `new KeyRotation("k", { resourceId, keyType: "Alternat" });`, /"Alternat"' is not assignable/],
    ["a key type in another case (run-time values may be; literals are not)", `new KeyRotation("k", { resourceId, keyType: "ALTERNATE" });`, /"ALTERNATE"/],
    ["an interval in months", `new KeyRotation("k", { resourceId, rotateEvery: "1 month" });`, /"1 month"' is not assignable/],
    ["an interval without a unit", `new KeyRotation("k", { resourceId, rotateEvery: "30" });`, /"30"' is not assignable/],
    ["an interval in minutes", `new KeyRotation("k", { resourceId, rotateEvery: "90m" });`, /"90m"' is not assignable/],
    ["a config value without a cast", `new KeyRotation("k", { resourceId, keyType: config.require("keyType") });`, /Type 'string' is not assignable/],
];

describe("the types of KeyRotationArgs", () => {
    // One program for every case: loading Pulumi's types is most of the time.
    let errors: ReturnType<typeof typeCheck>;
    before(() => {
        const files: Record<string, string> = {
            "valid.ts": `${header}
${KEY_TYPE_NAMES.map((k, i) => `new KeyRotation("k${i}", { resourceId, keyType: "${k}" });`).join("\n")}
new KeyRotation("hours", { resourceId, rotateEvery: "12h" });
new KeyRotation("days", { resourceId, rotateEvery: "30d", trigger: 1 });
new KeyRotation("config", { resourceId, keyType: config.require("keyType") as KeyTypeName, rotateEvery: config.get("rotateEvery") as RotationInterval | undefined });
const other = new KeyRotation("from-output", { resourceId, keyType: pulumi.output<KeyTypeName>("Primary") });
new KeyRotation("follows", { resourceId, keyType: other.keyType.apply((k) => k as KeyTypeName) });
export {};
`,
        };
        refused.forEach(([, line], i) => {
            files[`refused-${i}.ts`] = `${header}${line}\nexport {};\n`;
        });
        errors = typeCheck(project, files, { ...PULUMI_TEMPLATE_OPTIONS, skipLibCheck: true });
    });

    it("accept every key type and interval a user writes, values from config with a cast, and outputs", () => {
        assert.deepEqual(
            errors.filter((e) => e.file === "valid.ts"),
            [],
        );
    });

    refused.forEach(([name, , message], i) => {
        it(`refuse ${name}`, () => {
            const found = errors.filter((e) => e.file === `refused-${i}.ts`);
            assert.equal(found.length, 1, JSON.stringify(found));
            assert.equal(found[0].line, header.split("\n").length, "the error is on the line with the typo");
            assert.match(found[0].message, message);
        });
    });
});

describe("the declared key type names", () => {
    it("are exactly the names the catalog accepts: Alternate pairs, key type names, wire names and aliases", () => {
        const catalog = new Set<string>();
        for (const entry of CATALOG) {
            for (const pair of Object.keys(alternatePairs(entry))) catalog.add(pair);
            for (const k of entry.keyTypes) for (const name of [k.name, k.wire ?? k.name, ...(k.aliases ?? [])]) catalog.add(name);
        }
        const declared = new Set<string>(KEY_TYPE_NAMES);
        const undeclared = [...catalog].filter((n) => !declared.has(n));
        const stale = [...declared].filter((n) => !catalog.has(n));
        assert.deepEqual(
            { undeclared, stale },
            { undeclared: [], stale: [] },
            "KEY_TYPE_NAMES in src/keyTypes.ts must list what the catalog accepts: add the undeclared names, remove the stale ones",
        );
    });
});
