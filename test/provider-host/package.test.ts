import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { AzureEmulator } from "../../emulator";
import { keyRotationUrn, ProviderHost, up } from "../../scripts/engine";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { packageRoot } from "../helpers/host";

let emulator: AzureEmulator;
let scratch: string;
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

before(async () => {
    emulator = await startEmulator();
    scratch = mkdtempSync(join(tmpdir(), "key-rotation-consumer-"));
});
after(async () => {
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
});

it("the packed tarball, installed into another project, rotates a key through that project's host", { timeout: 300_000 }, async () => {
    execFileSync(npm, ["pack", "--silent", "--pack-destination", scratch], { cwd: packageRoot, stdio: ["ignore", "ignore", "inherit"] });
    const tarball = readdirSync(scratch).find((f) => f.endsWith(".tgz"))!;
    const pulumiVersion = require("@pulumi/pulumi/package.json").version;
    writeFileSync(
        join(scratch, "package.json"),
        JSON.stringify({ name: "consumer", private: true, dependencies: { "pulumi-azure-key-rotation": `file:./${tarball}`, "@pulumi/pulumi": pulumiVersion } }),
    );
    execFileSync(npm, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: scratch, stdio: ["ignore", "ignore", "inherit"] });

    // The consumer's program, run by plain Node in the consumer's directory: the package by name.
    writeFileSync(
        join(scratch, "capture.js"),
        `const pulumi = require("@pulumi/pulumi");
const { KeyRotation } = require("pulumi-azure-key-rotation");
pulumi.runtime.setMocks({ newResource: (a) => { process.stdout.write(JSON.stringify(a.inputs)); return { id: "x", state: a.inputs }; }, call: () => ({}) }, "p", "s", false)
  .then(() => new KeyRotation("packaged", { resourceId: process.argv[2], keyType: "Secondary", trigger: "1" }));`,
    );
    const id = resourceIds("packaged").communication;
    emulator.createResource(id);
    const inputs = JSON.parse(execFileSync(process.execPath, ["capture.js", id], { cwd: scratch }).toString());
    assert.match(inputs.__provider, /pulumi-azure-key-rotation\/provider/);

    const host = await ProviderHost.start({
        cwd: scratch,
        env: emulator.env(),
        hostScript: join(scratch, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js"),
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
