/**
 * Guarantee 1's rules, as pure functions: which URLs an ARM answer may send the ARM token to (the
 * configured ARM origin, and the regional names of a cloud's ARM host), and which Key Vault
 * challenges a vault's token may be asked for (the vault host's own domain only). And the claims
 * that keep two KeyRotations of one deployment off the same keys.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRegionalHost } from "../../src/arm/client";
import { Claims } from "../../src/core/claims";
import { parseChallenge } from "../../src/keyVault/client";

describe("regional ARM hosts", () => {
    const global = new URL("https://management.azure.com/");
    const accepted = [
        "https://centraluseuap.management.azure.com/subscriptions/x/providers/Microsoft.DocumentDB/locations/centraluseuap/operationsStatus/1",
        "https://eastus2euap.management.azure.com/x",
        "https://EASTUS2EUAP.management.azure.com/x",
    ];
    const refused = [
        "https://management.azure.com.evil.example/x",
        "https://evil.example/management.azure.com/x",
        "https://a.b.management.azure.com/x",
        "https://east-us.management.azure.com/x",
        "http://eastus.management.azure.com/x",
        "https://eastus.management.azure.com:8443/x",
        "https://user:pw@eastus.management.azure.com/x",
        "https://xmanagement.azure.com/x",
        "https://eastus.management.usgovcloudapi.net/x",
    ];
    it("accepts one label of letters and digits before the configured cloud ARM host, over https on the default port", () => {
        for (const url of accepted) assert.ok(isRegionalHost(new URL(url), global), url);
    });
    it("refuses any other host, port, scheme, userinfo or cloud", () => {
        for (const url of refused) assert.ok(!isRegionalHost(new URL(url), global), url);
    });
    it("each cloud's own regional names, and none for a custom endpoint (Azure Stack, the emulator)", () => {
        assert.ok(isRegionalHost(new URL("https://chinanorth3.management.chinacloudapi.cn/x"), new URL("https://management.chinacloudapi.cn")));
        assert.ok(isRegionalHost(new URL("https://usgovvirginia.management.usgovcloudapi.net/x"), new URL("https://management.usgovcloudapi.net")));
        assert.ok(!isRegionalHost(new URL("https://eastus.localhost/x"), new URL("https://localhost")));
        assert.ok(!isRegionalHost(new URL("https://region.management.local.azurestack.external/x"), new URL("https://management.local.azurestack.external")));
    });
});

describe("Key Vault's challenge", () => {
    const vault = new URL("https://rotation-kv.vault.azure.net");
    it("gives the scope and the tenant, in the resource form and the scope form", () => {
        assert.deepEqual(parseChallenge('Bearer authorization="https://login.microsoftonline.com/72f988bf", resource="https://vault.azure.net"', vault), {
            scope: "https://vault.azure.net/.default",
            tenantId: "72f988bf",
        });
        assert.deepEqual(parseChallenge('Bearer authorization_uri="https://login.windows.net/t1", scope="https://vault.azure.net/.default"', vault), {
            scope: "https://vault.azure.net/.default",
            tenantId: "t1",
        });
    });
    it("is refused when it names a resource outside the vault host's own domain (a token for it would go to the vault)", () => {
        for (const resource of [
            "https://management.azure.com",
            "https://vault.azure.net.evil.example",
            "https://evil.example",
            "http://vault.azure.net",
            "not a url",
        ]) {
            assert.equal(parseChallenge(`Bearer authorization="https://login.microsoftonline.com/t", resource="${resource}"`, vault), undefined, resource);
        }
        assert.equal(
            parseChallenge(
                'Bearer authorization="https://login.microsoftonline.com/t", resource="https://vault.azure.net"',
                new URL("https://x.vault.azure.cn"),
            ),
            undefined,
        );
        assert.equal(parseChallenge("Basic realm=x", vault), undefined);
        assert.equal(parseChallenge(undefined, vault), undefined);
    });
});

describe("claims on a Key Vault secret", () => {
    it("refuse a second KeyRotation on the same secret (ignoring case), and let a KeyRotation's old secret go when it moves", () => {
        const claims = new Claims();
        const a = "https://kv.vault.azure.net/secrets/shared";
        assert.equal(claims.claimSecret(a, { id: "a", resourceId: "/x/a" }), undefined);
        assert.equal(claims.claimSecret(a, { id: "a", resourceId: "/x/a" }), undefined, "the same KeyRotation again");
        assert.deepEqual(claims.claimSecret("https://kv.vault.azure.net/secrets/SHARED", { id: "b", resourceId: "/x/b" }), { id: "a", resourceId: "/x/a" });
        assert.equal(claims.claimSecret("https://kv.vault.azure.net/secrets/other", { id: "a", resourceId: "/x/a" }), undefined, "a moves");
        assert.equal(claims.claimSecret(a, { id: "b", resourceId: "/x/b" }), undefined, "the secret a left is free");
    });
});

describe("claims on a resource's keys", () => {
    it("refuse a second KeyRotation on any key of the same pair, and allow Primary beside Secondary, and another pair", () => {
        const claims = new Claims();
        const target = "/subscriptions/x/resourcegroups/rg/providers/microsoft.documentdb/databaseaccounts/acct";
        assert.equal(claims.claim(target, { id: "a", keyTypes: ["Primary", "Secondary"], keyType: "Alternate" }), undefined);
        assert.equal(claims.claim(target, { id: "a", keyTypes: ["Primary", "Secondary"], keyType: "Alternate" }), undefined, "the same KeyRotation again");
        assert.equal(claims.claim(target, { id: "b", keyTypes: ["Primary", "Secondary"], keyType: "Alternate" })?.id, "a");
        assert.equal(claims.claim(target, { id: "c", keyTypes: ["Secondary"], keyType: "Secondary" })?.id, "a");
        assert.equal(claims.claim(target, { id: "d", keyTypes: ["PrimaryReadOnly", "SecondaryReadOnly"], keyType: "AlternateReadOnly" }), undefined);
        assert.equal(claims.claim(`${target}2`, { id: "b", keyTypes: ["Primary", "Secondary"], keyType: "Alternate" }), undefined, "another resource");
        const fixed = new Claims();
        assert.equal(fixed.claim(target, { id: "p", keyTypes: ["Primary"], keyType: "Primary" }), undefined);
        assert.equal(fixed.claim(target, { id: "s", keyTypes: ["Secondary"], keyType: "Secondary" }), undefined);
    });
});
