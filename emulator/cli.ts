#!/usr/bin/env node
/**
 * `npm run emulator [-- --port 8443] [--key-propagation-ms N]`: starts the Azure emulator, creates one resource of each
 * supported kind and prints the environment to point Pulumi (or anything using @azure/identity) at it.
 */
import { sampleResourceIds } from "./samples";
import { AzureEmulator } from "./server";

function option(name: string, fallback: string): string {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
    const port = Number(option("port", "8443"));
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${option("port", "")}`);
    // How long every data plane refuses a newly generated key, as Azure's propagation does.
    const keyPropagationMs = Number(option("key-propagation-ms", "0"));
    if (!Number.isInteger(keyPropagationMs) || keyPropagationMs < 0)
        throw new Error(`--key-propagation-ms must be a whole number of milliseconds, got ${option("key-propagation-ms", "")}`);
    const emulator = await AzureEmulator.start({ port, keyPropagationMs });
    const resources = Object.values(sampleResourceIds("rehearsal", option("resource-group", "rehearsal-rg")));
    for (const id of resources) emulator.createResource(id);

    console.log(`Azure emulator listening on ${emulator.url} (Ctrl-C to stop)\n`);
    console.log("Environment for the shell that runs `pulumi up` (credentials of the emulator only):");
    for (const [k, v] of Object.entries(emulator.env())) console.log(`export ${k}=${JSON.stringify(v)}`);
    console.log("\nResources (keys are regenerated in memory; nothing persists):");
    for (const id of resources) console.log(`  ${id}`);
    console.log("");
    let served = 0;
    setInterval(() => {
        for (const r of emulator.requests.slice(served)) console.log(`${r.at} ${r.status} ${r.method} ${r.operation}${r.fault ? ` (fault: ${r.fault})` : ""}`);
        served = emulator.requests.length;
    }, 500).unref();
    const stop = () => void emulator.stop().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

main().catch((error) => {
    console.error(`emulator: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
});
