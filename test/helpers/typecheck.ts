/**
 * Type-checks programs as a user's project would: in a scratch directory whose node_modules holds
 * `pulumi-azure-key-rotation` (this checkout, or a packed tarball's files), with Pulumi's template
 * tsconfig. The directory is under dist/, so `@pulumi/*` and the package's own dependencies resolve
 * from this repository's node_modules.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { packageRoot } from "./host";

/** The compiler options of `pulumi new typescript`'s tsconfig.json. */
export const PULUMI_TEMPLATE_OPTIONS: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
    noEmit: true,
    types: ["node"],
};

/** A scratch project; `remove()` deletes it. */
export interface ScratchProject {
    dir: string;
    remove(): void;
}

/**
 * A scratch project under dist/. `tarball`: the package is that tarball's files, as npm installs
 * them; otherwise a symlink to this checkout (its package.json, exports and built dist/).
 */
export function scratchProject(options: { tarball?: string } = {}): ScratchProject {
    const base = join(packageRoot, "dist", ".scratch");
    mkdirSync(base, { recursive: true });
    const dir = mkdtempSync(join(base, "project-"));
    const target = join(dir, "node_modules", "pulumi-azure-key-rotation");
    if (options.tarball) {
        mkdirSync(target, { recursive: true });
        execFileSync("tar", ["xzf", options.tarball, "-C", target, "--strip-components=1"]);
    } else {
        mkdirSync(join(dir, "node_modules"));
        symlinkSync(packageRoot, target, "dir");
    }
    return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One compiler error, with the file it is in and its 1-based line. */
export interface TypeError {
    file: string;
    line: number;
    message: string;
}

/** Writes `files` (name → source) into the project and type-checks them together; returns the errors. */
export function typeCheck(project: ScratchProject, files: Record<string, string>, options: ts.CompilerOptions = PULUMI_TEMPLATE_OPTIONS): TypeError[] {
    const paths = Object.entries(files).map(([name, source]) => {
        const path = join(project.dir, name);
        writeFileSync(path, source);
        return path;
    });
    const program = ts.createProgram(paths, options);
    return ts.getPreEmitDiagnostics(program).map((d) => {
        const position = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        return {
            file: d.file ? d.file.fileName.slice(project.dir.length + 1) : "",
            line: position ? position.line + 1 : 0,
            message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
        };
    });
}
