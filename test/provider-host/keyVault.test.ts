/**
 * Key Vault delivery through Pulumi's dynamic-provider host, against the emulator's ARM and its Key
 * Vault (reached through its proxy by the vault's real host name): each proven key becomes a new
 * version of the secret; a refused write stays pending and is retried without a regenerate; with
 * `outputKeys: false` no secret value is in any output or state, in any encoding, at any step; a
 * refresh notices a key regenerated outside, and the next deployment writes it. The official
 * @azure/keyvault-secrets reads what the rotations wrote.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ClientSecretCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import type { AzureEmulator, EmulatedKeyVault } from "../../emulator";
import { keyRotationUrn, type ProviderHost, type ResourceState, refresh, stateAfterInitFailure, up } from "../../scripts/engine";
import { resourceIds } from "../helpers/emulator";
import { failing, regenerateCount, sharedHost } from "../helpers/host";

let emulator: AzureEmulator;
let host: ProviderHost;
let provider: unknown;
let proxy: string;
sharedHost({ emulator: { lro: { pollsUntilDone: 1, retryAfterSeconds: 0 } }, proxy: true }, (shared) => {
    ({ emulator, host, provider, proxy } = shared);
});

let n = 0;
function target(service: string, keyVault: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const id = resourceIds(`kv${++n}`)[service];
    emulator.createResource(id);
    const urn = keyRotationUrn(`kv${n}`);
    return { id, urn, inputs: { resourceId: id, trigger: "1", verify: false, keyVault, __provider: provider, ...extra } as Record<string, unknown> };
}

function vault(options: Parameters<AzureEmulator["createKeyVault"]>[1] = {}): EmulatedKeyVault {
    return emulator.createKeyVault(`rot${++n}-kv`, options);
}

const regenerates = () => regenerateCount(emulator);
const keysOf = (id: string) => emulator.resource(id)!.keys;
const storageConnection = (account: string, key: string) =>
    `DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${key};EndpointSuffix=core.windows.net`;

describe("a rotation delivers its proven key to Key Vault", () => {
    it("create and three Alternate rotations: a version each, each holding the then active key, the one before still valid", async () => {
        const kv = vault();
        const t = target("storage", { vaultUri: kv.uri, secretName: "storage-connection", expiresAfter: "90d", tags: { owner: "platform" } });
        const account = t.id.split("/").pop()!;
        let state: ResourceState | undefined;
        const versions: string[] = [];
        for (let trigger = 1; trigger <= 4; trigger++) {
            ({ state } = await up(host, t.urn, { ...t.inputs, trigger: String(trigger) }, state));
            const active = state.outputs.activeKeyType as string;
            const latest = kv.latest("storage-connection")!;
            assert.equal(
                latest.value,
                storageConnection(account, keysOf(t.id)[active]),
                `rotation ${trigger}: the latest version holds the active key's connection string`,
            );
            assert.equal(state.outputs.keyVaultSecretId, latest.id);
            assert.equal(state.outputs.keyVaultSecretVersion, latest.version);
            assert.equal(state.outputs.keyVaultSecretUri, `${kv.uri}secrets/storage-connection`);
            assert.deepEqual(latest.tags, { owner: "platform", keyType: active, resourceId: t.id, rotatedAt: state.outputs.rotatedAt });
            assert.equal(latest.contentType, "Storage account connection string");
            const exp = latest.attributes.exp! * 1000;
            assert.ok(Math.abs(exp - (Date.now() + 90 * 86_400_000)) < 120_000, "expires 90 days after the write");
            versions.push(latest.version);
            if (versions.length > 1) {
                // The version before holds the previous key, which stays valid until the next rotation.
                const before = kv.secret("storage-connection")!.versions.at(-2)!;
                const previous = state.outputs.previousKeyType as string;
                assert.equal(before.value, storageConnection(account, keysOf(t.id)[previous]));
                assert.ok(emulator.authenticate(t.id, keysOf(t.id)[previous]), "the key of the version before still works");
            }
        }
        assert.equal(new Set(versions).size, 4);
        assert.equal(kv.secret("storage-connection")!.versions.length, 4, "one version per rotation, nothing more");

        // The official SDK, with its own sign-in and challenge, reads what the rotations wrote.
        const { tenantId, clientId, clientSecret } = emulator.identity;
        const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { authorityHost: emulator.url, disableInstanceDiscovery: true });
        const client = new SecretClient(kv.uri, credential, { proxyOptions: { host: "http://127.0.0.1", port: Number(new URL(proxy).port) } });
        const latest = await client.getSecret("storage-connection");
        assert.equal(latest.value, storageConnection(account, keysOf(t.id)[state!.outputs.activeKeyType as string]));
        assert.equal(latest.properties.version, versions.at(-1));
        const listed: string[] = [];
        for await (const v of client.listPropertiesOfSecretVersions("storage-connection")) listed.push(v.version!);
        assert.deepEqual(listed.sort(), [...versions].sort());
    });

    it("signs in to Key Vault through its challenge, with a token for the vault only, sent to the vault only", async () => {
        const kv = vault();
        const t = target("servicebus-namespace", { vaultUri: kv.uri, secretName: "sb" });
        const { state } = await up(host, t.urn, t.inputs);
        const toVault = emulator.requests.filter((r) => r.host === kv.host);
        assert.ok(toVault.length >= 2, JSON.stringify(toVault));
        assert.equal(toVault[0].bearer, false, "the first request carries no token: Key Vault answers with its challenge");
        assert.equal(toVault[0].status, 401);
        assert.ok(
            toVault.slice(1).every((r) => r.bearer && r.audience === "https://vault.azure.net"),
            JSON.stringify(toVault),
        );
        assert.ok(
            emulator.armRequests().every((r) => !r.audience || r.audience !== "https://vault.azure.net"),
            "no Key Vault token at ARM",
        );
        assert.deepEqual(emulator.tokenLeaks(), []);
        assert.equal(kv.latest("sb")!.value, state.outputs.activeConnectionString, "the active key's connection string, as Service Bus lists it");
    });

    it("content: key writes the key itself; a service without connection strings writes its key by default", async () => {
        const kv = vault();
        const t = target("search", { vaultUri: kv.uri, secretName: "search-key" });
        const { state } = await up(host, t.urn, t.inputs);
        assert.equal(kv.latest("search-key")!.value, keysOf(t.id)[state.outputs.activeKeyType as string]);
        assert.equal(kv.latest("search-key")!.contentType, "Azure AI Search service key");
        const s = target("storage", { vaultUri: kv.uri, secretName: "storage-key", content: "key" });
        const created = await up(host, s.urn, s.inputs);
        assert.equal(kv.latest("storage-key")!.value, keysOf(s.id)[created.state.outputs.activeKeyType as string]);
    });
});

describe("the provider's own tags", () => {
    it("fit Key Vault's limits for any resource id: one over 256 characters is written as its end, which names the resource", async () => {
        const kv = vault();
        const sample = resourceIds(`kv${++n}`)["servicebus-queue"];
        const id = sample.replace(/resourceGroups\/[^/]+/, `resourceGroups/${"g".repeat(90)}`).replace(/queues\/[^/]+/, `queues/${"q".repeat(120)}`);
        assert.ok(id.length > 256, String(id.length));
        emulator.createResource(id);
        const urn = keyRotationUrn(`kv${n}`);
        const { state } = await up(host, urn, {
            resourceId: id,
            trigger: "1",
            verify: false,
            keyVault: { vaultUri: kv.uri, secretName: "long" },
            __provider: provider,
        });
        const latest = kv.latest("long")!;
        assert.equal(state.outputs.keyVaultSecretId, latest.id);
        const tag = latest.tags!.resourceId;
        assert.ok(tag.length <= 256, String(tag.length));
        assert.ok(id.endsWith(tag.slice(1)) && tag.startsWith("…"), tag);
    });
});

describe("two KeyRotations of one deployment on the same secret", () => {
    it("the second is refused before it regenerates anything, at create and when an existing one moves to that secret", async () => {
        const kv = vault();
        const first = target("storage", { vaultUri: kv.uri, secretName: "shared" });
        await up(host, first.urn, first.inputs);
        const second = target("storage", { vaultUri: kv.uri.toUpperCase().replace("HTTPS", "https"), secretName: "SHARED" });
        emulator.clearRequests();
        const error = await failing(up(host, second.urn, second.inputs));
        assert.match(
            error.message,
            new RegExp(
                `another KeyRotation in this deployment \\(id [0-9a-f-]+, resource ${first.id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\) writes the Key Vault secret ${kv.uri}secrets/shared`,
                "i",
            ),
        );
        assert.match(error.message, /Nothing was regenerated/);
        assert.equal(regenerates(), 0);
        assert.equal(error.initFailed, undefined, "nothing to record");
        assert.equal(kv.secret("shared")!.versions.length, 1);

        // An existing KeyRotation that moves to the secret the first one writes is refused at preview (diff).
        const third = target("storage", { vaultUri: kv.uri, secretName: "other" });
        const { state } = await up(host, third.urn, third.inputs);
        const moved = await failing(up(host, third.urn, { ...third.inputs, keyVault: { vaultUri: kv.uri, secretName: "shared" } }, state));
        assert.match(moved.message, /another KeyRotation in this deployment .* writes the Key Vault secret/);
    });
});

describe("a refused write", () => {
    for (const [what, options, match] of [
        ["without the set permission (RBAC)", { permissions: ["get", "list"] }, /ForbiddenByRbac.*Key Vault Secrets Officer.*setSecret\/action/s],
        ["behind the vault's firewall", { networkAcls: { defaultAction: "Deny" } }, /ForbiddenByFirewall.*network rules refuse this network/s],
    ] as const) {
        it(`(${what}) fails naming Key Vault, the vault, the secret and the cause; stays pending; the next pulumi up writes it without regenerating`, async () => {
            const kv = vault(options as never);
            kv.setSecret("svc", "written-by-someone-else");
            const t = target("storage", { vaultUri: kv.uri, secretName: "svc" });
            // First without Key Vault: a KeyRotation that starts delivering on its next rotation.
            const { keyVault: _kv, ...withoutVault } = t.inputs;
            const { state } = await up(host, t.urn, withoutVault);
            const inputs = { ...t.inputs, trigger: "2" };
            const error = await failing(up(host, t.urn, inputs, state));
            assert.match(error.message, new RegExp(`writing to Key Vault ${kv.host}, secret svc failed: HTTP 403`));
            assert.match(error.message, match);
            assert.match(error.message, /the secret's latest version stays the one before.*writes the key without regenerating/s);
            const props = error.initFailed!.properties;
            assert.equal(props.pendingStep, "store");
            assert.equal(props.pendingKeyType, "Primary");
            assert.equal(props.activeKeyType, "Secondary", "consumers stay on the key that works");
            assert.equal(props.activeKey, keysOf(t.id).Secondary);
            assert.equal(kv.latest("svc")!.value, "written-by-someone-else", "the version before stays the latest");
            for (const key of Object.values(keysOf(t.id))) assert.ok(!error.message.includes(key));

            // The cause is fixed: the next deployment writes the proven key, regenerating nothing.
            if ("permissions" in options) kv.permissions.push("set");
            else kv.networkAcls = { defaultAction: "Allow" };
            emulator.clearRequests();
            const pending = stateAfterInitFailure(error, t.urn, inputs, state);
            const { state: done } = await up(host, t.urn, inputs, pending);
            assert.equal(regenerates(), 0);
            assert.equal(done.outputs.pendingStep, undefined);
            assert.equal(done.outputs.activeKeyType, "Primary");
            assert.equal(kv.latest("svc")!.value, storageConnection(t.id.split("/").pop()!, keysOf(t.id).Primary));
        });
    }
});

describe("a vault that answers 5xx", () => {
    it("is retried; still failing, the write stays pending and the next pulumi up writes it without regenerating", async () => {
        const kv = vault();
        const t = target("storage", { vaultUri: kv.uri, secretName: "busy" });
        emulator.faults.add({ host: kv.host, status: 503, code: "ServiceUnavailable", retryAfterSeconds: 0, count: 20 });
        const error = await failing(up(host, t.urn, t.inputs));
        assert.match(error.message, /writing to Key Vault .*, secret busy failed: HTTP 503/);
        assert.match(error.message, /^the Secondary key is in place, but writing it/, "verify: false, so the key is not said to be proven");
        assert.doesNotMatch(error.message, /\.\./);
        assert.equal(error.initFailed!.properties.pendingStep, "store");
        assert.equal(kv.latest("busy"), undefined);
        emulator.faults.clear();
        emulator.clearRequests();
        const { state } = await up(host, t.urn, t.inputs, stateAfterInitFailure(error, t.urn, t.inputs));
        assert.equal(regenerates(), 0);
        assert.equal(kv.latest("busy")!.id, state.outputs.keyVaultSecretId);
    });
});

describe("outputKeys: false", () => {
    /** Every encoding a value could hide in: as is, URL-encoded, JSON-escaped, base64 and base64url of it, and its key's decoded bytes. */
    function encodings(value: string): string[] {
        const out = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), Buffer.from(value).toString("base64")]);
        out.add(Buffer.from(value).toString("base64url"));
        if (/^[A-Za-z0-9+/]+=*$/.test(value) && value.length >= 16) out.add(Buffer.from(value, "base64").toString("hex"));
        return [...out];
    }
    function assertNoSecret(where: string, props: Record<string, unknown>, secrets: string[]) {
        const text = JSON.stringify(props);
        for (const secret of secrets) for (const form of encodings(secret)) assert.ok(!text.includes(form), `${where} holds a secret value`);
        for (const name of ["primaryKey", "secondaryKey", "activeKey", "activeConnectionString", "primaryConnectionString", "secondaryConnectionString"])
            assert.equal(props[name], undefined, `${where}: ${name}`);
    }
    const secretsOf = (id: string) => {
        const account = id.split("/").pop()!;
        return Object.values(keysOf(id)).flatMap((key) => [key, storageConnection(account, key)]);
    };

    it("no key, connection string or other secret value in any output or state, at any step, pending ones included; refresh still notices a key regenerated outside", async () => {
        const kv = vault();
        const t = target("storage", { vaultUri: kv.uri, secretName: "no-keys" }, { outputKeys: false });
        const seen = new Set<string>();
        const check = (where: string, props: Record<string, unknown>) => {
            for (const s of secretsOf(t.id)) seen.add(s);
            assertNoSecret(where, props, [...seen]);
        };
        let { state } = await up(host, t.urn, t.inputs);
        check("create", state.outputs);
        assert.ok(state.outputs.keyDigests, "digests, not keys");

        // A read-back that fails: pending readBack.
        emulator.faults.add({ operation: "StorageAccounts_RegenerateKey", tamper: { body: "empty" } });
        emulator.faults.add({ operation: "StorageAccounts_ListKeys", status: 403, code: "AuthorizationFailed", count: 4 });
        let inputs = { ...t.inputs, trigger: "2" };
        let error = await failing(up(host, t.urn, inputs, state));
        check("pending readBack", error.initFailed!.properties);
        state = stateAfterInitFailure(error, t.urn, inputs, state);
        emulator.faults.clear();

        // A refused Key Vault write: pending store.
        kv.permissions.splice(kv.permissions.indexOf("set"), 1);
        error = await failing(up(host, t.urn, inputs, state));
        assert.equal(error.initFailed!.properties.pendingStep, "store");
        check("pending store", error.initFailed!.properties);
        state = stateAfterInitFailure(error, t.urn, inputs, state);
        kv.permissions.push("set");
        ({ state } = await up(host, t.urn, inputs, state));
        check("completed", state.outputs);
        assert.equal(kv.latest("no-keys")!.value, storageConnection(t.id.split("/").pop()!, keysOf(t.id)[state.outputs.activeKeyType as string]));

        // A regenerate that may have happened: pending regenerate.
        inputs = { ...t.inputs, trigger: "3" };
        emulator.faults.add({ operation: "StorageAccounts_RegenerateKey", drop: true, count: 10 });
        error = await failing(up(host, t.urn, inputs, state));
        check("pending regenerate", error.initFailed!.properties);
        state = stateAfterInitFailure(error, t.urn, inputs, state);
        emulator.faults.clear();
        ({ state } = await up(host, t.urn, inputs, state));
        check("completed again", state.outputs);

        // Someone regenerates the active key in the portal; refresh says so, and the next pulumi up writes the current key.
        const active = state.outputs.activeKeyType as string;
        emulator.regenerate(t.id, active);
        const refreshed = (await refresh(host, state))!;
        check("refresh", refreshed.outputs);
        assert.match(
            refreshed.outputs.externalChange as string,
            new RegExp(`found the ${active} \\(the active key, which consumers use\\) regenerated outside this KeyRotation`),
        );
        assert.match(refreshed.outputs.externalChange as string, /writes it to Key Vault/);
        emulator.clearRequests();
        const next = await up(host, t.urn, inputs, refreshed);
        assert.equal(next.step, "update", "the change a refresh found is a reason to update");
        assert.equal(regenerates(), 0);
        check("after the external change", next.state.outputs);
        assert.equal(next.state.outputs.externalChange, undefined);
        assert.equal(kv.latest("no-keys")!.value, storageConnection(t.id.split("/").pop()!, keysOf(t.id)[active]), "Key Vault holds the current key");
    });
});
