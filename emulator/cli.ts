#!/usr/bin/env node
/**
 * `azure-key-rotation-emulator` (`npm run emulator` in a checkout): starts the Azure emulator,
 * creates one resource of each supported kind and writes or prints the environment a shell needs
 * to run `pulumi up` against it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, relative, resolve } from "node:path";
import { parseResourceId } from "../src/core/resourceId";
import { parseCommandLine, refuse } from "./commandLine";
import type { EmulatedKeyVault } from "./dataPlane/keyVault";
import { sampleKeyVaultName, sampleResourceIds } from "./samples";
import { AzureEmulator } from "./server";

const DEFAULT_PORT = 8443;
const DEFAULT_RESOURCE_GROUP = "rehearsal-rg";

const spec = {
    usage: `Usage: azure-key-rotation-emulator [options]
       npm run emulator -- [options]          (in a clone of pulumi-azure-key-rotation)

Starts a local Azure on https://127.0.0.1 (Microsoft Entra ID sign-in and the ARM key operations
of every supported service, TLS with its own CA), creates one resource of each supported kind, and
writes (or prints) the environment that points \`pulumi up\` at it. Runs until Ctrl-C.

Options:
  --state-dir DIR        keep the CA and the credentials in DIR, so they stay the same across
                         restarts, and write the environment to DIR/env.sh
  --write-env FILE       write the environment to FILE (load it with \`. FILE\`); without this
                         or --state-dir, the environment is printed as export lines
  --port N               port to listen on (default ${DEFAULT_PORT}; --port 0 picks a free one)
  --resource-group NAME  resource group of the resources it creates (default ${DEFAULT_RESOURCE_GROUP})
  --key-propagation-ms N every data plane refuses a newly regenerated key for N ms, as Azure's
                         propagation across regions and gateways looks to a client (default 0)
  -h, --help             print this help

The environment sets the emulator's endpoints (AZURE_AUTHORITY_HOST,
AZURE_RESOURCE_MANAGER_ENDPOINT), NODE_EXTRA_CA_CERTS (its CA; Node reads it only when a process
starts), and its credentials under both azure-native's names (ARM_CLIENT_ID, ARM_TENANT_ID,
ARM_CLIENT_SECRET, which come first) and DefaultAzureCredential's (AZURE_*), and
KEY_ROTATION_DATA_PLANE_PROXY: its proxy, through which the provider reaches the services' data
planes (to prove new keys) and Key Vault by their real host names (it refuses every other host). It sets no
HTTPS_PROXY or NO_PROXY: npm and other tools in that shell reach the network as before, and a CA
file the shell already trusts stays trusted. Stack config (azure-native:clientId, ...) comes before
any variable: rehearse in a stack without it.
`,
    config: {
        options: {
            port: { type: "string" },
            "state-dir": { type: "string" },
            "write-env": { type: "string" },
            "resource-group": { type: "string" },
            "key-propagation-ms": { type: "string" },
        },
    },
} as const;

/** Variables a shell may hold that would change how the provider signs in, whatever the file sets. */
const UNSET = ["ARM_CLIENT_CERTIFICATE_PATH"];

/** What each variable of the environment is, for the comment at the top of the file. */
const SETS: Array<[names: string[], what: string]> = [
    [["AZURE_AUTHORITY_HOST", "AZURE_RESOURCE_MANAGER_ENDPOINT"], "the emulator's sign-in and ARM endpoint"],
    [
        ["ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_CLIENT_SECRET", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET"],
        "the emulator's credentials (ARM_* come before AZURE_*, azure-native's order, so both are set)",
    ],
    [
        ["KEY_ROTATION_DATA_PLANE_PROXY"],
        "the emulator's proxy, through which the provider proves new keys on the services' data planes and writes to Key Vault, by their real host names (read by this package only)",
    ],
    [["NODE_EXTRA_CA_CERTS"], "the emulator's CA; a CA file this shell trusted already stays trusted (both, in a bundle beside the CA)"],
];

/** A value quoted for a POSIX shell. */
const quoted = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * The shell lines that set `env`. NODE_EXTRA_CA_CERTS names one file, so a CA file the shell
 * already trusts (a company's TLS-inspecting proxy, say) is kept in a bundle with the emulator's:
 * replacing it would change how npm and other Node tools reach the network. The shell's own file is
 * remembered in KEY_ROTATION_SHELL_CA (a shell variable, not exported), so loading the file again
 * rebuilds the bundle from it.
 */
function shellLines(env: Record<string, string>): string[] {
    const named = new Set(SETS.flatMap(([names]) => names));
    const undescribed = Object.keys(env).filter((k) => !named.has(k));
    if (undescribed.length > 0) throw new Error(`the environment file would not say what ${undescribed.join(", ")} is`);
    const ca = env.NODE_EXTRA_CA_CERTS;
    const bundle = join(dirname(ca), "ca-with-shell-ca.pem");
    return [
        `unset ${UNSET.join(" ")}`,
        `if [ -n "\${NODE_EXTRA_CA_CERTS-}" ] && [ "$NODE_EXTRA_CA_CERTS" != ${quoted(ca)} ] && [ "$NODE_EXTRA_CA_CERTS" != ${quoted(bundle)} ]; then KEY_ROTATION_SHELL_CA="$NODE_EXTRA_CA_CERTS"; fi`,
        ...Object.entries(env).map(([k, v]) => `export ${k}=${quoted(v)}`),
        `if [ -n "\${KEY_ROTATION_SHELL_CA-}" ]; then cat "$KEY_ROTATION_SHELL_CA" ${quoted(ca)} > ${quoted(bundle)} && export NODE_EXTRA_CA_CERTS=${quoted(bundle)}; fi`,
    ];
}

function envFileText(env: Record<string, string>, url: string, file: string): string {
    return [
        `# The Azure emulator on ${url}, for the shell that runs \`pulumi up\`: . ${shellPath(file)}`,
        "# It sets these variables and nothing else; no HTTPS_PROXY or NO_PROXY, so npm, the Pulumi CLI and",
        "# every other tool in the shell reach the network as they did before:",
        ...SETS.map(([names, what]) => `#   ${names.join(", ")}: ${what}`),
        `# and it unsets ${UNSET.join(", ")}, which would sign in as another identity.`,
        ...shellLines(env),
        "",
    ].join("\n");
}

/** The path as a user types it in the current directory: relative when that is shorter. */
function shellPath(file: string): string {
    const rel = relative(process.cwd(), file);
    return rel && !rel.startsWith("..") && rel.length < file.length ? (rel.includes("/") ? rel : `./${rel}`) : file;
}

function portOf(text: string | undefined): number {
    if (text === undefined) return DEFAULT_PORT;
    const port = Number(text);
    if (!/^\d+$/.test(text) || port > 65535) refuse(spec, `--port must be a port number from 0 to 65535, got "${text}"`);
    return port;
}

/** Whether 127.0.0.1:`port` can be listened on now. */
function portFree(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const server = createServer();
        server.once("error", () => resolve(false));
        server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
}

/**
 * A port above `busy` that is free now together with the one after it, which the emulator's proxy
 * takes (so `--port 8444` is not suggested when 8443 is another emulator's and 8444 its proxy's).
 */
async function freePair(busy: number): Promise<number | undefined> {
    for (let port = busy + 1; port < Math.min(busy + 100, 65535); port++) {
        if ((await portFree(port)) && (await portFree(port + 1))) return port;
    }
    return undefined;
}

/** Why the emulator could not listen, in words a user can act on. */
async function listenProblem(error: unknown, port: number): Promise<string | undefined> {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === "EADDRINUSE") {
        const next = await freePair(port);
        const choose = next ? `choose another port with --port ${next} (free now, and ${next + 1} for its proxy), ` : "";
        return (
            `port ${port} on 127.0.0.1 is already in use (another emulator still running?). ` +
            `Stop what holds it, ${choose}or let the system pick a free one with --port 0 ` +
            "(the environment it writes names the port)."
        );
    }
    if (code === "EACCES") return `port ${port} needs privileges this user lacks; use a port above 1023, or --port 0.`;
    return undefined;
}

/** The outermost directory `mkdirSync(dir, { recursive: true })` would create, or undefined if `dir` exists. */
function firstMissing(dir: string): string | undefined {
    if (existsSync(dir)) return undefined;
    let top = dir;
    while (!existsSync(dirname(top)) && dirname(top) !== top) top = dirname(top);
    return top;
}

async function main(): Promise<void> {
    const { values } = parseCommandLine(spec);
    const port = portOf(values.port);
    const stateDir = values["state-dir"] ? resolve(values["state-dir"]) : undefined;
    const envFile = values["write-env"] ? resolve(values["write-env"]) : stateDir ? join(stateDir, "env.sh") : undefined;
    const resourceGroup = values["resource-group"] ?? DEFAULT_RESOURCE_GROUP;
    const propagation = values["key-propagation-ms"] ?? "0";
    if (!/^\d+$/.test(propagation)) refuse(spec, `--key-propagation-ms takes a whole number of milliseconds, got "${propagation}"`);
    const keyPropagationMs = Number(propagation);
    const resources = Object.values(sampleResourceIds("rehearsal", resourceGroup));
    const invalid = resources.map(parseResourceId).find((parsed) => !parsed.ok);
    if (invalid && !invalid.ok) refuse(spec, `--resource-group "${resourceGroup}" cannot be used: the resource id ${invalid.reason}`);

    // A start that fails removes the state directory it made (nothing in it is of use); one that existed is kept.
    const madeStateDir = stateDir ? firstMissing(stateDir) : undefined;
    let emulator: AzureEmulator | undefined;
    let env: Record<string, string>;
    let vault: EmulatedKeyVault;
    try {
        emulator = await AzureEmulator.start({ port, stateDir, keyPropagationMs });
        for (const id of resources) emulator.createResource(id);
        vault = emulator.createKeyVault(sampleKeyVaultName("rehearsal"));
        // The services' data planes (where new keys are proven) are reached through its proxy, by their real host names.
        env = await emulator.rehearsalEnvWithProxy();
    } catch (error) {
        await emulator?.stop();
        if (madeStateDir) rmSync(madeStateDir, { recursive: true, force: true });
        const problem = await listenProblem(error, port);
        console.error(`azure-key-rotation-emulator: ${problem ?? (error instanceof Error ? error.message : String(error))}`);
        process.exit(1);
    }

    // Ctrl-C (or SIGTERM) stops it cleanly from here on, before anything is printed.
    const running = emulator;
    let served = 0;
    let log: NodeJS.Timeout | undefined;
    let stopping = false;
    const stop = (signal: string) => {
        if (stopping) process.exit(1); // a second Ctrl-C: do not wait
        stopping = true;
        clearInterval(log);
        void running.stop().then(() => {
            console.log(`\n${signal}: emulator stopped.`);
            process.exit(0);
        });
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));

    console.log(`Azure emulator listening on ${emulator.url} (Ctrl-C to stop)\n`);
    if (envFile) {
        const text = envFileText(env, emulator.url, envFile);
        const before = existsSync(envFile) ? readFileSync(envFile, "utf8") : undefined;
        mkdirSync(dirname(envFile), { recursive: true });
        writeFileSync(envFile, text, { mode: 0o600 });
        console.log(`Environment written to ${envFile}. In the shell that runs \`pulumi up\`:\n\n  . ${shellPath(envFile)}\n`);
        if (before !== undefined && before !== text) {
            console.log(`It changed since it was last written${stateDir ? " (another port)" : " (new credentials and CA)"}: load it again in every shell.\n`);
        } else if (before !== undefined) {
            console.log("Unchanged since it was last written: shells that loaded it are still set.\n");
        }
    } else {
        console.log("Environment for the shell that runs `pulumi up` (credentials of the emulator only; ARM_* come before AZURE_*):");
        for (const line of shellLines(env)) console.log(line);
        console.log("\nA restart makes new credentials and a new CA: paste these again then, or use --state-dir DIR to keep them.\n");
    }
    const shadowed = ["ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_CLIENT_SECRET"].filter((k) => process.env[k] && process.env[k] !== env[k]);
    if (shadowed.length > 0) {
        console.log(
            `This shell has ${shadowed.join(", ")} set for another identity. azure-native's ARM_* variables come before AZURE_*: ` +
                "the environment above sets them too, so load all of it in the shell that runs `pulumi up`.\n",
        );
    }
    // The resource list is what a reader waits for (the emulator is ready then): one write, so it
    // arrives whole, and Ctrl-C is already handled when it does.
    console.log(
        [
            "Resources (keys are regenerated in memory; nothing persists):",
            ...resources.map((id) => `  ${id}`),
            `Key Vault (secrets kept in memory, through the proxy): ${vault.uri}`,
            "",
        ].join("\n"),
    );
    log = setInterval(() => {
        for (const r of running.requests.slice(served)) console.log(`${r.at} ${r.status} ${r.method} ${r.operation}${r.fault ? ` (fault: ${r.fault})` : ""}`);
        served = running.requests.length;
    }, 500);
}

main().catch((error) => {
    console.error(`azure-key-rotation-emulator: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
});
