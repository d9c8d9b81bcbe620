import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { documentedTypeScript } from "../helpers/readme";
import { PULUMI_TEMPLATE_OPTIONS, type ScratchProject, scratchProject, typeCheck } from "../helpers/typecheck";

// Every TypeScript block of the README, and every one of docs/ that is a whole module, compiles as a
// user's program would: each block a file of a scratch project whose node_modules resolve `pulumi-azure-key-rotation` to this checkout
// and `@pulumi/*` to this repository's, with Pulumi's template tsconfig. An error names its
// document and line. (test/readme/walkthrough.test.ts checks them again against the installed tarball.)

let project: ScratchProject;
before(() => {
    project = scratchProject();
});
after(() => project.remove());

it("every TypeScript block of the README and docs/ (whole modules) type-checks", () => {
    const blocks = documentedTypeScript();
    assert.ok(blocks.length >= 3, "the first program, the rehearsal program and the emulator's API at least");
    const files = Object.fromEntries(blocks.map((b) => [b.file, /^\s*(import|export)\s/m.test(b.code) ? b.code : `${b.code}\nexport {};\n`]));
    // Declarations are not checked here (azure-native's take a minute); the walkthrough checks them,
    // from the installed tarball.
    const errors = typeCheck(project, files, { ...PULUMI_TEMPLATE_OPTIONS, skipLibCheck: true }).map((e) => {
        const block = blocks.find((b) => b.file === e.file);
        return block ? `${block.document}:${block.line + e.line - 1}: ${e.message}` : `${e.file}:${e.line}: ${e.message}`;
    });
    assert.deepEqual(errors, []);
});
