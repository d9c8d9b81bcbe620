import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as https from "node:https";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import * as ts from "typescript";
import { type Finished, RESOURCE_LISTING, Running, run, runAsync } from "../helpers/cli";
import { packageRoot } from "../helpers/host";
import { documentedTypeScript, type ReadmeBlock, readmeBlocks } from "../helpers/readme";
import { packedTarball } from "../helpers/tarball";
import { PULUMI_TEMPLATE_OPTIONS, typeCheck } from "../helpers/typecheck";

// The README, walked as a new user walks it in their first hour: install from the packed tarball
// into a project of their own (the Pulumi CLI named first, with the version tested), type-check and
// run the programs it shows (a Storage account first), `--help` of every command, and the rehearsal
// on the emulator with the exact commands shown, in a shell that already holds the user's own ARM_*
// values for real Azure and a proxy of their own, which loading the emulator's env.sh must leave to
// npm. The emulator's command line and API, which the README leaves to docs/emulator.md, are walked
// there. The Pulumi CLI cannot be installed here: `pulumi` is a stand-in
// (test/helpers/pulumiStandIn.ts) that runs the program under mocks and each KeyRotation through the
// project's own copy of Pulumi's dynamic-provider host. The installed package's exports, types and
// source maps are checked too.

/** The first-hour sections, per document. */
const WALKED: Record<string, string[]> = {
    "README.md": ["Install", "A first program", "Quick start (no Azure account needed)", "Rehearse on the emulator"],
    "docs/emulator.md": ["The command line", "From code"],
};
const SECTIONS = WALKED["README.md"];
/** The code blocks of the walked sections, README first. */
const walkedBlocks = (): ReadmeBlock[] =>
    Object.entries(WALKED).flatMap(([file, sections]) =>
        readmeBlocks(readFileSync(join(packageRoot, file), "utf8")).filter((b) => sections.includes(b.section)),
    );
/** Each command line of the walked sections' shell blocks. */
const walkedLines = (): Array<{ command: string; line: number; section: string }> =>
    walkedBlocks()
        .filter((b) => b.lang === "sh")
        .flatMap((b) =>
            b.code.split("\n").flatMap((text, i) => {
                const command = text.replace(/\s+#.*$/, "").trim();
                return command && !command.startsWith("#") ? [{ command, line: b.line + i, section: b.section }] : [];
            }),
        );
const version = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")).version as string;
const scratch = mkdtempSync(join(tmpdir(), "key-rotation-readme-"));
/** Where the README's clone is, beside the user's project. */
const clone = join(scratch, "pulumi-azure-key-rotation");
const project = join(scratch, "my-infra");
const bin = join(scratch, "bin");

/** Values a user of azure-native has in their shell for real Azure (none of them valid here). */
const USERS_OWN = {
    ARM_CLIENT_ID: "3f1c2a4b-5d6e-4f70-8a9b-0c1d2e3f4a5b",
    ARM_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    ARM_CLIENT_SECRET: "Zx8Q~realLookingSecretValue.0123456789abcd",
    ARM_SUBSCRIPTION_ID: "0b1f6471-1bf0-4dda-aec3-cb9272f09590",
};

/** The user's shell: their own ARM_*, the `pulumi` stand-in on the PATH, npm quiet and offline-first; not the test run's CA. */
function userShell(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...USERS_OWN,
        PATH: `${bin}:${process.env.PATH}`,
        npm_config_prefer_offline: "true",
        npm_config_audit: "false",
        npm_config_fund: "false",
        npm_config_update_notifier: "false",
        npm_config_loglevel: "error",
    };
    for (const name of ["NODE_EXTRA_CA_CERTS", "KEY_ROTATION_TEST_CA_DIR", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET"]) delete env[name];
    for (const name of Object.keys(env)) if (name.startsWith("AZURE_") || name.startsWith("PULUMI_")) delete env[name];
    return env;
}

/** How the walkthrough takes each command line of the README's first-hour sections. */
const RULES: Array<{ pattern: RegExp; how: string }> = [
    { pattern: /^git clone https:\/\/github\.com\/\S+\.git$/, how: "not run (no network here): this checkout is the clone" },
    {
        pattern: /^\(cd pulumi-azure-key-rotation && npm ci && npm pack\)$/,
        how: "this checkout, built and packed once by npm test (scripts/runTests.ts), copied into the clone's place",
    },
    { pattern: /^cd my-infra$/, how: "the user's project, a scratch directory" },
    { pattern: /^npm install \.\.\/pulumi-azure-key-rotation\/pulumi-azure-key-rotation-[\d.]+\.tgz @pulumi\/azure-native$/, how: "run as shown" },
    { pattern: /^npm ci && npm run demo$/, how: "the demo is run by test/scripts/demo.test.ts (npm ci would reinstall this checkout under the running tests)" },
    { pattern: /^npm test$/, how: "this run" },
    {
        pattern: /^npm (run (demo|emulator)|test) -- --help$/,
        how: "run: the npm script, in this checkout (its launcher answers --help from the build npm test made)",
    },
    { pattern: /^npx azure-key-rotation-emulator --help$/, how: "run as shown" },
    { pattern: /^npx azure-key-rotation-emulator --state-dir \.emulator$/, how: "run as shown, in the background, as in another terminal" },
    {
        pattern: /^(cd rehearsal|\. \.\.\/\.emulator\/env\.sh|export PULUMI_BACKEND_URL=.*|pulumi (stack init|config set|up) .*)$/,
        how: "run as shown, in one shell",
    },
];

function block(section: string, contains: string, lang = "sh"): ReadmeBlock {
    const found = walkedBlocks().find((b) => b.section === section && b.lang === lang && b.code.includes(contains));
    assert.ok(found, `"${section}" has a ${lang} block with ${contains}`);
    return found;
}

const line = (b: ReadmeBlock, pattern: RegExp) => {
    const found = b.code.split("\n").find((l) => pattern.test(l));
    assert.ok(found, `README.md:${b.line}: a line like ${pattern}`);
    return found.replace(/\s+#.*$/, "").trim();
};

function assertRan(result: Finished, what: string): void {
    assert.equal(result.status, 0, `${what} failed:\n${result.stdout}\n${result.stderr}`);
}

/** Writes a TypeScript README block, compiled, into `dir` (its requires resolve from there). */
function compiled(b: ReadmeBlock, file: string): string {
    const js = ts.transpileModule(b.code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true } });
    writeFileSync(file, js.outputText);
    return file;
}

before(() => {
    mkdirSync(clone);
    mkdirSync(project);
    mkdirSync(bin);
    const standIn = join(packageRoot, "dist", "test", "helpers", "pulumiStandIn.js");
    writeFileSync(join(bin, "pulumi"), `#!/bin/sh\nexec "${process.execPath}" "${standIn}" "$@"\n`);
    chmodSync(join(bin, "pulumi"), 0o755);
    // What `pulumi new` leaves, as far as npm is concerned.
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "my-infra", private: true, main: "index.ts" }, null, 2));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

describe("the README, walked as a user", { concurrency: false }, () => {
    it("accounts for every command of its first-hour sections", () => {
        const lines = walkedLines();
        for (const section of [...SECTIONS, "The command line"]) {
            assert.ok(lines.some((l) => l.section === section) || section === "A first program", `a section "${section}"`);
        }
        const unaccounted = lines.filter((l) => RULES.filter((r) => r.pattern.test(l.command)).length !== 1);
        assert.deepEqual(
            unaccounted.map((l) => `${l.section}:${l.line}: ${l.command}`),
            [],
            "a command the walkthrough does not know: add a rule saying how it runs it, or why it cannot",
        );
    });

    it("names the Pulumi CLI where Install starts, with the version range of the @pulumi/pulumi it is tested with", () => {
        const text = readFileSync(join(packageRoot, "README.md"), "utf8");
        const install = text.slice(text.indexOf("## Install\n"));
        const firstParagraph = install.split("\n\n")[1];
        const tested = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")).devDependencies["@pulumi/pulumi"] as string;
        const [major, minor] = tested.replace(/^[~^]/, "").split(".");
        assert.ok(
            firstParagraph.includes(`**Pulumi CLI ${major}.x, ${major}.${minor} or later**`),
            `the first paragraph of Install names the Pulumi CLI ${major}.x, ${major}.${minor} or later (@pulumi/pulumi ${tested} is tested): ${firstParagraph}`,
        );
        assert.match(firstParagraph, new RegExp(`tested: \`@pulumi/pulumi\` ${major}\\.${minor}`), "and says how the range was chosen");
    });

    it("installs the packed tarball and @pulumi/azure-native with the command it shows", { timeout: 600_000 }, () => {
        const install = block("Install", "npm pack");
        const tarball = line(install, /npm install \.\.\/pulumi-azure-key-rotation\//);
        assert.ok(tarball.includes(`pulumi-azure-key-rotation-${version}.tgz`), `the README names this version's tarball (${version})`);
        assert.match(line(install, /npm pack/), /&& npm pack\)$/);
        assert.equal(packedTarball(clone), join(clone, `pulumi-azure-key-rotation-${version}.tgz`));
        assertRan(run("bash", ["-c", tarball], { cwd: project, env: userShell(), timeoutMs: 600_000 }), tarball);
        const manifest = JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
        assert.ok(manifest.dependencies["pulumi-azure-key-rotation"] && manifest.dependencies["@pulumi/azure-native"]);
        for (const name of ["pulumi-azure-key-rotation", "@pulumi/azure-native", "@pulumi/pulumi"]) {
            assert.ok(existsSync(join(project, "node_modules", name, "package.json")), `${name} installed (@pulumi/pulumi as the peer)`);
        }
    });

    it("the installed package exports KeyRotation, ./emulator and ./provider, with types, and nothing else", () => {
        const script = `
const main = require("pulumi-azure-key-rotation");
const emulator = require("pulumi-azure-key-rotation/emulator");
const provider = require("pulumi-azure-key-rotation/provider");
let deep = "";
try { require("pulumi-azure-key-rotation/dist/src/arm/errors.js"); } catch (e) { deep = e.code; }
console.log(JSON.stringify({ main: Object.keys(main), emulator: typeof emulator.AzureEmulator, sample: typeof emulator.sampleResourceIds, provider: typeof provider.check, deep }));`;
        const result = run(process.execPath, ["-e", script], { cwd: project, env: userShell() });
        assertRan(result, "requiring the package");
        assert.deepEqual(JSON.parse(result.stdout), {
            main: ["KeyRotation"],
            emulator: "function",
            sample: "function",
            provider: "function",
            deep: "ERR_PACKAGE_PATH_NOT_EXPORTED",
        });

        const installed = join(project, "node_modules", "pulumi-azure-key-rotation");
        const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
        for (const [subpath, target] of Object.entries(manifest.exports as Record<string, string | { types: string; default: string }>)) {
            if (typeof target === "string") continue;
            assert.ok(existsSync(join(installed, target.types)), `${subpath}: its types ${target.types} are in the package`);
            assert.ok(existsSync(join(installed, target.default)), `${subpath}: ${target.default} is in the package`);
        }
        for (const [subpath, [types]] of Object.entries(manifest.typesVersions["*"] as Record<string, string[]>)) {
            assert.ok(existsSync(join(installed, types)), `typesVersions ${subpath}: ${types} (for moduleResolution node10)`);
        }
    });

    it("the installed package's source maps carry the sources they name, and stack traces point into them", () => {
        const installed = join(project, "node_modules", "pulumi-azure-key-rotation");
        const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
        const maps = files(installed).filter((f) => f.endsWith(".js.map"));
        const scripts = files(installed).filter((f) => f.endsWith(".js"));
        assert.ok(maps.length >= 40, `${maps.length} source maps`);
        const unresolved: string[] = [];
        for (const map of maps) {
            const { sources, sourcesContent } = JSON.parse(readFileSync(map, "utf8")) as { sources: string[]; sourcesContent?: Array<string | null> };
            sources.forEach((source, i) => {
                if (!sourcesContent?.[i] && !existsSync(join(dirname(map), source))) unresolved.push(`${relative(installed, map)}: ${source}`);
            });
        }
        assert.deepEqual(unresolved, [], "every source a map names is inlined or shipped");
        for (const script of scripts) {
            const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(script, "utf8"))?.[1];
            assert.ok(url && existsSync(join(dirname(script), url)), `${relative(installed, script)} has its map`);
        }
        // A stack trace through a source map names the TypeScript source and shows its line.
        const trace = run(
            process.execPath,
            [
                "--enable-source-maps",
                "-e",
                `require("pulumi-azure-key-rotation/emulator").AzureEmulator.prototype.regenerate.call({ store: new Map() }, "/x", "Primary")`,
            ],
            { cwd: project, env: userShell() },
        );
        assert.notEqual(trace.status, 0);
        assert.match(trace.stderr, /emulator\/server\.ts:\d+/);
        assert.match(trace.stderr, /no emulated resource/);
    });

    it("type-checks every TypeScript block of the README and docs/ against the installed package", { timeout: 300_000 }, () => {
        const blocks = documentedTypeScript();
        const files = Object.fromEntries(blocks.map((b) => [b.file, b.code]));
        const errors = typeCheck({ dir: project, remove: () => {} }, files, {
            ...PULUMI_TEMPLATE_OPTIONS,
            // The project's own @types/node, as `pulumi new` installs it.
            typeRoots: [join(packageRoot, "node_modules", "@types")],
        }).map((e) => {
            const block = blocks.find((b) => b.file === e.file);
            return block ? `${block.document}:${block.line + e.line - 1}: ${e.message}` : `${e.file}:${e.line}: ${e.message}`;
        });
        assert.deepEqual(errors, []);
    });

    it("the first program runs (under Pulumi's mocks): the KeyRotation rotates the Storage account it creates, for a web app", { timeout: 120_000 }, () => {
        const first = block("A first program", "new KeyRotation", "ts");
        const dir = join(project, "first");
        mkdirSync(dir);
        writeFileSync(join(dir, "Pulumi.yaml"), "name: first\nruntime: nodejs\n");
        writeFileSync(join(dir, "index.ts"), first.code);
        const result = run("pulumi", ["preview", "--json"], { cwd: dir, env: userShell() });
        assertRan(result, "pulumi preview");
        const { resources, outputs } = JSON.parse(result.stdout) as {
            resources: Array<{ type: string; name: string; id: string; inputs: Record<string, unknown> }>;
            outputs: Record<string, unknown>;
        };
        const account = resources.find((r) => r.type === "azure-native:storage:StorageAccount");
        const rotation = resources.find((r) => r.type === "pulumi-nodejs:dynamic/keyRotation:KeyRotation");
        const app = resources.find((r) => r.type === "azure-native:web:WebApp");
        assert.ok(account && rotation && app, JSON.stringify(resources.map((r) => r.type)));
        assert.equal(rotation.inputs.resourceId, account.id, "the KeyRotation targets the Storage account the program creates");
        const settings = (app.inputs.siteConfig as { appSettings: Array<{ name: string }> }).appSettings;
        assert.deepEqual(
            settings.map((a) => a.name),
            ["ConnectionStrings__Storage"],
            "the web app is given the active connection string",
        );
        assert.equal(rotation.inputs.rotateEvery, "30d");
        assert.match(String(rotation.inputs.__provider), /pulumi-azure-key-rotation\/provider/);
        assert.ok("connectionString" in outputs);
    });

    it("--help of every command it shows", () => {
        const commands = walkedLines().filter((l) => l.command.endsWith("--help"));
        assert.ok(commands.length >= 4, commands.map((c) => c.command).join("; "));
        const scripts = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")).scripts as Record<string, string>;
        for (const { command, line } of commands) {
            let result: Finished;
            const npmScript = /^npm (?:run )?(\w+) -- (--help)$/.exec(command);
            if (npmScript) {
                result = run("bash", ["-c", `${scripts[npmScript[1]]} --help`], { cwd: packageRoot });
            } else {
                result = run("bash", ["-c", command], { cwd: project, env: userShell() });
            }
            assertRan(result, `${line}: ${command}`);
            assert.match(result.stdout, /^Usage: /, `${line}: ${command} prints its usage`);
        }
    });

    it("the emulator's API from code, as docs/emulator.md shows it, rotates a key through `pulumi up`", { timeout: 300_000 }, async () => {
        const api = block("From code", "pulumi-azure-key-rotation/emulator", "ts");
        const program = block("Rehearse on the emulator", "new KeyRotation", "ts");
        const { rehearse } = require(compiled(api, join(project, "rehearse.js"))) as {
            rehearse: (deploy: (env: Record<string, string>, storageId: string) => Promise<void>) => Promise<void>;
        };
        const dir = join(project, "api-rehearsal");
        mkdirSync(dir);
        writeFileSync(join(dir, "Pulumi.yaml"), "name: api-rehearsal\nruntime: nodejs\n");
        writeFileSync(join(dir, "index.ts"), program.code);
        const logged: string[] = [];
        const log = console.log;
        console.log = (...args: unknown[]) => void logged.push(args.join(" "));
        try {
            await rehearse(async (env, storageId) => {
                const shell = { ...userShell(), ...env, PULUMI_CONFIG_PASSPHRASE: "test" };
                for (const args of [
                    ["stack", "init", "test"],
                    ["config", "set", "storageId", storageId],
                    ["up", "--yes"],
                ]) {
                    assertRan(await runAsync("pulumi", args, { cwd: dir, env: shell }), `pulumi ${args.join(" ")}`);
                }
            });
        } finally {
            console.log = log;
        }
        // Azure was busy once: the regenerate was retried, and the key rotated once.
        assert.deepEqual(
            logged.filter((l) => /StorageAccounts_RegenerateKey/.test(l)),
            ["503 StorageAccounts_RegenerateKey", "200 StorageAccounts_RegenerateKey"],
        );
    });

    it("the rehearsal on the emulator, command by command, in a shell holding the user's own ARM_*", { timeout: 600_000 }, async (t) => {
        const section = "Rehearse on the emulator";
        const start = line(block(section, "npx azure-key-rotation-emulator"), /^npx azure-key-rotation-emulator/);
        const program = block(section, "new KeyRotation", "ts");
        const commands = block(section, "pulumi up");

        // Step 1, in "another terminal": the emulator, as shown; on a busy 8443, with --port 0 as the error says.
        // The whole resource listing, not its header: a pipe can hand the header over before the ids.
        let emulator = Running.start(start, [], { cwd: project, env: userShell(), shell: true });
        let listing = await emulator.waitFor(RESOURCE_LISTING).catch((error: Error) => {
            // Only an emulator that ended may be retried (on a busy port); one still running never listed its resources.
            if (emulator.child.exitCode === null && emulator.child.signalCode === null) throw error;
        });
        if (!listing) {
            await emulator.exited;
            assert.match(emulator.stderr, /port 8443 on 127\.0\.0\.1 is already in use.*--port 0/s, emulator.stderr);
            t.diagnostic("port 8443 is busy on this machine: the emulator runs with --port 0, as its error suggests");
            emulator = Running.start(`${start} --port 0`, [], { cwd: project, env: userShell(), shell: true });
            listing = await emulator.waitFor(RESOURCE_LISTING);
        }
        try {
            assert.match(emulator.stdout, /Environment written to .*\.emulator\/env\.sh/);
            const storageId = line(commands, /pulumi config set storageId/)
                .split(" ")
                .pop()!;
            assert.ok(listing[1].split("\n").includes(`  ${storageId}`), `the id the README shows is one the emulator created:\n${listing[1]}`);

            // Step 2: the rehearsal program, as shown.
            const pulumiYaml = /`(rehearsal\/Pulumi\.yaml)` holding\s+`(name: rehearsal)` and `(runtime: nodejs)`/.exec(
                readFileSync(join(packageRoot, "README.md"), "utf8"),
            );
            assert.ok(pulumiYaml, "the README says what rehearsal/Pulumi.yaml holds");
            mkdirSync(join(project, "rehearsal"));
            writeFileSync(join(project, "rehearsal", "Pulumi.yaml"), `${pulumiYaml[2]}\n${pulumiYaml[3]}\n`);
            writeFileSync(join(project, "rehearsal", "index.ts"), program.code);

            // Step 3: every command of the block, in one shell, in order.
            const shell = run("bash", ["-e", "-c", commands.code], { cwd: project, env: userShell(), timeoutMs: 300_000 });
            assertRan(shell, `README.md:${commands.line}: the rehearsal's commands`);
            assert.match(shell.stdout, /storage-keys: create, rotated Secondary, active Secondary, reason created/);
            assert.match(shell.stdout, /storage-keys: update, rotated Primary, active Primary, reason trigger changed/);

            // The emulator saw the rotations; the key the state holds is the one the service accepts now.
            await emulator.waitFor(/StorageAccounts_RegenerateKey[\s\S]*StorageAccounts_RegenerateKey/);
            const stack = JSON.parse(readFileSync(join(project, "rehearsal", ".pulumi-stand-in", "rehearsal.json"), "utf8"));
            const credential = String(stack.resources["storage-keys"].outputs.activeConnectionString);
            const env = Object.fromEntries(
                [...readFileSync(join(project, ".emulator", "env.sh"), "utf8").matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1], m[2]]),
            );
            const answer = await dataPlane(env.AZURE_RESOURCE_MANAGER_ENDPOINT, storageId, credential, readFileSync(env.NODE_EXTRA_CA_CERTS));
            assert.deepEqual(answer, { status: 200, body: { authenticated: true, keyType: "Primary" } });
        } finally {
            // Ctrl-C reaches npx and the emulator: the emulator stops cleanly; npx ends by the signal, as npm does.
            const stopped = await emulator.stop("SIGINT");
            assert.match(emulator.stdout, /SIGINT: emulator stopped\./, `the emulator stops cleanly on Ctrl-C: ${emulator.stderr}`);
            assert.ok(stopped.code === 0 || stopped.signal === "SIGINT", JSON.stringify(stopped));
        }
    });

    it("loading .emulator/env.sh as it shows leaves npm reaching the registry as before: through the user's own proxy", async () => {
        const load = line(block("Rehearse on the emulator", "pulumi up"), /^\. \.\.\/\.emulator\/env\.sh/);
        // The user's proxy, which npm goes through to reach the registry's host (it answers 502: nothing leaves this machine).
        const tunnels: string[] = [];
        const proxy = createServer((socket) => {
            socket.once("data", (data: Buffer) => {
                tunnels.push(data.toString().split("\r\n")[0]);
                socket.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
            });
        });
        await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
        const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
        const npmrc = join(scratch, "npmrc-empty");
        writeFileSync(npmrc, "");
        const shell = {
            ...userShell(),
            HTTPS_PROXY: url,
            https_proxy: url,
            NO_PROXY: "localhost,127.0.0.1",
            // npm as it comes: its registry, no npmrc of this machine's, an empty cache, no retries.
            npm_config_registry: "https://registry.npmjs.org/",
            npm_config_userconfig: npmrc,
            npm_config_globalconfig: join(scratch, "npmrc-global-empty"),
            npm_config_cache: join(scratch, "npm-cache"),
            npm_config_prefer_offline: "false",
            npm_config_fetch_retries: "0",
        };
        writeFileSync(shell.npm_config_globalconfig, "");
        try {
            const viewed: Array<{ tunnels: string[]; stderr: string }> = [];
            for (const before of ["", `${load} && `]) {
                tunnels.length = 0;
                const view = await runAsync("bash", ["-c", `${before}npm view left-pad version`], { cwd: join(project, "rehearsal"), env: shell });
                viewed.push({ tunnels: [...tunnels], stderr: view.stderr });
            }
            const [without, loaded] = viewed;
            assert.deepEqual(without.tunnels, ["CONNECT registry.npmjs.org:443 HTTP/1.1"], `npm goes through the user's proxy: ${without.stderr}`);
            assert.deepEqual(loaded.tunnels, without.tunnels, `after \`${load}\`, npm still goes through the user's proxy to the registry: ${loaded.stderr}`);
            assert.doesNotMatch(loaded.stderr, /403/, "not the emulator's proxy's refusal");
        } finally {
            proxy.close();
        }
    });
});

/** The emulated data plane: whether a credential is accepted now. TLS verified against the emulator's CA. */
function dataPlane(base: string, resourceId: string, credential: string, ca: Buffer): Promise<{ status: number; body: unknown }> {
    return new Promise((resolve, reject) => {
        const request = https.request(`${base}/dataplane${resourceId}`, { method: "POST", ca, headers: { "Content-Type": "application/json" } }, (response) => {
            let text = "";
            response.on("data", (d: Buffer) => {
                text += d.toString();
            });
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text || "null") }));
        });
        request.on("error", reject);
        request.end(JSON.stringify({ credential }));
    });
}
