#!/usr/bin/env node
/**
 * `npm run demo`, `npm run emulator` and `npm test` in a clone: runs a compiled script of dist/,
 * building first only when a source changed, and answering `--help` without building.
 *
 *   node scripts/launch.js dist/scripts/demo.js [args...]
 *
 * The build is `tsc -b`: TypeScript's build mode compares the sources' timestamps with its
 * tsbuildinfo and compiles nothing when none changed (about a second, where a full `tsc -p` takes
 * 20 to 40 s on 2 cores), and only what changed otherwise. `--help` (or `-h`) runs the compiled
 * script as it is, unless there is none yet or the script's own source (where its usage text is) is
 * newer. The script runs in this process, with the arguments it would have had from `node script`:
 * signals, exit codes and output are its own.
 *
 * Plain JavaScript, not compiled: it runs before the build.
 */
const { spawnSync } = require("node:child_process");
const { existsSync, statSync } = require("node:fs");
const { dirname, join, relative, resolve } = require("node:path");

const root = dirname(__dirname);
const [entryArg, ...args] = process.argv.slice(2);
if (!entryArg) {
    process.stderr.write("Usage: node scripts/launch.js dist/<script>.js [args...]\n");
    process.exit(2);
}
const entry = resolve(root, entryArg);
// dist/scripts/demo.js is compiled from scripts/demo.ts.
const source = join(root, relative(join(root, "dist"), entry).replace(/\.js$/, ".ts"));
const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : undefined);

const help = args.includes("--help") || args.includes("-h");
const compiled = mtime(entry);
const fresh = compiled !== undefined && !((mtime(source) ?? 0) > compiled);
if (!(help && fresh)) {
    const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
    const build = spawnSync(process.execPath, [tsc, "-b", join(root, "tsconfig.json")], { cwd: root, stdio: "inherit" });
    if (build.status !== 0) {
        process.stderr.write(`\nThe build (tsc -b) failed${build.signal ? ` (${build.signal})` : ""}: nothing was run.\n`);
        process.exit(build.status ?? 1);
    }
}
process.argv = [process.argv[0], entry, ...args];
require(entry);
