import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { type ProgramResource, runProgram, secretAt } from "../helpers/program";

const KEY_ROTATION = "pulumi-nodejs:dynamic/keyRotation:KeyRotation";
const CONNECTION = "Endpoint=https://realtime.service.signalr.net;AccessKey=active-key;Version=1.0;";
const SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";
const DEPLOYER = "00000000-0000-0000-0000-00000000d3b1";
const VAULT_URI = "https://realtime-vault.vault.azure.net/";

// examples/zero-downtime, compiled with the rest of the repository; it imports the package by name.
describe("examples/zero-downtime: the app setting follows activeConnectionString, and KeyRotation writes it to Key Vault", () => {
    let resources: ProgramResource[];
    let exports: Awaited<ReturnType<typeof runProgram>>["exports"];
    const byType = (type: string) => resources.filter((r) => r.type === type);

    before(async () => {
        ({ resources, exports } = await runProgram(() => require(join(__dirname, "..", "..", "examples", "zero-downtime")), {
            id: (type, name) =>
                type === "azure-native:signalrservice:SignalR"
                    ? `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.SignalRService/signalR/${name}`
                    : type === "azure-native:keyvault:Vault"
                      ? `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${name}`
                      : `${name}-id`,
            // What the provider returns after a first Alternate rotation.
            outputs: (type, _name, inputs) =>
                type === KEY_ROTATION
                    ? {
                          activeKeyType: "Secondary",
                          previousKeyType: "Primary",
                          activeConnectionString: CONNECTION,
                          activeKey: "active-key",
                          rotatedAt: "2026-11-23T00:00:00.000Z",
                          nextRotationAt: "2026-12-23T00:00:00.000Z",
                          keyVaultSecretUri: `${inputs.keyVault.vaultUri}secrets/${inputs.keyVault.secretName}`,
                      }
                    : type === "azure-native:keyvault:Vault"
                      ? { properties: { ...inputs.properties, vaultUri: VAULT_URI } }
                      : type === "azure-native:web:WebApp"
                        ? { defaultHostName: "realtime.azurewebsites.net" }
                        : {},
            call: (token) =>
                token === "azure-native:authorization:getClientConfig"
                    ? { tenantId: "00000000-0000-0000-0000-0000000000aa", subscriptionId: SUBSCRIPTION, clientId: "c", objectId: DEPLOYER }
                    : {},
        }));
    });

    it("rotates the SignalR the program creates, with Alternate (the default) every 30 days", () => {
        const [rotation] = byType(KEY_ROTATION);
        const [signalr] = byType("azure-native:signalrservice:SignalR");
        assert.equal(rotation.inputs.resourceId, signalr.id);
        assert.equal(rotation.inputs.keyType, undefined, "left to the default, Alternate");
        assert.equal(rotation.inputs.rotateEvery, "30d");
    });

    it("KeyRotation writes the connection string to the program's vault, each version expiring after longer than rotateEvery, once the identity deploying may write", () => {
        const [rotation] = byType(KEY_ROTATION);
        const [vault] = byType("azure-native:keyvault:Vault");
        assert.equal(vault.inputs.properties.enableRbacAuthorization, true);
        assert.deepEqual(rotation.inputs.keyVault, { vaultUri: VAULT_URI, secretName: "signalr-connection", expiresAfter: "45d" });
        assert.equal(rotation.inputs.outputKeys, undefined, "keys stay outputs: the app setting holds the connection string itself");
        const [writes] = byType("azure-native:authorization:RoleAssignment");
        assert.deepEqual(
            [writes.inputs.scope, writes.inputs.principalId, writes.inputs.roleDefinitionId],
            [vault.id, DEPLOYER, `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7`],
            "Key Vault Secrets Officer on the vault, for the identity deploying",
        );
        assert.ok(rotation.dependsOn.includes(writes.name));
        assert.deepEqual(byType("azure-native:keyvault:Secret"), [], "no secret written through ARM: the value would be in the state twice");
    });

    it("the web app's SignalR setting holds the active connection string, as a secret", () => {
        const [app] = byType("azure-native:web:WebApp");
        assert.deepEqual(app.inputs.siteConfig.appSettings, [{ name: "Azure__SignalR__ConnectionString", value: CONNECTION }]);
        assert.ok(secretAt(app.wire, ["siteConfig", "appSettings", 0, "value"]), "the setting is sent as a Pulumi secret");
    });

    it("exports the active connection string as a secret, and the key types, schedule and secret URI in clear", () => {
        assert.deepEqual(exports.connectionString, { secret: true, value: CONNECTION });
        assert.deepEqual(
            [exports.activeKeyType.value, exports.previousKeyType.value, exports.nextRotationAt.value, exports.secretUri.value],
            ["Secondary", "Primary", "2026-12-23T00:00:00.000Z", `${VAULT_URI}secrets/signalr-connection`],
        );
        assert.equal(exports.activeKeyType.secret, false);
        assert.equal(exports.secretUri.secret, false);
    });
});
