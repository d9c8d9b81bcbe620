import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AzureEmulator, type EmulatorOptions, type RequestLogEntry, sampleResourceIds } from "../../emulator";
import { keySetOutputs, type ServiceEntry } from "../../src/catalog";
import { ownedOutputs } from "../../src/core/keySet";

/**
 * Starts an emulator on port 0 whose certificate chains to the run's CA (see scripts/runTests),
 * so this process and the processes it spawns trust it with TLS checks on.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<AzureEmulator> {
    const dir = process.env.KEY_ROTATION_TEST_CA_DIR;
    if (!dir) throw new Error("run the tests with `npm test`: it creates the CA the emulator's certificate chains to");
    const ca = { certPem: readFileSync(join(dir, "ca.pem"), "utf8"), keyPem: readFileSync(join(dir, "ca-key.pem"), "utf8") };
    const emulator = await AzureEmulator.start({ lro: { retryAfterSeconds: 0, pollsUntilDone: 2 }, ...options, ca, caFile: process.env.NODE_EXTRA_CA_CERTS });
    // Guarantee 1, checked for every test run: no bearer token ever went to an origin but ARM's.
    const stop = emulator.stop.bind(emulator);
    const leaks: RequestLogEntry[] = [];
    const clear = emulator.clearRequests.bind(emulator);
    emulator.clearRequests = () => {
        leaks.push(...emulator.tokenLeaks());
        clear();
    };
    emulator.stop = async () => {
        await stop();
        leaks.push(...emulator.tokenLeaks());
        if (leaks.length > 0) throw new Error(`a bearer token was sent to another origin than ARM's: ${JSON.stringify(leaks)}`);
    };
    return emulator;
}

/** Resource ids of one of each kind, in one resource group. */
export function resourceIds(prefix = "rot"): Record<string, string> {
    return sampleResourceIds(prefix);
}

/** The values a KeyRotation of `keyType` must output for a service: what the service always returns, cut to what it owns. */
export function expectedOutputs(entry: ServiceEntry, keyType: string): string[] {
    const owned = ownedOutputs(entry, keyType);
    return keySetOutputs(entry).required.filter((name) => owned.has(name));
}
