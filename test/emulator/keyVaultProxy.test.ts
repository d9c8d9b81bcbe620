/**
 * The Key Vault client reaches a vault through the data planes' proxy, as the probes do: the
 * emulator's environment names its proxy in KEY_ROTATION_DATA_PLANE_PROXY (and sets no HTTPS_PROXY,
 * so that a shell that loads it keeps its own), and a rehearsal's Key Vault write must get to the
 * emulated vault through it. HTTPS_PROXY is still honoured when the package's variable is unset.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { resolveConfiguration } from "../../src/arm/configuration";
import { createCredential } from "../../src/arm/credential";
import { KeyVaultClient } from "../../src/keyVault/client";
import { startEmulator } from "../helpers/emulator";

const VARIABLES = ["KEY_ROTATION_DATA_PLANE_PROXY", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
let emulator: AzureEmulator;
let proxy: string;

before(async () => {
    emulator = await startEmulator();
    proxy = await emulator.startProxy();
    for (const [k, v] of Object.entries(emulator.env())) if (k !== "NODE_EXTRA_CA_CERTS") process.env[k] = v;
});
afterEach(() => {
    for (const name of VARIABLES) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
    }
});
after(() => emulator.stop());

/** Writes one secret version with the provider's own client and credential. */
function write(vaultName: string) {
    const vault = emulator.createKeyVault(vaultName);
    const credential = createCredential(resolveConfiguration(() => undefined, process.env));
    const client = new KeyVaultClient({ credential, authority: emulator.url, sleep: async () => {} });
    return {
        vault,
        result: client.setSecret({ vaultUri: vault.uri, secretName: "storage-connection", value: "not-a-real-key", contentType: "text/plain", tags: {} }),
    };
}

describe("the Key Vault client's proxy", () => {
    it("is KEY_ROTATION_DATA_PLANE_PROXY, before the shell's HTTPS_PROXY", async () => {
        for (const name of VARIABLES) delete process.env[name];
        process.env.KEY_ROTATION_DATA_PLANE_PROXY = proxy;
        // The shell's own proxy, which would refuse the connection (loopback, where sign-in goes, kept
        // direct as shells do): not where the vault's requests go. (That NO_PROXY does not apply to the
        // package's variable is test/unit/dataPlaneProxy.test.ts'.)
        process.env.HTTPS_PROXY = "http://127.0.0.1:9";
        process.env.NO_PROXY = "127.0.0.1,localhost";
        const { vault, result } = write("proxied-kv");
        const { version } = await result;
        assert.deepEqual(
            vault.secret("storage-connection")?.versions.map((v) => v.version),
            [version],
        );
        assert.ok(
            emulator.tunnels.some((t) => t.target === `${vault.host}:443` && t.allowed),
            JSON.stringify(emulator.tunnels),
        );
    });

    it("is HTTPS_PROXY when the package's variable is unset", async () => {
        for (const name of VARIABLES) delete process.env[name];
        process.env.HTTPS_PROXY = proxy;
        const { vault, result } = write("https-proxy-kv");
        await result;
        assert.equal(vault.secret("storage-connection")?.versions.length, 1);
    });
});
