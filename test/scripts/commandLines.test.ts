import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { run } from "../helpers/cli";
import { packageRoot } from "../helpers/host";

// Every command a user runs answers --help with its usage (exit 0) and refuses what it does not
// know with the problem and the usage (exit 2), before doing anything. The emulator's own command
// line has more tests in test/emulator/cli.test.ts; the bench has its own.

const commands: Array<{ name: string; script: string; usage: RegExp }> = [
    {
        name: "the emulator (npm run emulator, the azure-key-rotation-emulator bin)",
        script: "dist/emulator/cli.js",
        usage: /^Usage: azure-key-rotation-emulator/,
    },
    { name: "the demo (npm run demo)", script: "dist/scripts/demo.js", usage: /^Usage: npm run demo/ },
    { name: "the test launcher (npm test)", script: "dist/scripts/runTests.js", usage: /^Usage: npm test/ },
];

for (const command of commands) {
    describe(command.name, () => {
        for (const help of ["--help", "-h"]) {
            it(`${help} prints the usage and exits 0`, () => {
                const { status, stdout, stderr } = run(process.execPath, [join(packageRoot, command.script), help]);
                assert.equal(status, 0, stderr);
                assert.match(stdout, command.usage);
                assert.match(stdout, /--help/);
            });
        }
        it("refuses an unknown flag with the usage, exit 2", () => {
            const { status, stdout, stderr } = run(process.execPath, [join(packageRoot, command.script), "--frobnicate"]);
            assert.equal(status, 2);
            assert.match(stderr, /Unknown option '--frobnicate'/);
            assert.match(stderr.split("\n\n")[1] ?? "", command.usage);
            assert.equal(stdout, "");
        });
    });
}
