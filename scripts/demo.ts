/**
 * `npm run demo`: rotations end to end against the embedded Azure emulator, through Pulumi's own
 * dynamic-provider host, making the calls `pulumi up` and `pulumi refresh` make. Tells what each
 * step did: which key changed on Azure, which stayed valid, what each KeyRotation outputs. Prints
 * fingerprints of the keys, never the keys.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AzureEmulator, createCertificateAuthority, sampleKeyVaultName, sampleResourceIds } from "../emulator";
import { parseCommandLine } from "../emulator/commandLine";
import { KeyRotation, type KeyTypeName, type RotationInterval } from "../src";
import { parseResourceId } from "../src/core/resourceId";
import { writeCaBundle } from "./caBundle";
import { captureRegistrations, keyRotationUrn, ProviderHost, programDirectory, type ResourceState, refresh, stateAged, up } from "./engine";

const spec = {
    usage: `Usage: npm run demo
       node dist/scripts/demo.js   (after \`npm run build\`)

Starts the embedded Azure emulator, creates the resources of its program (a Storage account, a
Service Bus queue's rule, Communication Services, API Management, SignalR and a Logic Apps
workflow), and takes eight KeyRotations through the calls \`pulumi up\` and \`pulumi refresh\`
make, through Pulumi's own dynamic-provider host; then a ninth that delivers its keys to Key Vault
and keeps none in the state. Needs no Azure account and no Pulumi CLI; takes a
few seconds.

Options:
  -h, --help  print this help
`,
    config: { options: {} },
} as const;

const root = join(__dirname, "..", "..");
const samples = sampleResourceIds("demo");
const targets = {
    storage: samples.storage,
    serviceBus: samples["servicebus-queue"],
    logicApp: samples["logic-apps-standard"],
    communication: samples.communication,
    apimTenant: samples["apim-tenant-access"],
    apimSubscription: samples["apim-subscription"],
    signalr: samples.signalr,
};

/** The example program: what a user would write in index.ts. */
const rotations: Array<{ name: string; resourceId: string; keyType?: KeyTypeName; rotateEvery?: RotationInterval; note?: string }> = [
    { name: "storage-key", resourceId: targets.storage },
    { name: "orders-send-key", resourceId: targets.serviceBus, note: "the orders queue's send rule" },
    { name: "orders-workflow-key", resourceId: targets.logicApp, keyType: "Primary", note: "Logic Apps cannot alternate" },
    { name: "acs-key", resourceId: targets.communication, rotateEvery: "30d" },
    { name: "apim-management-key", resourceId: targets.apimTenant, keyType: "Secondary" },
    { name: "mobile-app-subscription-key", resourceId: targets.apimSubscription },
    { name: "signalr-primary", resourceId: targets.signalr, keyType: "Primary" },
    { name: "signalr-secondary", resourceId: targets.signalr, keyType: "Secondary", note: "the same SignalR" },
];

/** The first 8 hex digits of a value's SHA-256: the same fingerprint means the same key. */
const fingerprint = (value: unknown): string =>
    typeof value === "string"
        ? createHash("sha256").update(value).digest("hex").slice(0, 8)
        : value && typeof value === "object"
          ? fingerprint(JSON.stringify(value))
          : "-";

const lower = (keyType: string) => keyType.charAt(0).toLowerCase() + keyType.slice(1);
const titleOf = (resourceId: string) => {
    const parsed = parseResourceId(resourceId);
    return parsed.ok ? parsed.target.entry.title : resourceId;
};

/** The key outputs a KeyRotation has, as fingerprints: only the keys it owns. */
function outputs(state: ResourceState): string {
    const o = state.outputs;
    const parts = (["primaryKey", "secondaryKey", "callbackUrls"] as const).filter((k) => o[k] !== undefined).map((k) => `${k} ${fingerprint(o[k])}`);
    if (typeof o.activeKeyType === "string") parts.push(`active: ${o.activeKeyType}${o.verifiedAt ? " (proven on the data plane)" : ""}`);
    return parts.join(", ");
}

async function main(): Promise<void> {
    parseCommandLine(spec);
    const caDir = mkdtempSync(join(tmpdir(), "key-rotation-demo-"));
    const ca = createCertificateAuthority();
    const bundle = writeCaBundle(caDir, ca);
    const emulator = await AzureEmulator.start({ ca, caFile: bundle, lro: { retryAfterSeconds: 1, pollsUntilDone: 1 } });
    const programDir = programDirectory(root);
    let host: ProviderHost | undefined;

    /** The keys consumers hold (not SignalR's salt) of every target on the emulator: what Azure holds now. */
    const consumerKeys = (id: string) => {
        const parsed = parseResourceId(id);
        const keys = emulator.resource(id)!.keys;
        const names = parsed.ok ? parsed.target.entry.keyTypes.filter((k) => k.consumer).map((k) => k.name) : Object.keys(keys);
        return Object.fromEntries(names.filter((n) => keys[n] !== undefined).map((n) => [n, keys[n]]));
    };
    const azureKeys = () => new Map(Object.values(targets).map((id) => [id, consumerKeys(id)]));
    /** What changed on Azure between two snapshots, and what stayed (still valid), per resource. */
    const changes = (before: ReturnType<typeof azureKeys>) => {
        const lines: string[] = [];
        for (const [id, keys] of azureKeys()) {
            const old = before.get(id)!;
            const changed = Object.keys(keys).filter((k) => keys[k] !== old[k]);
            if (changed.length === 0) continue;
            const kept = Object.keys(keys).filter((k) => keys[k] === old[k]);
            lines.push(
                `    ${titleOf(id)}: ${changed.map((k) => `${lower(k)} key ${fingerprint(old[k])} → ${fingerprint(keys[k])}`).join(", ")}` +
                    (kept.length ? `; ${kept.map((k) => `${lower(k)} key ${fingerprint(keys[k])}`).join(", ")} unchanged, still valid` : ""),
            );
        }
        return lines.length ? lines.join("\n") : "    nothing";
    };
    const armSummary = () => {
        const arm = emulator.armRequests();
        return `${arm.length}${arm.length ? ` (${summarise(arm.map((a) => a.operation))})` : ""}`;
    };

    try {
        console.log(`pulumi-azure-key-rotation demo: ${rotations.length} KeyRotations through the calls \`pulumi up\` and \`pulumi refresh\` make,`);
        console.log(`run by Pulumi's own dynamic-provider host, against the embedded Azure emulator (${emulator.url}).`);
        console.log("Keys are shown as fingerprints, the first 8 hex digits of their SHA-256: the same fingerprint is the same key.\n");
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

        console.log("The program (index.ts), one KeyRotation per line:");
        for (const r of rotations) {
            const keyType = r.keyType ? `keyType "${r.keyType}"` : "keyType left out: Alternate, the zero-downtime default";
            console.log(
                `  ${r.name.padEnd(28)} ${titleOf(r.resourceId).padEnd(36)} ${keyType}${r.rotateEvery ? `, rotateEvery "${r.rotateEvery}"` : ""}${r.note ? ` (${r.note})` : ""}`,
            );
        }
        // What `pulumi up` sends for each resource: the inputs, serialized provider included.
        const registrations = (
            await captureRegistrations(() =>
                rotations.map(
                    (r) =>
                        new KeyRotation(r.name, {
                            resourceId: r.resourceId,
                            keyType: r.keyType,
                            rotateEvery: r.rotateEvery,
                            trigger: "2026-11",
                        }),
                ),
            )
        ).sort((a, b) => rotations.findIndex((r) => r.name === a.name) - rotations.findIndex((r) => r.name === b.name));
        console.log(`Each one's serialized provider, kept in the state: ${String(registrations[0].inputs.__provider).length} bytes, no credentials in it.\n`);

        // Through the emulator's proxy, the provider reaches each service's data plane to prove new keys (verification, on by default).
        host = await ProviderHost.start({ cwd: programDir, env: await emulator.rehearsalEnvWithProxy() });
        const state = new Map<string, ResourceState>();
        const deploy = async (title: string, explain: string, triggers: Record<string, string>) => {
            console.log(title);
            console.log(`  ${explain}`);
            emulator.clearRequests();
            const before = azureKeys();
            const same: string[] = [];
            for (const reg of registrations) {
                const inputs = { ...reg.inputs, trigger: triggers[reg.name] ?? "2026-11" };
                const { step, state: next } = await up(host!, keyRotationUrn(reg.name), inputs, state.get(reg.name));
                state.set(reg.name, next);
                if (step === "same") {
                    same.push(reg.name);
                    continue;
                }
                const what =
                    next.outputs.keyType === "Alternate"
                        ? `regenerated ${next.outputs.rotatedKeyType} and made it active; ${next.outputs.previousKeyType} stays valid`
                        : `regenerated ${next.outputs.rotatedKeyType} (fixed keyType): its old key is revoked at once`;
                console.log(`  ${reg.name.padEnd(28)} ${step.padEnd(7)} ${what}`);
                console.log(`  ${"".padEnd(36)} outputs: ${outputs(next)}`);
            }
            if (same.length === registrations.length) console.log("  every KeyRotation: same, nothing to do");
            else if (same.length > 0) console.log(`  the others (${same.join(", ")}): same, nothing to do`);
            console.log(`  On Azure:\n${changes(before)}`);
            console.log(`  ARM requests: ${armSummary()}\n`);
        };

        await deploy(
            "1. pulumi up, the first deployment",
            "Each KeyRotation regenerates one key (its keyType's; with Alternate the secondary, as the primary is assumed in use) and reads the keys back.",
            {},
        );
        await deploy("2. pulumi up again, same triggers", "Nothing is due, so nothing is called.", {});
        await deploy(
            "3. pulumi up with acs-key's trigger bumped to 2026-12",
            "Only acs-key rotates. Alternate regenerates the key that is not active and makes it active; the one active until now stays valid.",
            { "acs-key": "2026-12" },
        );

        console.log("4. Someone regenerates the Communication Services secondary key in the portal; pulumi refresh reads it");
        const before = state.get("acs-key")!;
        emulator.regenerate(targets.communication, "Secondary");
        emulator.clearRequests();
        const refreshed = await refresh(host, before);
        if (!refreshed) throw new Error("the refresh reported the ACS resource gone");
        state.set("acs-key", refreshed);
        console.log(`  acs-key outputs before: ${outputs(before)}`);
        console.log(`  acs-key outputs after:  ${outputs(refreshed)}`);
        console.log(`  Nothing regenerated; ARM requests: ${armSummary()}\n`);

        console.log("5. Zero downtime: an app holding acs-key's activeConnectionString while acs-key rotates (trigger 2027-01)");
        const app = String(state.get("acs-key")!.outputs.activeConnectionString);
        const acsInputs = { ...registrations.find((r) => r.name === "acs-key")!.inputs, trigger: "2027-01" };
        const { state: rotated } = await up(host, keyRotationUrn("acs-key"), acsInputs, state.get("acs-key"));
        state.set("acs-key", rotated);
        console.log(`  regenerated ${rotated.outputs.rotatedKeyType}, now active; ${rotated.outputs.previousKeyType}, active before, is untouched`);
        console.log(
            `  the app's connection string from before the rotation: ${emulator.authenticate(targets.communication, app) ? "still accepted" : "REFUSED"}`,
        );
        const fresh = String(rotated.outputs.activeConnectionString);
        console.log(`  the new activeConnectionString:                        ${emulator.authenticate(targets.communication, fresh) ? "accepted" : "REFUSED"}`);
        console.log("  Apps move to the new key at their next deployment; the key they hold is revoked only by the rotation after.\n");

        console.log("6. 31 days later (the state's clock moved back 31 days): acs-key's rotateEvery 30d is due");
        const aged = stateAged(rotated, 31);
        const preview = await host.check(keyRotationUrn("acs-key"), aged.inputs, acsInputs);
        console.log(`  pulumi preview shows an update, rotationReason "${preview.inputs.rotationReason}"`);
        emulator.clearRequests();
        const scheduled = await up(host, keyRotationUrn("acs-key"), acsInputs, aged);
        const scheduledAt = Date.now();
        const again = await up(host, keyRotationUrn("acs-key"), acsInputs, scheduled.state);
        console.log(
            `  pulumi up: ${scheduled.step}, regenerated ${scheduled.state.outputs.rotatedKeyType}, next due ${scheduled.state.outputs.nextRotationAt}`,
        );
        console.log(`  pulumi up again: ${again.step}, nothing called; ARM requests for both: ${emulator.armRequests().length}\n`);

        console.log("7. Azure does not accept a new key everywhere at once: now the emulator's services take 2 s to accept one");
        console.log("  Verification (on by default) proves the new key on the service's own data plane before consumers move to it.");
        emulator.keyPropagationMs = 2_000;
        // The key consumers hold (Primary, regenerated by step 6 a moment ago in real time, 31 days ago in
        // the story) has propagated on Azure by now: let it pass the emulator's delay too, or the service
        // would refuse both keys, which is what a firewall looks like, and verification would say so.
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 2_000 - (Date.now() - scheduledAt))));
        emulator.clearRequests();
        const acsLater = { ...acsInputs, trigger: "2027-02" };
        const started = Date.now();
        const proven = await up(host, keyRotationUrn("acs-key"), acsLater, again.state);
        state.set("acs-key", proven.state);
        emulator.keyPropagationMs = 0;
        const probes = emulator.dataPlaneRequests();
        console.log(
            `  pulumi up: regenerated ${proven.state.outputs.rotatedKeyType}, then ${probes.length} probe${probes.length === 1 ? "" : "s"} ` +
                `(${summarise(probes.map((p) => `HTTP ${p.status}`))}) until Communication Services accepted it, ${((Date.now() - started) / 1000).toFixed(1)} s in all`,
        );
        if (probes.filter((p) => p.status === 200).length > 1) {
            console.log("  (One of the accepted probes was signed with the key consumers hold: accepted, so the new key was propagating, not blocked.)");
        }
        console.log(`  only then did activeKey move to ${proven.state.outputs.activeKeyType} (verifiedAt ${proven.state.outputs.verifiedAt}).`);
        console.log("  Without verification, apps moved at the end of the deployment would have been refused for those 2 s.");
        console.log("  If the key is never accepted, the deployment fails, activeKey stays on the key that works, and the next pulumi up proves it again.\n");

        console.log("8. The keys most teams rotate first: apps hold storage-key's and orders-send-key's activeConnectionString");
        console.log("  while both rotate (triggers bumped to 2026-12); each new key is proven on the service before it becomes active.");
        for (const [name, id] of [
            ["storage-key", targets.storage],
            ["orders-send-key", targets.serviceBus],
        ]) {
            const held = String(state.get(name)!.outputs.activeConnectionString);
            const inputs = { ...registrations.find((r) => r.name === name)!.inputs, trigger: "2026-12" };
            const { state: next } = await up(host, keyRotationUrn(name), inputs, state.get(name));
            state.set(name, next);
            const proven = next.outputs.verifiedAt ? ", proven on its data plane" : "";
            console.log(`  ${name.padEnd(28)} regenerated ${next.outputs.rotatedKeyType}, now active${proven}; ${next.outputs.previousKeyType} is untouched`);
            console.log(
                `  ${"".padEnd(28)} the app's connection string from before: ${emulator.authenticate(id, held) ? "still accepted" : "REFUSED"}; ` +
                    `the new one: ${emulator.authenticate(id, String(next.outputs.activeConnectionString)) ? "accepted" : "REFUSED"}`,
            );
        }
        console.log("");

        console.log("9. Keys that never enter the state: a KeyRotation with keyVault and outputKeys: false");
        const vault = emulator.createKeyVault(sampleKeyVaultName("demo"));
        const reports = sampleResourceIds("reports").storage;
        emulator.createResource(reports);
        const [delivered] = await captureRegistrations(() => [
            new KeyRotation("reports-storage-key", {
                resourceId: reports,
                trigger: "2026-11",
                keyVault: { vaultUri: vault.uri, secretName: "reports-storage", expiresAfter: "90d" },
                outputKeys: false,
            }),
        ]);
        console.log(`  keyVault: { vaultUri: "${vault.uri}", secretName: "reports-storage", expiresAfter: "90d" }, outputKeys: false`);
        let kvState: ResourceState | undefined;
        for (const trigger of ["2026-11", "2026-12"]) {
            ({ state: kvState } = await up(host, keyRotationUrn(delivered.name), { ...delivered.inputs, trigger }, kvState));
            const latest = vault.latest("reports-storage")!;
            const active = String(kvState.outputs.activeKeyType);
            const holds = latest.value.includes(emulator.resource(reports)!.keys[active]) ? `the ${active} key's connection string` : "SOMETHING ELSE";
            console.log(
                `  pulumi up (trigger ${trigger}): regenerated ${kvState.outputs.rotatedKeyType}, proven, then written as version ${latest.version.slice(0, 8)}… of the secret, holding ${holds}`,
            );
        }
        const versions = vault.secret("reports-storage")!.versions;
        const previous = versions.at(-2)!;
        console.log(
            `  the version before holds the ${previous.tags?.keyType} key, ${emulator.authenticate(reports, emulator.resource(reports)!.keys[String(previous.tags?.keyType)]) ? "still accepted" : "REFUSED"}: a consumer that reads the secret late keeps working`,
        );
        const stored = JSON.stringify(kvState!.outputs);
        const leaked = Object.values(emulator.resource(reports)!.keys).some((key) => stored.includes(key));
        console.log(
            `  the state holds ${leaked ? "A KEY" : "no key and no connection string"}: only digests (keyDigests ${JSON.stringify(kvState!.outputs.keyDigests)})`,
        );
        console.log(`  consumers read ${kvState!.outputs.keyVaultSecretUri}, e.g. an App Service setting @Microsoft.KeyVault(SecretUri=…)\n`);

        console.log("What the outputs hold:");
        console.log("  A KeyRotation outputs only the keys it owns: Alternate both keys of its pair, a fixed keyType that one key.");
        console.log("  So signalr-primary has no secondaryKey output, and signalr-secondary no primaryKey: no output ever holds");
        console.log("  a key another KeyRotation revoked. Every key, connection string and callback URL output is a Pulumi secret.");
        console.log(
            `  Access tokens the emulator issued for the whole run: ${emulator.identity.issued} (one provider process: one token for ARM, one for Key Vault).\n`,
        );

        console.log("Try next:");
        console.log('  - Rehearse your own program on the emulator: README, "Rehearse on the emulator"');
        console.log("    (npm run emulator -- --state-dir .emulator, then . .emulator/env.sh in the shell that runs pulumi up).");
        console.log("  - Read examples/storage: a Storage account whose connection string reaches a web app only through Key Vault.");
        console.log("  - Slow the emulator's key propagation (--key-propagation-ms) and watch verification wait for it.");
        console.log("  - npm test: the same flows, every service, failures and faults included.");
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
