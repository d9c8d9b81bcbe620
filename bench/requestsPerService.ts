/**
 * ARM requests per rotation of every catalog service: one KeyRotation of each created, then rotated
 * twice, through Pulumi's dynamic-provider host against an emulator in this process (verification
 * off: these are ARM's requests). A count, not a timing: the same on any machine.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AzureEmulator, sampleResourceIds } from "../emulator";
import { captureRegistrations, keyRotationUrn, ProviderHost, programDirectory, type ResourceState, up } from "../scripts/engine";
import { KeyRotation, type KeyTypeName } from "../src";
import { CATALOG, pairOf } from "../src/catalog";

/** One service's ARM requests: on create, and per later rotation (status polls counted apart). */
export interface ServiceRequests {
    service: string;
    keyType: string;
    /** The first rotation: the resource's GET and the keys read before the regenerate, then the rotation. */
    create: number;
    /** A later rotation, without status polls: the regenerate, and a read-back where its answer lacks the keys. */
    rotation: number;
    /** Status polls of a long-running regenerate, per rotation (the emulator answers after one). */
    polls: number;
    /** Each request of a later rotation, by operation. */
    operations: string[];
}

const POLLS = new Set(["OperationStatus", "OperationResult"]);

/** Measures every catalog service. `caDir` holds the CA (ca.pem, ca-key.pem) this process trusts. */
export async function requestsPerService(caDir: string, root: string): Promise<ServiceRequests[]> {
    const ca = { certPem: readFileSync(join(caDir, "ca.pem"), "utf8"), keyPem: readFileSync(join(caDir, "ca-key.pem"), "utf8") };
    const emulator = await AzureEmulator.start({ ca, caFile: join(caDir, "ca.pem"), lro: { pollsUntilDone: 1, retryAfterSeconds: 0 } });
    const dir = programDirectory(root);
    let host: ProviderHost | undefined;
    try {
        host = await ProviderHost.start({ cwd: dir, env: emulator.env() });
        const ids = sampleResourceIds("perservice");
        const rows: ServiceRequests[] = [];
        for (const entry of CATALOG) {
            const keyType = (
                pairOf(entry, "Alternate") ? "Alternate" : (entry.keyTypes.find((k) => k.consumer)?.name ?? entry.keyTypes[0].name)
            ) as KeyTypeName;
            emulator.createResource(ids[entry.service]);
            const [registration] = await captureRegistrations(() => [
                new KeyRotation(`perservice-${entry.service}`, { resourceId: ids[entry.service], keyType, trigger: "1", verify: false }),
            ]);
            const urn = keyRotationUrn(registration.name);
            const count = () => emulator.armRequests().filter((r) => !POLLS.has(r.operation));
            const polls = () => emulator.armRequests().filter((r) => POLLS.has(r.operation)).length;
            emulator.clearRequests();
            let state: ResourceState;
            ({ state } = await up(host, urn, registration.inputs));
            const create = count().length;
            let rotation = 0;
            let pollCount = 0;
            let operations: string[] = [];
            for (const trigger of ["2", "3"]) {
                emulator.clearRequests();
                ({ state } = await up(host, urn, { ...registration.inputs, trigger }, state));
                operations = count().map((r) => r.operation);
                rotation = Math.max(rotation, operations.length);
                pollCount = Math.max(pollCount, polls());
            }
            rows.push({ service: entry.service, keyType, create, rotation, polls: pollCount, operations });
        }
        return rows;
    } finally {
        await host?.stop();
        await emulator.stop();
        rmSync(dir, { recursive: true, force: true });
    }
}

/** The table bench/README.md and latest.md show. */
export function requestsPerServiceTable(rows: readonly ServiceRequests[]): string[] {
    return [
        "| ARM requests, every service (verification off) | keyType | create | each later rotation | of which | + status polls |",
        "|---|---|---:|---:|---|---:|",
        ...rows.map((r) => `| ${r.service} | ${r.keyType} | ${r.create} | ${r.rotation} | ${r.operations.join(", ")} | ${r.polls} |`),
        "",
    ];
}
