import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { Running, run } from "../helpers/cli";
import { startEmulator } from "../helpers/emulator";
import { packageRoot } from "../helpers/host";

// The emulator's command line: parsed with util.parseArgs, --help, unknown flags refused, a busy
// port explained, the environment written where asked and stable with --state-dir, and a clean stop.

const cli = join(packageRoot, "dist", "emulator", "cli.js");
const scratch = mkdtempSync(join(tmpdir(), "key-rotation-cli-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A port nothing listens on (free a moment ago). */
async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    return port;
}

/** Two consecutive ports held by this process, as an emulator and its proxy hold them. */
async function busyPair(): Promise<[number, Server[]]> {
    for (;;) {
        const port = await freePort();
        const held: Server[] = [];
        for (const p of [port, port + 1]) {
            const server = createServer();
            const ok = await new Promise<boolean>((resolve) => {
                server.once("error", () => resolve(false));
                server.listen(p, "127.0.0.1", () => resolve(true));
            });
            if (ok) held.push(server);
        }
        if (held.length === 2) return [port, held];
        for (const server of held) server.close();
    }
}

/** The variables a shell has after loading `file` on top of `env`. */
function loaded(file: string, env: NodeJS.ProcessEnv = {}): Record<string, string> {
    const { stdout, status, stderr } = run("bash", ["-c", `. '${file}' && env -0`], { env: { PATH: process.env.PATH, ...env } });
    assert.equal(status, 0, stderr);
    return Object.fromEntries(
        stdout
            .split("\0")
            .filter(Boolean)
            .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
}

describe("the emulator's command line", () => {
    it("--help prints the usage, with every option, and exits 0", () => {
        const { status, stdout } = run(process.execPath, [cli, "--help"]);
        assert.equal(status, 0);
        for (const option of ["--state-dir", "--write-env", "--port", "--resource-group", "--help", "--port 0"]) assert.ok(stdout.includes(option), option);
    });

    for (const [args, problem] of [
        [["--bogus"], /Unknown option '--bogus'/],
        [["--port"], /--port.*argument missing/],
        [["--port", "http"], /--port must be a port number from 0 to 65535, got "http"/],
        [["extra"], /Unexpected argument 'extra'/],
        [["--resource-group", "a b"], /--resource-group "a b" cannot be used/],
    ] as Array<[string[], RegExp]>) {
        it(`refuses ${args.join(" ")} with the problem and the usage, exit 2`, () => {
            const { status, stderr, stdout } = run(process.execPath, [cli, ...args]);
            assert.equal(status, 2);
            assert.match(stderr, problem);
            assert.match(stderr, /Usage: azure-key-rotation-emulator/);
            assert.equal(stdout, "");
        });
    }

    it("explains a busy port and suggests --port 0", async () => {
        const emulator = await startEmulator();
        try {
            const port = new URL(emulator.url).port;
            const { status, stderr } = run(process.execPath, [cli, "--port", port]);
            assert.equal(status, 1);
            assert.match(stderr, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
            assert.match(stderr, /--port 0/);
        } finally {
            await emulator.stop();
        }
    });

    it("with another emulator on the port and its proxy on the next, suggests a port that works, not the proxy's", async () => {
        // What a second `--state-dir` emulator meets: the first holds 8443 and its proxy 8444.
        const [port, held] = await busyPair();
        try {
            const { status, stderr } = run(process.execPath, [cli, "--port", String(port)]);
            assert.equal(status, 1);
            const suggested = Number(/choose another port with --port (\d+)/.exec(stderr)?.[1]);
            assert.ok(suggested > port + 1, `suggests a port beyond the busy pair ${port}, ${port + 1}: ${stderr}`);
            assert.match(stderr, new RegExp(`--port ${suggested} \\(free now, and ${suggested + 1} for its proxy\\)`));
            // The suggestion works.
            const emulator = Running.start(process.execPath, [cli, "--port", String(suggested)]);
            await emulator.waitFor(/Resources/);
            assert.ok(emulator.stdout.includes(`listening on https://127.0.0.1:${suggested} `), emulator.stdout);
            assert.deepEqual(await emulator.stop("SIGINT"), { code: 0, signal: null });
        } finally {
            for (const server of held) server.close();
        }
    });

    it("a start that fails removes the --state-dir it created, and keeps one that existed", async () => {
        const [port, held] = await busyPair();
        try {
            const made = join(scratch, "made-by-a-failed-start", "state");
            const failed = run(process.execPath, [cli, "--state-dir", made, "--port", String(port)]);
            assert.equal(failed.status, 1, failed.stderr);
            assert.match(failed.stderr, /already in use/);
            assert.ok(!existsSync(join(scratch, "made-by-a-failed-start")), "the directories it created are gone");

            const kept = join(scratch, "existing-state");
            mkdirSync(kept);
            writeFileSync(join(kept, "notes.txt"), "mine\n");
            const again = run(process.execPath, [cli, "--state-dir", kept, "--port", String(port)]);
            assert.equal(again.status, 1, again.stderr);
            assert.equal(readFileSync(join(kept, "notes.txt"), "utf8"), "mine\n", "a directory that existed is kept, with what it held");
        } finally {
            for (const server of held) server.close();
        }
    });

    it("without a file: prints export lines (ARM_* and AZURE_*), warns of a shell's own ARM_*, and removes its temporary CA on Ctrl-C", async () => {
        const running = Running.start(process.execPath, [cli, "--port", "0"], {
            env: { ...process.env, ARM_CLIENT_ID: "11111111-2222-3333-4444-555555555555" },
        });
        const [, caFile] = await running.waitFor(/export NODE_EXTRA_CA_CERTS='([^']+)'/);
        await running.waitFor(/Resources/);
        for (const name of [
            "ARM_CLIENT_ID",
            "ARM_TENANT_ID",
            "ARM_CLIENT_SECRET",
            "AZURE_CLIENT_ID",
            "AZURE_AUTHORITY_HOST",
            "AZURE_RESOURCE_MANAGER_ENDPOINT",
        ]) {
            assert.match(running.stdout, new RegExp(`^export ${name}='`, "m"));
        }
        assert.match(running.stdout, /This shell has ARM_CLIENT_ID set for another identity/);
        assert.ok(existsSync(caFile));
        assert.deepEqual(await running.stop("SIGINT"), { code: 0, signal: null });
        assert.ok(!existsSync(dirname(caFile)), "the temporary CA directory is gone");
    });

    it("--state-dir keeps the CA and the credentials across restarts; the environment file is unchanged on the same port", async () => {
        const stateDir = join(scratch, "state");
        const port = String(await freePort());
        const first = Running.start(process.execPath, [cli, "--state-dir", stateDir, "--port", port]);
        await first.waitFor(/Resources/);
        const envFile = join(stateDir, "env.sh");
        const text = readFileSync(envFile, "utf8");
        assert.equal(statSync(envFile).mode & 0o077, 0, "the file holding the secret is the owner's only");
        assert.equal(statSync(join(stateDir, "ca-key.pem")).mode & 0o077, 0);
        assert.deepEqual(await first.stop("SIGTERM"), { code: 0, signal: null });
        assert.ok(existsSync(join(stateDir, "ca.pem")), "the state directory is kept");

        const second = Running.start(process.execPath, [cli, "--state-dir", stateDir, "--port", port]);
        await second.waitFor(/Resources/);
        assert.match(second.stdout, /Unchanged since it was last written/);
        assert.equal(readFileSync(envFile, "utf8"), text);
        await second.stop();

        // Loaded over a shell that has its own identity for real Azure, the emulator's wins everywhere.
        const shell = loaded(envFile, {
            ARM_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
            ARM_CLIENT_SECRET: "real-looking-secret",
            ARM_TENANT_ID: "66666666-7777-8888-9999-000000000000",
            ARM_CLIENT_CERTIFICATE_PATH: "/home/me/sp.pfx",
        });
        const identity = JSON.parse(readFileSync(join(stateDir, "identity.json"), "utf8"));
        assert.equal(shell.ARM_CLIENT_ID, identity.clientId);
        assert.equal(shell.ARM_CLIENT_SECRET, identity.clientSecret);
        assert.equal(shell.ARM_TENANT_ID, identity.tenantId);
        assert.equal(shell.AZURE_CLIENT_ID, identity.clientId);
        assert.equal(shell.ARM_CLIENT_CERTIFICATE_PATH, undefined);
        assert.equal(shell.NODE_EXTRA_CA_CERTS, join(stateDir, "ca.pem"));
        assert.equal(shell.AZURE_RESOURCE_MANAGER_ENDPOINT, `https://127.0.0.1:${port}`);
    });

    it("loading the environment changes no variable but its own: the shell's proxies, npm's and a CA it trusts stay as they were", async () => {
        const stateDir = join(scratch, "leaves-the-shell-alone");
        const emulator = Running.start(process.execPath, [cli, "--state-dir", stateDir, "--port", "0"]);
        await emulator.waitFor(/Resources/);
        await emulator.stop();
        const envFile = join(stateDir, "env.sh");
        const header = readFileSync(envFile, "utf8")
            .split("\n")
            .filter((l) => l.startsWith("#"))
            .join("\n");
        assert.match(header, /no HTTPS_PROXY or NO_PROXY, so npm, the Pulumi CLI and\n# every other tool in the shell reach the network as they did before/);

        const corporateCa = join(scratch, "corporate-ca.pem");
        writeFileSync(corporateCa, "-----BEGIN CERTIFICATE-----\ncorporate\n-----END CERTIFICATE-----\n");
        const home = mkdtempSync(join(scratch, "home-"));
        const own = ["AZURE_AUTHORITY_HOST", "AZURE_RESOURCE_MANAGER_ENDPOINT", "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"];
        const emulatorsOwn = new Set([...own, "ARM_TENANT_ID", "ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "KEY_ROTATION_DATA_PLANE_PROXY", "NODE_EXTRA_CA_CERTS"]);
        for (const shell of [
            { HOME: home },
            {
                HOME: home,
                HTTPS_PROXY: "http://proxy.corp.example:3128",
                https_proxy: "http://proxy.corp.example:3128",
                HTTP_PROXY: "http://proxy.corp.example:3128",
                NO_PROXY: ".corp.example,localhost,127.0.0.1",
                no_proxy: ".corp.example,localhost,127.0.0.1",
                npm_config_registry: "https://npm.corp.example/",
                NODE_EXTRA_CA_CERTS: corporateCa,
            },
        ] as NodeJS.ProcessEnv[]) {
            const before = loaded("/dev/null", shell);
            const after = loaded(envFile, shell);
            const changed = Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k] && !["_", "SHLVL", "PWD", "OLDPWD"].includes(k));
            assert.deepEqual(
                changed.filter((k) => !emulatorsOwn.has(k)),
                [],
                "nothing but the emulator's own variables changed",
            );
            for (const name of ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "NO_PROXY", "no_proxy"]) {
                assert.equal(after[name], before[name], `${name} as the shell had it`);
            }
            // npm's own proxy resolution (it reads HTTPS_PROXY, https_proxy, npm_config_*) is what it was.
            const npmConfig = (file: string) => {
                const result = run("bash", ["-c", `. '${file}' && npm config get https-proxy proxy noproxy registry`], {
                    env: { PATH: process.env.PATH, ...shell },
                });
                assert.equal(result.status, 0, result.stderr);
                return result.stdout;
            };
            assert.equal(npmConfig(envFile), npmConfig("/dev/null"));
            // A CA file the shell trusted stays trusted, beside the emulator's, also when the file is loaded twice.
            const ca = readFileSync(join(stateDir, "ca.pem"), "utf8");
            if (shell.NODE_EXTRA_CA_CERTS) {
                const twice = run("bash", ["-c", `. '${envFile}' && . '${envFile}' && cat "$NODE_EXTRA_CA_CERTS"`], {
                    env: { PATH: process.env.PATH, ...shell },
                });
                assert.equal(twice.stdout, `${readFileSync(corporateCa, "utf8")}${ca}`);
                assert.equal(readFileSync(after.NODE_EXTRA_CA_CERTS, "utf8"), twice.stdout);
            } else {
                assert.equal(after.NODE_EXTRA_CA_CERTS, join(stateDir, "ca.pem"));
            }
            assert.match(after.KEY_ROTATION_DATA_PLANE_PROXY, /^http:\/\/127\.0\.0\.1:\d+$/);
        }
    });

    it("--write-env writes the environment there and says when a restart changed it", async () => {
        const envFile = join(scratch, "nested", "rehearsal.env");
        const first = Running.start(process.execPath, [cli, "--write-env", envFile, "--port", "0"]);
        await first.waitFor(/Resources/);
        assert.match(first.stdout, new RegExp(`Environment written to ${envFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
        const before = readFileSync(envFile, "utf8");
        await first.stop();
        const second = Running.start(process.execPath, [cli, "--write-env", envFile, "--port", "0"]);
        await second.waitFor(/Resources/);
        await second.stop();
        assert.match(second.stdout, /It changed since it was last written \(new credentials and CA\): load it again in every shell/);
        assert.notEqual(readFileSync(envFile, "utf8"), before);
    });
});
