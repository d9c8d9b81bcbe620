import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { run } from "../helpers/cli";
import { packageRoot } from "../helpers/host";

// `npm run demo`, `npm run emulator` and `npm test` go through scripts/launch.js: it builds only when
// a source changed (TypeScript's build mode), answers --help from the last build without building,
// and then runs the script as `node script` would. Shown on a small project of two files, with the
// launcher and the TypeScript of this checkout.

const project = mkdtempSync(join(tmpdir(), "key-rotation-launch-"));
const launch = (...args: string[]) => run(process.execPath, [join(project, "scripts", "launch.js"), "dist/src/hello.js", ...args], { cwd: project });
const compiled = (file: string) => readFileSync(join(project, "dist", "src", file), "utf8");
const buildInfo = () => statSync(join(project, "dist", "tsconfig.tsbuildinfo")).mtimeMs;

/** The script (no @types/node, so that it compiles in a moment): prints its usage for --help, else what it ran with; `exit N` exits with N. */
const hello = (usage: string) => `import { word } from "./other";
declare const process: { argv: string[]; exitCode?: number; exit(code: number): never };
declare const console: { log(line: string): void };
if (process.argv.includes("--help") || process.argv.includes("-h")) {
    console.log("Usage: hello (${usage})");
    process.exit(0);
}
const exit = process.argv.indexOf("exit");
if (exit > 0) process.exitCode = Number(process.argv[exit + 1]);
console.log(\`ran \${word} with \${process.argv.slice(2).join(" ")}\`);
`;

before(() => {
    mkdirSync(join(project, "scripts"));
    mkdirSync(join(project, "src"));
    mkdirSync(join(project, "node_modules"));
    copyFileSync(join(packageRoot, "scripts", "launch.js"), join(project, "scripts", "launch.js"));
    symlinkSync(join(packageRoot, "node_modules", "typescript"), join(project, "node_modules", "typescript"));
    writeFileSync(
        join(project, "tsconfig.json"),
        JSON.stringify({
            compilerOptions: {
                target: "ES2022",
                module: "commonjs",
                strict: true,
                incremental: true,
                rootDir: ".",
                outDir: "dist",
                types: [],
                lib: ["ES2022"],
            },
            include: ["src"],
        }),
    );
    writeFileSync(join(project, "src", "hello.ts"), hello("v1"));
    writeFileSync(join(project, "src", "other.ts"), `export const word = "one";\n`);
});
after(() => rmSync(project, { recursive: true, force: true }));

describe("scripts/launch.js", { concurrency: false }, () => {
    it("with nothing built yet, builds first, even for --help", () => {
        const { status, stdout, stderr } = launch("--help");
        assert.equal(status, 0, stderr);
        assert.equal(stdout, "Usage: hello (v1)\n");
        assert.match(compiled("other.js"), /"one"/);
    });

    it("with nothing changed, compiles nothing and runs the script with its arguments and its exit code", () => {
        const built = buildInfo();
        const { status, stdout, stderr } = launch("a", "b", "exit", "3");
        assert.equal(status, 3, stderr);
        assert.equal(stdout, "ran one with a b exit 3\n");
        assert.equal(buildInfo(), built, "the build left its record as it was: nothing was compiled");
    });

    it("after a source changed, --help answers from the last build without compiling; a run compiles first", () => {
        writeFileSync(join(project, "src", "other.ts"), `export const word = "two";\n`);
        const built = buildInfo();
        const help = launch("-h");
        assert.equal(help.status, 0, help.stderr);
        assert.equal(help.stdout, "Usage: hello (v1)\n");
        assert.match(compiled("other.js"), /"one"/, "--help did not build");
        assert.equal(buildInfo(), built);

        const ran = launch("again");
        assert.equal(ran.status, 0, ran.stderr);
        assert.equal(ran.stdout, "ran two with again\n");
        assert.match(compiled("other.js"), /"two"/);
    });

    it("after the script's own source changed (where its usage is), --help builds and shows the new usage", () => {
        writeFileSync(join(project, "src", "hello.ts"), hello("v2"));
        const { status, stdout, stderr } = launch("--help");
        assert.equal(status, 0, stderr);
        assert.equal(stdout, "Usage: hello (v2)\n");
    });

    it("a build that fails runs nothing and says so, with the compiler's errors", () => {
        writeFileSync(join(project, "src", "other.ts"), `export const word: number = "three";\n`);
        const { status, stdout, stderr } = launch("again");
        assert.notEqual(status, 0);
        assert.match(stdout, /error TS2322/);
        assert.match(stderr, /The build \(tsc -b\) failed: nothing was run/);
        assert.doesNotMatch(stdout, /^ran /m);
    });
});

describe("the npm scripts a user runs", () => {
    const scripts = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")).scripts as Record<string, string>;

    for (const [name, entry] of [
        ["demo", "dist/scripts/demo.js"],
        ["emulator", "dist/emulator/cli.js"],
        ["test", "dist/scripts/runTests.js"],
    ]) {
        it(`npm ${name === "test" ? "test" : `run ${name}`} goes through the launcher, and its --help answers from the build there is`, () => {
            assert.equal(scripts[name], `node scripts/launch.js ${entry}`);
            const { status, stdout, stderr } = run("npm", [...(name === "test" ? ["test"] : ["run", name]), "--silent", "--", "--help"], { cwd: packageRoot });
            assert.equal(status, 0, stderr);
            assert.match(stdout, /^Usage: /);
        });
    }
});
