/**
 * The Key Vault client retries what a busy vault answers (429, 5xx, a dropped connection) on every
 * request, the first one too: the request sent without a token for Key Vault's challenge goes
 * through the same retry rules as the write, as the official SDK's retry policy runs before its
 * challenge policy.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { resolveConfiguration } from "../../src/arm/configuration";
import { createCredential } from "../../src/arm/credential";
import { KeyVaultClient } from "../../src/keyVault/client";
import { startEmulator } from "../helpers/emulator";

let emulator: AzureEmulator;
let n = 0;
const saved = { ...process.env };

before(async () => {
    emulator = await startEmulator();
    const proxy = await emulator.startProxy();
    for (const [k, v] of Object.entries(emulator.env())) if (k !== "NODE_EXTRA_CA_CERTS") process.env[k] = v;
    process.env.KEY_ROTATION_DATA_PLANE_PROXY = proxy;
});
afterEach(() => emulator.faults.clear());
after(async () => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    await emulator.stop();
});

function client(slept: number[]) {
    const credential = createCredential(resolveConfiguration(() => undefined, process.env));
    return new KeyVaultClient({ credential, authority: emulator.url, sleep: async (ms) => void slept.push(ms) });
}

describe("the Key Vault client's first request (the one Key Vault answers with its challenge)", () => {
    for (const [what, fault] of [
        ["503", { status: 503, code: "ServiceUnavailable", retryAfterSeconds: 0 }],
        ["429", { status: 429, code: "Throttled", retryAfterSeconds: 1 }],
        ["a dropped connection", { drop: true }],
    ] as const) {
        it(`is retried after ${what}, and the write then succeeds`, async () => {
            const vault = emulator.createKeyVault(`retry${++n}-kv`);
            emulator.faults.add({ host: vault.host, count: 1, ...fault } as never);
            const slept: number[] = [];
            const result = await client(slept).setSecret({
                vaultUri: vault.uri,
                secretName: "s",
                value: "not-a-real-key",
                contentType: "text/plain",
                tags: {},
            });
            assert.equal(vault.latest("s")!.id, result.id);
            assert.equal(slept.length, 1, "one wait before the second try");
            if ("retryAfterSeconds" in fault && fault.retryAfterSeconds > 0) assert.equal(slept[0], 1000, "Retry-After honoured");
        });
    }

    it("still failing after the retries, fails naming Key Vault, the vault and the secret", async () => {
        const vault = emulator.createKeyVault(`retry${++n}-kv`);
        emulator.faults.add({ host: vault.host, status: 503, code: "ServiceUnavailable", retryAfterSeconds: 0, count: 50 });
        const slept: number[] = [];
        await assert.rejects(
            client(slept).setSecret({ vaultUri: vault.uri, secretName: "s", value: "v", contentType: "text/plain", tags: {} }),
            new RegExp(`Key Vault ${vault.host}, secret s.*HTTP 503`),
        );
        assert.ok(slept.length >= 2, String(slept.length));
    });
});

describe("a refusal that is not Key Vault's", () => {
    it("(the proxy refuses the tunnel to a vault host it does not know) is not taken for a missing permission, and is not retried", async () => {
        const slept: number[] = [];
        const error = await client(slept)
            .setSecret({ vaultUri: "https://no-such-kv.vault.azure.net/", secretName: "s", value: "v", contentType: "text/plain", tags: {} })
            .then(
                () => assert.fail("written"),
                (e: Error) => e,
            );
        assert.match(error.message, /^writing to Key Vault no-such-kv\.vault\.azure\.net, secret s failed: HTTP 403/);
        assert.match(error.message, /not an answer from Key Vault.*proxy.*does the vault exist/s);
        assert.doesNotMatch(error.message, /Secrets Officer/);
        assert.deepEqual(slept, []);
    });
});
