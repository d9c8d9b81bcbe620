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
import { pipeline } from "node:stream/promises";
import { run } from "node:test";
import { spec as SpecReporter } from "node:test/reporters";
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
 * The files that take longest (20 s to over a minute on 2 cores), slowest first. They start first,
 * side by side, and the short files fill the other slots around them; started last, any of them
 * would end the run long after everything else. Some mostly compute (the bench, the walkthrough's
 * installs and type checks), some mostly wait (dataPlaneAccess and keyVault wait out the provider's
 * pauses between probes): the waiting ones leave the cores to the others.
 */
const SLOWEST_FIRST = [
    "dist/test/bench/benchmark.test.js",
    "dist/test/readme/walkthrough.test.js",
    "dist/test/provider-host/dataPlaneAccess.test.js",
    "dist/test/provider-host/package.test.js",
    "dist/test/provider-host/keyVault.test.js",
    "dist/test/provider-host/failures.test.js",
    "dist/test/provider-host/zeroDowntime.test.js",
    "dist/test/provider-host/configuration.test.js",
    "dist/test/provider-host/propagation.test.js",
    "dist/test/scripts/demo.test.js",
];

/** Files that install the packed package: the run packs it once and names it in KEY_ROTATION_TEST_TARBALL. */
const INSTALL_THE_TARBALL = ["dist/test/provider-host/package.test.js", "dist/test/readme/walkthrough.test.js"];

/**
 * Test files run at once: two a core. Several slow files mostly wait (on npm, on child processes,
 * on the pauses the provider makes between probes), so one a core would leave the cores idle.
 */
const CONCURRENCY = 2 * availableParallelism();

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
// Every test file's process inherits these (Node reads NODE_EXTRA_CA_CERTS only at start).
Object.assign(process.env, { NODE_EXTRA_CA_CERTS: bundle, KEY_ROTATION_TEST_CA_DIR: dir, ...(tarball ? { KEY_ROTATION_TEST_TARBALL: tarball } : {}) });
process.chdir(root);
// Node's test runner through its API: `node --test` would sort the files by name, and run the
// slowest ones last. Each file runs in a process of its own, as with `node --test`. The timeout
// applies to each file: one that hangs (a loop, a server never closed) fails after 15 minutes,
// named, instead of holding the run until CI's own limit. The slowest file takes about a minute
// on a 2-core machine.
const tests = run({ files: files.map((f) => join(root, f)), concurrency: CONCURRENCY, timeout: 900_000 });
tests.on("test:fail", () => {
    process.exitCode = 1;
});
tests.once("end", () => rmSync(dir, { recursive: true, force: true }));
// Ctrl-C reaches the test files' processes too (same process group): remove the CA and the tarball.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
        rmSync(dir, { recursive: true, force: true });
        process.exit(130);
    });
}
pipeline(tests, new SpecReporter(), process.stdout)
    .then(() => {
        if (process.exitCode) console.error('\nnpm test: some tests failed; they are listed again under "failing tests" above.');
    })
    .catch((error: unknown) => {
        rmSync(dir, { recursive: true, force: true });
        console.error(`npm test: the test runner failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        process.exitCode = 1;
    });

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
