import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
    copyFileSync,
    existsSync,
    linkSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readlinkSync,
    realpathSync,
    rmSync,
    symlinkSync,
    writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { keyRotationUrn, ProviderHost, up } from "../../scripts/engine";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { packageRoot } from "../helpers/host";
import { packedTarball } from "../helpers/tarball";

// `npm pack`, then the tarball goes into a scratch consumer project the way users install it: npm,
// pnpm (its isolated layout: every package under node_modules/.pnpm, reached through symlinks) and
// an npm workspace (dependencies hoisted to the workspace root, the program in a member). In each,
// the consumer's program registers a KeyRotation and the consumer's own copy of Pulumi's
// dynamic-provider host, started in the program's directory as the engine starts it, rotates a key.

let emulator: AzureEmulator;
let scratch: string;
let tarball: string;
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const pulumiVersion = require("@pulumi/pulumi/package.json").version as string;
const packageVersion = require(join(packageRoot, "package.json")).version as string;
const quiet = { stdio: ["ignore", "ignore", "inherit"] as ["ignore", "ignore", "inherit"] };

before(async () => {
    emulator = await startEmulator();
    scratch = mkdtempSync(join(tmpdir(), "key-rotation-consumer-"));
    tarball = packedTarball(scratch);
});
after(async () => {
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
});

const consumerDependencies = () => ({ "pulumi-azure-key-rotation": `file:${tarball}`, "@pulumi/pulumi": pulumiVersion });

/** Each layout installs the tarball and returns the directory the Pulumi program runs in. */
const layouts: Array<{ name: string; install: (dir: string) => string; check?: (programDir: string) => void }> = [
    {
        name: "npm",
        install: (dir) => {
            writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, dependencies: consumerDependencies() }));
            execFileSync(npm, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, ...quiet });
            return dir;
        },
    },
    {
        name: "pnpm (isolated node_modules)",
        install: (dir) => {
            writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, dependencies: consumerDependencies() }));
            // pnpm's default layout, spelled out; a store kept between runs so only the first downloads.
            writeFileSync(join(dir, ".npmrc"), "node-linker=isolated\n");
            const store = join(homedir(), ".cache", "pulumi-azure-key-rotation", "pnpm-store");
            const pnpm = join(packageRoot, "node_modules", "pnpm", "bin", "pnpm.cjs"); // a dev dependency: no install scripts
            execFileSync(
                process.execPath,
                [pnpm, "install", "--store-dir", store, "--prefer-offline", "--reporter=silent", "--config.confirmModulesPurge=false"],
                { cwd: dir, ...quiet },
            );
            return dir;
        },
        check: (programDir) => {
            const real = realpathSync(join(programDir, "node_modules", "pulumi-azure-key-rotation"));
            assert.match(real, /[\\/]\.pnpm[\\/]/, "the package lives in pnpm's virtual store");
            assert.ok(real.includes(packageVersion) || real.includes("file+"), `a versioned store path: ${real}`);
        },
    },
    {
        name: "an npm workspace (the program in a member, dependencies hoisted)",
        install: (dir) => {
            const member = join(dir, "infra");
            mkdirSync(member);
            writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "monorepo", private: true, workspaces: ["infra"] }));
            writeFileSync(join(member, "package.json"), JSON.stringify({ name: "infra", private: true, dependencies: consumerDependencies() }));
            // It starts from the npm layout's node_modules, hard-linked: the packages npm would extract
            // from its cache again (some 15,000 files). npm install makes that the workspace's tree (it
            // links the member, and would move or remove any package a workspace places elsewhere), so
            // the checks below see npm's own layout. Without the hidden lockfile: npm reads what is there.
            const npmLayout = join(scratch, `consumer-${layouts.findIndex((l) => l.name === "npm")}`, "node_modules");
            if (existsSync(npmLayout)) hardLinkTree(npmLayout, join(dir, "node_modules"), [join(npmLayout, ".package-lock.json")]);
            execFileSync(npm, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, ...quiet });
            return member;
        },
        check: (programDir) => {
            assert.ok(existsSync(join(programDir, "..", "node_modules", "pulumi-azure-key-rotation", "package.json")), "hoisted to the workspace root");
            assert.ok(!existsSync(join(programDir, "node_modules", "pulumi-azure-key-rotation")), "not in the member's node_modules");
        },
    },
];

/**
 * Recreates the tree at `from` under `to`: directories made, files hard-linked (copied where the
 * file system cannot link), symbolic links copied; `except` left out.
 */
function hardLinkTree(from: string, to: string, except: string[] = []): void {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from, { withFileTypes: true })) {
        const [source, target] = [join(from, entry.name), join(to, entry.name)];
        if (except.includes(source)) continue;
        if (entry.isDirectory()) hardLinkTree(source, target, except);
        else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
        else {
            try {
                linkSync(source, target);
            } catch {
                copyFileSync(source, target);
            }
        }
    }
}

describe("the packed tarball, installed into another project, rotates a key through that project's host", () => {
    layouts.forEach((layout, index) => {
        it(layout.name, { timeout: 600_000 }, async () => {
            const dir = join(scratch, `consumer-${index}`);
            mkdirSync(dir);
            const programDir = layout.install(dir);
            layout.check?.(programDir);

            // The consumer's program, run by plain Node in the program's directory: the package by name.
            writeFileSync(
                join(programDir, "capture.js"),
                `const pulumi = require("@pulumi/pulumi");
const { KeyRotation } = require("pulumi-azure-key-rotation");
pulumi.runtime.setMocks({ newResource: (a) => { process.stdout.write(JSON.stringify(a.inputs)); return { id: "x", state: a.inputs }; }, call: () => ({}) }, "p", "s", false)
  .then(() => new KeyRotation("packaged", { resourceId: process.argv[2], keyType: "Secondary", trigger: "1", verify: false }));`,
            );
            const id = resourceIds(`packaged${index}`).communication;
            emulator.createResource(id);
            const inputs = JSON.parse(execFileSync(process.execPath, ["capture.js", id], { cwd: programDir }).toString());
            const provider = String(inputs.__provider);
            assert.match(provider, /pulumi-azure-key-rotation\/provider/);
            for (const path of [".pnpm", "node_modules", packageVersion, scratch])
                assert.ok(!provider.includes(path), `__provider holds no install path (${path})`);

            const host = await ProviderHost.start({
                cwd: programDir,
                env: emulator.env(),
                hostScript: require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js", { paths: [programDir] }),
            });
            try {
                const { step, state } = await up(host, keyRotationUrn("packaged"), inputs);
                assert.equal(step, "create");
                assert.equal(state.outputs.secondaryKey, emulator.resource(id)!.keys.Secondary);
                assert.equal(emulator.resource(id)!.generations.Secondary, 1);
            } finally {
                await host.stop();
            }
        });
    });
});
