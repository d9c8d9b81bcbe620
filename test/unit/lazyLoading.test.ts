import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { resourceIds } from "../helpers/emulator";

// A preview, and a `pulumi up` with nothing due, call only configure, check and diff: the provider
// host must not load what only a request needs (axios, @azure/identity and MSAL, the probes, the
// steps of a rotation), which is most of the package's start-up time, nor the catalog entries of
// services the deployment does not use. Each case runs in a fresh Node process, as the host is.

const run = promisify(execFile);
const provider = join(__dirname, "..", "..", "src", "provider.js");
const ids = resourceIds("lazy");

/** Runs `calls` (a function body with `p`, the provider module) in a fresh process; resolves with the modules loaded that only requests need. */
async function loadedBy(calls: string, env: Record<string, string> = {}): Promise<string[]> {
    const script = `
        const p = require(${JSON.stringify(provider)});
        (async () => { ${calls} })().then(() => {
            const heavy = Object.keys(require.cache).filter((f) => /[\\\\/](axios|@azure|@typespec)[\\\\/]|[\\\\/]dist[\\\\/]src[\\\\/](probe|arm[\\\\/](client|credential|diagnose)|core[\\\\/](lifecycle|steps|rotate)|catalog[\\\\/](services|cosmosDb|eventGrid|maps))/.test(f));
            process.stdout.write(JSON.stringify(heavy), () => process.exit(0));
        });`;
    const { stdout } = await run(process.execPath, ["-e", script], { env: { ...process.env, ...env } });
    return JSON.parse(stdout);
}

describe("check and diff load nothing a request needs", () => {
    const news = { resourceId: ids.storage, keyType: "Alternate", trigger: "1", rotateEvery: "30d" };

    it("configure, then check and diff of unchanged and changed inputs", async () => {
        const loaded = await loadedBy(`
            await p.configure({ config: { get: (k) => ({ "azure-native:clientId": "c", "azure-native:tenantId": "t", "azure-native:clientSecret": "s" })[k] } });
            const { inputs } = await p.check({}, ${JSON.stringify(news)});
            await p.diff("id", inputs, inputs);
            await p.diff("id", inputs, { ...inputs, trigger: "2" });
            await p.diff("id", inputs, { ...inputs, resourceId: ${JSON.stringify(ids.signalr)} });
        `);
        assert.deepEqual(loaded, []);
    });

    it("a check that fails, and a configuration mistake", async () => {
        const loaded = await loadedBy(
            `
            await p.configure({ config: { get: () => undefined } }).catch(() => {});
            await p.check({}, { resourceId: "/subscriptions/x" }).catch(() => {});
            await p.check({}, ${JSON.stringify({ ...news, keyType: "Primery" })}).catch(() => {});
        `,
            { ARM_ENVIRONMENT: "nowhere" },
        );
        assert.deepEqual(loaded, []);
    });

    it("the test can tell: a rotation's first step loads them", async () => {
        // Nothing listens at the authority: the sign-in fails after its retries; what it loaded is read as soon as it is loaded.
        const loaded = await loadedBy(
            `const identity = () => Object.keys(require.cache).some((f) => f.includes("identity"));
            const create = p.create(${JSON.stringify({ ...news, verify: false })}).catch(() => {});
            await Promise.race([create, (async () => { while (!identity()) await new Promise((r) => setTimeout(r, 5)); })()]);`,
            {
                AZURE_AUTHORITY_HOST: "https://127.0.0.1:9",
                AZURE_RESOURCE_MANAGER_ENDPOINT: "https://127.0.0.1:9",
                ARM_CLIENT_ID: "c",
                ARM_TENANT_ID: "t",
                ARM_CLIENT_SECRET: "s",
            },
        );
        assert.ok(
            loaded.some((f) => /[\\/]@azure[\\/]identity[\\/]/.test(f)),
            "@azure/identity",
        );
        assert.ok(
            loaded.some((f) => /[\\/]axios[\\/]/.test(f)),
            "axios",
        );
    });
});
