/**
 * `npm run demo`: a rotation end to end against the embedded Azure emulator, through Pulumi's own
 * dynamic-provider host, making the calls `pulumi up` and `pulumi refresh` make. Prints what
 * happened and short fingerprints of the keys, never the keys.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AzureEmulator, createCertificateAuthority, sampleResourceIds } from "../emulator";
import { KeyRotation } from "../src";
import { writeCaBundle } from "./caBundle";
import { captureRegistrations, keyRotationUrn, ProviderHost, programDirectory, type ResourceState, refresh, stateAged, up } from "./engine";

const root = join(__dirname, "..", "..");
const samples = sampleResourceIds("demo");
const targets = {
    logicApp: samples["logic-apps-standard"],
    communication: samples.communication,
    apimTenant: samples["apim-tenant-access"],
    apimSubscription: samples["apim-subscription"],
    signalr: samples.signalr,
};

/** The example program: what a user would write in index.ts. */
const rotations: Array<{ name: string; resourceId: string; keyType?: string; rotateEvery?: string }> = [
    { name: "orders-workflow-key", resourceId: targets.logicApp, keyType: "Primary" },
    // keyType left out: Alternate, the zero-downtime default.
    { name: "acs-key", resourceId: targets.communication, rotateEvery: "30d" },
    { name: "apim-management-key", resourceId: targets.apimTenant, keyType: "Secondary" },
    { name: "mobile-app-subscription-key", resourceId: targets.apimSubscription },
    { name: "signalr-primary", resourceId: targets.signalr, keyType: "Primary" },
    { name: "signalr-secondary", resourceId: targets.signalr, keyType: "secondary" },
];

const fingerprint = (value: unknown): string =>
    typeof value === "string"
        ? createHash("sha256").update(value).digest("hex").slice(0, 8)
        : value && typeof value === "object"
          ? fingerprint(JSON.stringify(value))
          : "-";

function describe(outputs: Record<string, unknown>): string {
    const parts = (["primaryKey", "secondaryKey", "callbackUrls"] as const)
        .filter((k) => outputs[k] !== undefined)
        .map((k) => `${k.replace("Key", "")} ${fingerprint(outputs[k])}`);
    if (typeof outputs.activeKeyType === "string") parts.push(`active ${outputs.activeKeyType}${outputs.keyType === "Alternate" ? " (Alternate)" : ""}`);
    return parts.join("  ");
}

async function main(): Promise<void> {
    const caDir = mkdtempSync(join(tmpdir(), "key-rotation-demo-"));
    const ca = createCertificateAuthority();
    const bundle = writeCaBundle(caDir, ca);
    const emulator = await AzureEmulator.start({ ca, caFile: bundle, lro: { retryAfterSeconds: 1, pollsUntilDone: 1 } });
    const programDir = programDirectory(root);
    let host: ProviderHost | undefined;
    try {
        console.log(`Azure emulator on ${emulator.url}; creating one resource of each kind`);
        for (const id of Object.values(targets))
            emulator.createResource(
                id,
                id === targets.logicApp
                    ? {
                          triggers: [
                              { name: "manual", kind: "Request" },
                              { name: "webhook", kind: "Request" },
                              { name: "nightly", kind: "Recurrence" },
                          ],
                      }
                    : {},
            );

        // What `pulumi up` sends for each resource: the inputs, serialized provider included.
        const registrations = await captureRegistrations(() =>
            rotations.map(
                (r) => new KeyRotation(r.name, { resourceId: r.resourceId, keyType: r.keyType, rotateEvery: r.rotateEvery, trigger: "2026-11", verify: false }),
            ),
        );
        const providerSize = String(registrations[0].inputs.__provider).length;
        console.log(`Serialized provider: ${providerSize} bytes per resource, no credentials in it\n`);

        host = await ProviderHost.start({ cwd: programDir, env: emulator.env() });
        const state = new Map<string, ResourceState>();
        const deploy = async (title: string, triggers: Record<string, string>) => {
            console.log(title);
            emulator.clearRequests();
            const results = await Promise.all(
                registrations.map(async (reg) => {
                    const inputs = { ...reg.inputs, trigger: triggers[reg.name] ?? "2026-11" };
                    const { step, state: next } = await up(host!, keyRotationUrn(reg.name), inputs, state.get(reg.name));
                    state.set(reg.name, next);
                    return { name: reg.name, step, outputs: next.outputs };
                }),
            );
            for (const r of results) console.log(`  ${r.name.padEnd(28)} ${r.step.padEnd(7)} ${describe(r.outputs)}`);
            const arm = emulator.armRequests();
            console.log(`  ARM requests: ${arm.length}${arm.length ? ` (${summarise(arm.map((a) => a.operation))})` : ""}\n`);
        };

        await deploy("1. pulumi up (first deployment): every key regenerated and read back", {});
        await deploy("2. pulumi up again, same triggers: nothing to do, nothing called", {});
        await deploy("3. pulumi up with acs-key's trigger bumped to 2026-12: that key rotated, the others untouched", { "acs-key": "2026-12" });

        console.log("4. someone regenerates the ACS secondary key in the portal; pulumi refresh picks it up");
        const before = state.get("acs-key")!;
        emulator.regenerate(targets.communication, "Secondary");
        emulator.clearRequests();
        const refreshed = await refresh(host, before);
        if (!refreshed) throw new Error("the refresh reported the ACS resource gone");
        state.set("acs-key", refreshed);
        console.log(`  acs-key before refresh: ${describe(before.outputs)}`);
        console.log(`  acs-key after refresh:  ${describe(refreshed.outputs)}`);
        console.log(`  ARM requests: ${emulator.armRequests().length} (${summarise(emulator.armRequests().map((a) => a.operation))})\n`);

        console.log("5. zero downtime: an app authenticates with acs-key's activeConnectionString while it rotates (trigger 2027-01)");
        const app = String(state.get("acs-key")!.outputs.activeConnectionString);
        const acsInputs = { ...registrations.find((r) => r.name === "acs-key")!.inputs, trigger: "2027-01" };
        const { state: rotated } = await up(host, keyRotationUrn("acs-key"), acsInputs, state.get("acs-key"));
        state.set("acs-key", rotated);
        console.log(`  regenerated ${rotated.outputs.rotatedKeyType}; active ${rotated.outputs.activeKeyType}, previous ${rotated.outputs.previousKeyType}`);
        console.log(`  the app's key from before the rotation: ${emulator.authenticate(targets.communication, app) ? "still accepted" : "REFUSED"}`);
        console.log(
            `  the new activeConnectionString:          ${emulator.authenticate(targets.communication, String(rotated.outputs.activeConnectionString)) ? "accepted" : "REFUSED"}\n`,
        );

        console.log("6. 31 days later (the state's clock moved back 31 days): acs-key's rotateEvery 30d is due");
        const aged = stateAged(rotated, 31);
        const preview = await host.check(keyRotationUrn("acs-key"), aged.inputs, acsInputs);
        console.log(`  pulumi preview: update, rotationReason "${preview.inputs.rotationReason}"`);
        emulator.clearRequests();
        const scheduled = await up(host, keyRotationUrn("acs-key"), acsInputs, aged);
        const again = await up(host, keyRotationUrn("acs-key"), acsInputs, scheduled.state);
        console.log(
            `  pulumi up: ${scheduled.step}, regenerated ${scheduled.state.outputs.rotatedKeyType}, next due ${scheduled.state.outputs.nextRotationAt}`,
        );
        console.log(`  pulumi up again: ${again.step}; ARM requests for both: ${emulator.armRequests().length}\n`);

        console.log(`Outputs the engine keeps secret (additionalSecretOutputs): ${registrations[0].additionalSecretOutputs.join(", ")}`);
        console.log(`Access tokens issued by the emulator's Entra ID for the whole run: ${emulator.identity.issued}`);
    } finally {
        await host?.stop();
        await emulator.stop();
        rmSync(programDir, { recursive: true, force: true });
        rmSync(caDir, { recursive: true, force: true });
    }
}

function summarise(operations: string[]): string {
    const counts = new Map<string, number>();
    for (const op of operations) counts.set(op, (counts.get(op) ?? 0) + 1);
    return [...counts].map(([op, n]) => `${n}× ${op}`).join(", ");
}

main().catch((error) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
});
