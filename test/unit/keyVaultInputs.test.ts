/**
 * check for the Key Vault delivery, outputKeys and inputs KeyRotation does not know: each refusal
 * names its property (keyVault.vaultUri, ...) and nothing is called; the closest name is suggested
 * for a typo; diff updates (never rotates) for a changed delivery.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffInputs } from "../../src/core/diff";
import { checkInputs, keyVaultCloudProblem, UNKNOWN } from "../../src/core/inputs";
import { resourceIds } from "../helpers/emulator";

const ids = resourceIds("kvcheck");
const vaultUri = "https://rotation-kv.vault.azure.net/";
const storage = { resourceId: ids.storage, trigger: "1" };

function refusal(news: Record<string, unknown>, property: string): string {
    const { failures } = checkInputs(news);
    const found = failures.find((f) => f.property === property);
    assert.ok(found, `${property} refused: ${JSON.stringify(failures)}`);
    assert.ok(found.reason.startsWith(`${property} `), found.reason);
    return found.reason;
}

describe("check: keyVault", () => {
    it("accepts a vault of each cloud, normalises its URI to the origin, and defaults content to the connection string where the service has one", () => {
        for (const uri of [vaultUri, "https://Rotation-KV.vault.azure.net", "https://gov-kv.vault.usgovcloudapi.net/", "https://cn-kv.vault.azure.cn/"]) {
            const { inputs, failures } = checkInputs({ ...storage, keyVault: { vaultUri: uri, secretName: "storage-connection" } });
            assert.deepEqual(failures, [], uri);
            assert.equal((inputs.keyVault as { vaultUri: string }).vaultUri, `https://${new URL(uri).hostname.toLowerCase()}/`);
            assert.equal((inputs.keyVault as { content: string }).content, "connectionString");
        }
        const search = checkInputs({ resourceId: ids.search, keyVault: { vaultUri, secretName: "search-key" } });
        assert.deepEqual(search.failures, []);
        assert.equal((search.inputs.keyVault as { content: string }).content, "key", "AI Search has no connection string: its key");
    });

    const refused: Array<[string, Record<string, unknown>, string, RegExp]> = [
        ["an http vault URI", { vaultUri: "http://rotation-kv.vault.azure.net/" }, "keyVault.vaultUri", /must use https/],
        ["a URI on another host", { vaultUri: "https://rotation-kv.vault.example.com/" }, "keyVault.vaultUri", /not on a Key Vault host/],
        ["a URI with a path", { vaultUri: "https://rotation-kv.vault.azure.net/secrets/x" }, "keyVault.vaultUri", /the vault's URI alone/],
        ["a URI with a port", { vaultUri: "https://rotation-kv.vault.azure.net:8443/" }, "keyVault.vaultUri", /without port/],
        ["credentials in the URI", { vaultUri: "https://u:p@rotation-kv.vault.azure.net/" }, "keyVault.vaultUri", /credentials/],
        ["a managed HSM (keys only, no secrets)", { vaultUri: "https://hsm.managedhsm.azure.net/" }, "keyVault.vaultUri", /not on a Key Vault host/],
        ["a bad vault name", { vaultUri: "https://a--b.vault.azure.net/" }, "keyVault.vaultUri", /does not name a vault/],
        ["a secret name with an underscore", { secretName: "storage_connection" }, "keyVault.secretName", /1 to 127 letters, digits and hyphens/],
        ["a secret name too long", { secretName: "x".repeat(128) }, "keyVault.secretName", /1 to 127/],
        ["an expiry in months", { expiresAfter: "3 months" }, "keyVault.expiresAfter", /not an interval/],
        ["an unknown content", { content: "password" }, "keyVault.content", /"connectionString" or "key"/],
        ["a tag that is not a string", { tags: { owner: 7 } }, "keyVault.tags.owner", /must be a string/],
        ["a tag the provider writes", { tags: { keyType: "x" } }, "keyVault.tags.keyType", /a tag the provider writes/],
        ["a tag the provider writes, in another casing", { tags: { ResourceId: "x" } }, "keyVault.tags.ResourceId", /a tag the provider writes/],
        ["too many tags", { tags: Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`t${i}`, "v"])) }, "keyVault.tags", /Key Vault takes 15/],
        ["a misspelt field", { secretNmae: "x" }, "keyVault.secretNmae", /did you mean "secretName"/],
    ];
    for (const [what, change, property, message] of refused) {
        it(`refuses ${what}, naming ${property}`, () => {
            const keyVault = { vaultUri, secretName: "storage-connection", ...change };
            assert.match(refusal({ ...storage, keyVault }, property), message);
        });
    }

    it("refuses content connectionString where the service has none, a Logic Apps workflow (its key is never returned), and a key type consumers never hold", () => {
        assert.match(
            refusal({ resourceId: ids.search, keyVault: { vaultUri, secretName: "s", content: "connectionString" } }, "keyVault.content"),
            /no connection string/,
        );
        assert.match(
            refusal({ resourceId: ids["logic-apps-standard"], keyType: "Primary", keyVault: { vaultUri, secretName: "s" } }, "keyVault"),
            /never returned/,
        );
        assert.match(refusal({ resourceId: ids.signalr, keyType: "Salt", keyVault: { vaultUri, secretName: "s" } }, "keyVault"), /consumers never hold/);
    });

    it("refuses an expiry shorter than the rotation interval: the latest version would expire first", () => {
        assert.match(
            refusal({ ...storage, rotateEvery: "30d", keyVault: { vaultUri, secretName: "s", expiresAfter: "20d" } }, "keyVault.expiresAfter"),
            /shorter than rotateEvery/,
        );
        assert.deepEqual(checkInputs({ ...storage, rotateEvery: "30d", keyVault: { vaultUri, secretName: "s", expiresAfter: "45d" } }).failures, []);
    });

    it("lets unknown values through at preview (a vault created in the same deployment)", () => {
        assert.deepEqual(checkInputs({ ...storage, keyVault: { vaultUri: UNKNOWN, secretName: "s" } }).failures, []);
        assert.deepEqual(checkInputs({ ...storage, keyVault: UNKNOWN }).failures, []);
    });

    it("lets a keyVault through while the keyType is unknown at preview (known at the update, and checked then), content as given", () => {
        const kv = { vaultUri, secretName: "s" };
        const preview = checkInputs({ ...storage, keyType: UNKNOWN, keyVault: kv });
        assert.deepEqual(preview.failures, []);
        assert.deepEqual(checkInputs({ ...storage, keyType: UNKNOWN, keyVault: { ...kv, content: "key" } }).failures, []);
        // What no key type of the service has is refused at preview already.
        assert.match(
            refusal({ resourceId: ids.search, trigger: "1", keyType: UNKNOWN, keyVault: { ...kv, content: "connectionString" } }, "keyVault.content"),
            /no connection string/,
        );
        assert.match(refusal({ ...storage, keyType: UNKNOWN, keyVault: { ...kv, content: "both" } }, "keyVault.content"), /"connectionString" or "key"/);
    });
});

describe("check: outputKeys and unknown inputs", () => {
    it("outputKeys is a boolean", () => {
        assert.deepEqual(checkInputs({ ...storage, outputKeys: false }).failures, []);
        assert.match(refusal({ ...storage, outputKeys: "no" }, "outputKeys"), /true or false/);
    });

    it("an input KeyRotation does not know is refused, with the closest input named (a JavaScript program or config can pass anything)", () => {
        assert.match(refusal({ ...storage, keyVualt: { vaultUri } }, "keyVualt"), /is not an input of KeyRotation \(did you mean "keyVault"\?\)/);
        assert.match(refusal({ ...storage, rotateevery: "30d" }, "rotateevery"), /did you mean "rotateEvery"/);
        assert.match(refusal({ ...storage, activeKey: "x" }, "activeKey"), /is not an input of KeyRotation; its inputs are resourceId, keyType/);
        // What check itself sets, and the host's own, are not the program's.
        assert.deepEqual(checkInputs({ ...storage, __provider: "p", nextRotationAt: "x", rotationReason: "y" }).failures, []);
    });
});

describe("check: a vault of the configured cloud", () => {
    it("accepts each cloud's own vaults and an unknown URI, and refuses another cloud's, naming both", () => {
        const vault = (uri: string) => checkInputs({ ...storage, keyVault: { vaultUri: uri, secretName: "s" } }).inputs.keyVault;
        assert.equal(keyVaultCloudProblem(vault(vaultUri), "public"), undefined);
        assert.equal(keyVaultCloudProblem(vault("https://gov-kv.vault.usgovcloudapi.net/"), "usgovernment"), undefined);
        assert.equal(keyVaultCloudProblem(vault("https://cn-kv.vault.azure.cn/"), "china"), undefined);
        assert.equal(keyVaultCloudProblem({ vaultUri: UNKNOWN, secretName: "s" }, "china"), undefined);
        assert.equal(keyVaultCloudProblem(undefined, "china"), undefined);
        const refused = keyVaultCloudProblem(vault("https://cn-kv.vault.azure.cn/"), "public");
        assert.equal(refused?.property, "keyVault.vaultUri");
        assert.match(
            refused?.reason ?? "",
            /^keyVault\.vaultUri "https:\/\/cn-kv\.vault\.azure\.cn\/" is a vault of the china cloud, and this stack signs in to the public cloud/,
        );
    });
});

describe("diff: the Key Vault delivery", () => {
    // With outputKeys: false, a state holds digests and no keys: only the Key Vault delivery decides.
    const olds = {
        ...checkInputs({ ...storage, outputKeys: false, keyVault: { vaultUri, secretName: "a" } }).inputs,
        resourceType: "Microsoft.Storage/storageAccounts",
    };
    it("another secret is an update that rotates nothing", () => {
        const news = checkInputs({ ...storage, outputKeys: false, keyVault: { vaultUri, secretName: "b" } }).inputs;
        const decision = diffInputs(olds, news);
        assert.deepEqual(decision.changed, ["keyVault"]);
        assert.equal(decision.rotates, false);
        assert.equal(decision.replaces.length, 0);
    });
    it("the same tags in another order are no change", () => {
        const tagged = (tags: Record<string, string>) => checkInputs({ ...storage, outputKeys: false, keyVault: { vaultUri, secretName: "a", tags } }).inputs;
        const decision = diffInputs(tagged({ owner: "platform", team: "payments" }), tagged({ team: "payments", owner: "platform" }));
        assert.deepEqual(decision.changed, []);
        assert.ok(diffInputs(tagged({ owner: "platform", team: "payments" }), tagged({ owner: "platform", team: "billing" })).changed.includes("keyVault"));
    });
    it("a vault created in the same deployment (unknown at preview) is a change", () => {
        assert.ok(diffInputs(olds, { ...olds, keyVault: { vaultUri: UNKNOWN, secretName: "a" } }).changed.includes("keyVault"));
    });
    it("a state whose Key Vault does not hold the active key (never written, or a key changed since) is completed", () => {
        const written = { ...olds, activeKeyType: "Primary", keyDigests: { Primary: "aaaa", Secondary: "bbbb" }, keyVaultSecretId: `${vaultUri}secrets/a/1` };
        assert.equal(diffInputs({ ...written, keyVaultKeyDigest: "aaaa" }, olds).resumes, false);
        assert.equal(diffInputs({ ...written, keyVaultKeyDigest: "cccc" }, olds).resumes, true);
        assert.equal(diffInputs({ ...written, keyVaultSecretId: undefined, keyVaultKeyDigest: "aaaa" }, olds).resumes, true);
    });
});
