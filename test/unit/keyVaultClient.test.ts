/**
 * The Key Vault client's retry rules, over a scripted transport (no network): a dropped connection
 * is tried again; a vault host that does not resolve is not (the name is wrong or the vault is gone,
 * and waiting changes neither), and the message says so.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TokenCredential } from "@azure/identity";
import { KeyVaultClient } from "../../src/keyVault/client";

const credential: TokenCredential = { getToken: async () => ({ token: "kv-token", expiresOnTimestamp: Date.now() + 3_600_000 }) };
const challenge = { "www-authenticate": 'Bearer authorization="https://login.microsoftonline.com/tenant", resource="https://vault.azure.net"' };
const request = { vaultUri: "https://unit-kv.vault.azure.net/", secretName: "s", value: "v", contentType: "text/plain", tags: {} };

type Step = Error | { status: number; headers?: Record<string, string>; data?: string };
/** A client whose transport answers `steps` in order, and the waits it made. */
function scripted(steps: Step[]) {
    const slept: number[] = [];
    const client = new KeyVaultClient({ credential, authority: "https://login.microsoftonline.com", sleep: async (ms) => void slept.push(ms) });
    const sent: unknown[] = [];
    (client as unknown as { http: unknown }).http = {
        request: async (config: unknown) => {
            sent.push(config);
            const step = steps.shift();
            if (!step) throw new Error("no more answers scripted");
            if (step instanceof Error) throw step;
            return { status: step.status, headers: step.headers ?? {}, data: step.data ?? "" };
        },
    };
    return { client, slept, sent };
}
const networkError = (code: string) => Object.assign(new Error(`getaddrinfo ${code} unit-kv.vault.azure.net`), { code });
const written = { status: 200, data: JSON.stringify({ id: `https://unit-kv.vault.azure.net/secrets/s/${"a".repeat(32)}` }) };

describe("the Key Vault client's retries", () => {
    it("a dropped connection is tried again", async () => {
        const { client, slept } = scripted([networkError("ECONNRESET"), { status: 401, headers: challenge }, written]);
        assert.equal((await client.setSecret(request)).version, "a".repeat(32));
        assert.equal(slept.length, 1);
    });

    it("a vault host that does not resolve fails at once, saying so", async () => {
        const { client, slept, sent } = scripted([networkError("ENOTFOUND"), networkError("ENOTFOUND"), networkError("ENOTFOUND")]);
        await assert.rejects(
            client.setSecret(request),
            /Key Vault unit-kv\.vault\.azure\.net, secret s could not be reached: its host name does not resolve \(ENOTFOUND\): is the vault's name right, and does it exist\?/,
        );
        assert.deepEqual(slept, []);
        assert.equal(sent.length, 1);
    });

    it("a 409 is not retried; a secret being deleted is told apart from one deleted and kept for recovery", async () => {
        const conflict = (inner: string) => ({
            status: 409,
            data: JSON.stringify({ error: { code: "Conflict", message: "Secret s is in a conflicting state.", innererror: { code: inner } } }),
        });
        const deleting = scripted([{ status: 401, headers: challenge }, conflict("ObjectIsBeingDeleted")]);
        await assert.rejects(
            deleting.client.setSecret(request),
            /HTTP 409 Conflict\/ObjectIsBeingDeleted.*being deleted or recovered right now: run `pulumi up` again/,
        );
        const kept = scripted([{ status: 401, headers: challenge }, conflict("ObjectIsDeletedButRecoverable")]);
        await assert.rejects(kept.client.setSecret(request), /HTTP 409 Conflict\/ObjectIsDeletedButRecoverable.*recover it, or purge it/);
        assert.deepEqual([deleting.slept, kept.slept], [[], []]);
    });
});
