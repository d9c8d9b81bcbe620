import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, posix } from "node:path";
import { after, before, describe, it } from "node:test";
import * as ts from "typescript";
import { packageRoot } from "../helpers/host";
import { type TypeError as CompileError, PULUMI_TEMPLATE_OPTIONS, type ScratchProject, scratchProject, typeCheck } from "../helpers/typecheck";

// Each example must work when a user copies it alone into a new Pulumi TypeScript project: its
// directory is copied into a scratch project of its own directory (so an import from beside it,
// such as `../shared/...`, fails as it would for the user), which resolves `pulumi-azure-key-rotation`
// by name, and type-checked with Pulumi's template tsconfig. The other examples are in the same
// scratch project, so an import of one of them is caught by reading the imports. Its own
// package.json must list every package it imports. One compiler program for all of them: loading
// Pulumi's and azure-native's types is most of the time.

const examplesDir = join(packageRoot, "examples");

interface Example {
    /** The directory in the scratch project. */
    dir: string;
    /** Its TypeScript files: name → source. */
    files: Record<string, string>;
    packageJson: { dependencies?: Record<string, string> };
}

function load(dir: string, names: string[], packageJson: string): Example {
    const files = Object.fromEntries(names.map((name) => [name, readFileSync(join(examplesDir, name), "utf8")]));
    return { dir, files, packageJson: JSON.parse(readFileSync(packageJson, "utf8")) };
}

const examples: Example[] = readdirSync(examplesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(examplesDir, entry.name, "index.ts")))
    .map((entry) =>
        load(
            entry.name,
            readdirSync(join(examplesDir, entry.name))
                .filter((file) => file.endsWith(".ts"))
                .map((file) => `${entry.name}/${file}`),
            join(examplesDir, entry.name, "package.json"),
        ),
    );
// examples/index.ts, the program Pulumi.yaml at the root runs, with examples/package.json.
examples.push({ ...load("", ["index.ts"], join(examplesDir, "package.json")), dir: "stack-config" });

// A file as a user might have it: importing from beside its directory. It must fail, or the check proves nothing.
const CANARY = "canary";
const CANARY_SOURCE = `import { KeyRotation } from "pulumi-azure-key-rotation";
import { keyVault } from "../shared/keyVault";
export const rotation = new KeyRotation("k", { resourceId: keyVault("v") });
`;

/** What a source imports, as written. */
const importsOf = (source: string) => ts.preProcessFile(source, true, false).importedFiles.map((f) => f.fileName);

/** The packages a source imports: `@scope/name` or `name`; not relative paths, nor Node's own modules. */
function importedPackages(source: string): string[] {
    return importsOf(source)
        .filter((s) => !s.startsWith(".") && !s.startsWith("node:") && !builtinModules.includes(s))
        .map((s) =>
            s
                .split("/")
                .slice(0, s.startsWith("@") ? 2 : 1)
                .join("/"),
        );
}

describe("every example, copied alone into a new Pulumi TypeScript project", () => {
    let project: ScratchProject;
    let errors: CompileError[];
    before(() => {
        project = scratchProject();
        const files: Record<string, string> = {};
        for (const example of examples) {
            mkdirSync(join(project.dir, example.dir));
            for (const [name, source] of Object.entries(example.files)) files[`${example.dir}/${name.slice(name.lastIndexOf("/") + 1)}`] = source;
        }
        mkdirSync(join(project.dir, CANARY));
        files[`${CANARY}/index.ts`] = CANARY_SOURCE;
        // skipLibCheck: the packages' own declarations are not the examples' business, and checking
        // azure-native's would take minutes.
        errors = typeCheck(project, files, { ...PULUMI_TEMPLATE_OPTIONS, skipLibCheck: true });
    });
    after(() => project.remove());

    it("the check fails for a file that imports from beside its directory (TS2307), as it would in a user's project", () => {
        const found = errors.filter((e) => e.file.startsWith(`${CANARY}/`));
        assert.ok(
            found.some((e) => /Cannot find module '\.\.\/shared\/keyVault'/.test(e.message)),
            JSON.stringify(found),
        );
    });

    it("covers every example directory, and examples/index.ts", () => {
        assert.ok(examples.length >= 11, `${examples.length} examples`);
        assert.ok(examples.some((e) => e.dir === "storage") && examples.some((e) => e.dir === "stack-config"));
    });

    for (const example of examples) {
        describe(example.dir === "stack-config" ? "examples/index.ts" : `examples/${example.dir}`, () => {
            it("type-checks on its own, with Pulumi's template tsconfig", () => {
                const found = errors.filter((e) => e.file.startsWith(`${example.dir}/`));
                assert.deepEqual(
                    found.map((e) => `${e.file}:${e.line}: ${e.message}`),
                    [],
                );
            });

            it("imports no file but its own", () => {
                // The scratch project holds the other examples beside it, so tsc alone would not notice.
                const own = (path: string) => [`${path}.ts`, `${path}/index.ts`, path].some((file) => file in example.files);
                const outside = Object.entries(example.files).flatMap(([name, source]) =>
                    importsOf(source)
                        .filter((s) => s.startsWith(".") && !own(posix.normalize(posix.join(posix.dirname(name), s))))
                        .map((s) => `${name}: ${s}`),
                );
                assert.deepEqual(outside, []);
            });

            it("its package.json lists every package it imports", () => {
                const imported = new Set(Object.values(example.files).flatMap(importedPackages));
                const listed = Object.keys(example.packageJson.dependencies ?? {});
                assert.deepEqual(
                    [...imported].filter((name) => !listed.includes(name)),
                    [],
                    `imported: ${[...imported].join(", ")}; listed: ${listed.join(", ")}`,
                );
                assert.ok(imported.has("pulumi-azure-key-rotation"));
            });
        });
    }
});
