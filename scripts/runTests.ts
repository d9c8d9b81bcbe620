/**
 * `npm test`: the linter, then one throwaway CA for the whole run, trusted by every test process
 * through NODE_EXTRA_CA_CERTS (Node reads it only at start), the package packed once for the files
 * that install it, then Node's test runner over dist/test, the slowest files first. Output is plain
 * when not on a terminal (no colour codes), with a spec reporter that lists the failing tests again
 * at the end.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
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

/**
 * The files that take longest (a minute or more on 2 cores), slowest first. They start first, side
 * by side, and the short files fill the other slots around them; started last, any of them would
 * end the run a minute or more after everything else.
 */
const SLOWEST_FIRST = [
    "dist/test/bench/benchmark.test.js",
    "dist/test/readme/walkthrough.test.js",
    "dist/test/provider-host/package.test.js",
    "dist/test/provider-host/propagation.test.js",
    "dist/test/provider-host/zeroDowntime.test.js",
    "dist/test/provider-host/configuration.test.js",
    "dist/test/provider-host/failures.test.js",
];

/** Files that install the packed package: the run packs it once and names it in KEY_ROTATION_TEST_TARBALL. */
const INSTALL_THE_TARBALL = ["dist/test/provider-host/package.test.js", "dist/test/readme/walkthrough.test.js"];

/**
 * Test files run at once. Most of the slow files wait (on npm, on child processes, on delays the
 * emulator models) more than they compute, so one more than the cores keeps the cores busy.
 */
const CONCURRENCY = availableParallelism() + 1;

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
    .map((f) => relative(root, f).split(sep).join("/"))
    .filter((f) => filters.length === 0 || filters.some((pattern) => f.includes(pattern)))
    .sort(slowestFirst);
if (files.length === 0) {
    console.error(`npm test: no test file matches ${filters.join(", ")}`);
    process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "key-rotation-test-ca-"));
const bundle = writeCaBundle(dir, createCertificateAuthority("pulumi-azure-key-rotation test CA"));
const tarball = files.some((f) => INSTALL_THE_TARBALL.includes(f)) ? pack(join(dir, "package")) : undefined;
// Node 20 applies --test-timeout to each test file's process: a file that hangs (a loop, a server
// never closed) fails after 15 minutes, named, instead of holding the run until CI's own limit.
// The slowest file takes about 3 minutes on a 2-core machine.
const args = ["--test", `--test-concurrency=${CONCURRENCY}`, "--test-timeout=900000", "--test-reporter=spec", "--test-reporter-destination=stdout"];
const result = spawnSync(process.execPath, [...args, ...files], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle, KEY_ROTATION_TEST_CA_DIR: dir, ...(tarball ? { KEY_ROTATION_TEST_TARBALL: tarball } : {}) },
});
rmSync(dir, { recursive: true, force: true });
if (result.status !== 0) console.error('\nnpm test: some tests failed; they are listed again under "failing tests" above.');
process.exit(result.status ?? 1);

/** Known slow files first, in SLOWEST_FIRST's order; the others by path. */
function slowestFirst(a: string, b: string): number {
    const rank = (f: string) => {
        const i = SLOWEST_FIRST.indexOf(f);
        return i === -1 ? SLOWEST_FIRST.length : i;
    };
    return rank(a) - rank(b) || a.localeCompare(b);
}

/**
 * `npm pack` of this checkout into `destination`, once for the whole run; returns the tarball's path.
 * Without its prepack script: `npm test` has just built dist/, which the tarball holds.
 */
function pack(destination: string): string {
    mkdirSync(destination);
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const packed = spawnSync(npm, ["pack", "--ignore-scripts", "--silent", "--pack-destination", destination], {
        cwd: root,
        encoding: "utf8",
        shell: process.platform === "win32",
    });
    const name = readdirSync(destination).find((f) => f.endsWith(".tgz"));
    if (packed.status !== 0 || !name) {
        console.error(`npm test: npm pack failed; no test was run.\n${packed.stderr ?? ""}`);
        rmSync(dir, { recursive: true, force: true });
        process.exit(1);
    }
    return join(destination, name);
}
