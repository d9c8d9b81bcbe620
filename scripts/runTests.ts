/**
 * `npm test`: the linter, then one throwaway CA for the whole run, trusted by every test process
 * through NODE_EXTRA_CA_CERTS (Node reads it only at start), then Node's test runner over dist/test.
 * Output is plain when not on a terminal (no colour codes), with a spec reporter that lists the
 * failing tests again at the end.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { createCertificateAuthority } from "../emulator/certificate";
import { parseCommandLine } from "../emulator/commandLine";
import { writeCaBundle } from "./caBundle";

const spec = {
    usage: `Usage: npm test [-- [options] [filter ...]]
       node dist/scripts/runTests.js [options] [filter ...]   (after \`npm run build\`)

Runs the linter (Biome), then the tests in dist/test with Node's test runner. With filters, runs
only the test files whose path contains one of them (e.g. \`unit/\`, \`cli\`), without the linter.

Options:
  --no-lint   skip the linter
  -h, --help  print this help
`,
    config: { options: { "no-lint": { type: "boolean" } }, allowPositionals: true },
} as const;

function testFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return testFiles(path);
        return name.endsWith(".test.js") ? [path] : [];
    });
}

const { values, positionals: filters } = parseCommandLine(spec);
const root = join(__dirname, "..", "..");
const terminal = process.stdout.isTTY === true;

if (filters.length === 0 && !values["no-lint"]) {
    const biome = join(root, "node_modules", "@biomejs", "biome", "bin", "biome");
    const lint = spawnSync(process.execPath, [biome, "ci", ...(terminal ? [] : ["--colors=off"]), "."], { cwd: root, stdio: "inherit" });
    if (lint.status !== 0) {
        console.error("\nnpm test: the linter failed (above); `npm run format` fixes formatting. No test was run.");
        process.exit(lint.status ?? 1);
    }
}

const files = testFiles(join(root, "dist", "test"))
    .map((f) => relative(root, f))
    .filter((f) => filters.length === 0 || filters.some((pattern) => f.includes(pattern)))
    .sort();
if (files.length === 0) {
    console.error(`npm test: no test file matches ${filters.join(", ")}`);
    process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "key-rotation-test-ca-"));
const bundle = writeCaBundle(dir, createCertificateAuthority("pulumi-azure-key-rotation test CA"));
// Node 20 applies --test-timeout to each test file's process: a file that hangs (a loop, a server
// never closed) fails after 15 minutes, named, instead of holding the run until CI's own limit.
// The slowest file takes about 3 minutes on a 2-core machine.
const args = ["--test", "--test-concurrency=2", "--test-timeout=900000", "--test-reporter=spec", "--test-reporter-destination=stdout"];
const result = spawnSync(process.execPath, [...args, ...files], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle, KEY_ROTATION_TEST_CA_DIR: dir },
});
rmSync(dir, { recursive: true, force: true });
if (result.status !== 0) console.error('\nnpm test: some tests failed; they are listed again under "failing tests" above.');
process.exit(result.status ?? 1);
