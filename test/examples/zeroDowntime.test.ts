import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { type ProgramResource, runProgram, secretAt } from "../helpers/program";

const KEY_ROTATION = "pulumi-nodejs:dynamic/keyRotation:KeyRotation";
const CONNECTION = "Endpoint=https://realtime.service.signalr.net;AccessKey=active-key;Version=1.0;";

// examples/zero-downtime, compiled with the rest of the repository; it imports the package by name.
describe("examples/zero-downtime: the Key Vault secret and the app setting follow activeConnectionString", () => {
    let resources: ProgramResource[];
    let exports: Awaited<ReturnType<typeof runProgram>>["exports"];
    const byType = (type: string) => resources.filter((r) => r.type === type);

    before(async () => {
        ({ resources, exports } = await runProgram(() => require(join(__dirname, "..", "..", "examples", "zero-downtime")), {
            id: (type, name) =>
                type === "azure-native:signalrservice:SignalR"
                    ? `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.SignalRService/signalR/${name}`
                    : `${name}-id`,
            // What the provider returns after a first Alternate rotation.
            outputs: (type) =>
                type === KEY_ROTATION
                    ? {
                          activeKeyType: "Secondary",
                          previousKeyType: "Primary",
                          activeConnectionString: CONNECTION,
                          activeKey: "active-key",
                          rotatedAt: "2026-11-23T00:00:00.000Z",
                          nextRotationAt: "2026-12-23T00:00:00.000Z",
                      }
                    : type === "azure-native:keyvault:Secret"
                      ? { properties: { secretUriWithVersion: "https://realtime.vault.azure.net/secrets/signalr-connection-string/1" } }
                      : type === "azure-native:web:WebApp"
                        ? { defaultHostName: "realtime.azurewebsites.net" }
                        : {},
            call: (token) =>
                token === "azure-native:authorization:getClientConfig"
                    ? { tenantId: "00000000-0000-0000-0000-000000000001", subscriptionId: "s", clientId: "c", objectId: "o" }
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

    it("the Key Vault secret holds the active connection string, as a secret, tagged with its key type", () => {
        const [secret] = byType("azure-native:keyvault:Secret");
        assert.ok(secretAt(secret.wire, ["properties", "value"]), "the value is sent as a Pulumi secret");
        assert.ok(!secretAt(secret.wire, ["tags", "keyType"]), "the tag is not a secret");
        assert.equal(secret.inputs.properties.value, CONNECTION);
        assert.deepEqual(secret.inputs.tags, { keyType: "Secondary", rotatedAt: "2026-11-23T00:00:00.000Z" });
    });

    it("the web app's SignalR setting holds the active connection string, as a secret", () => {
        const [app] = byType("azure-native:web:WebApp");
        assert.deepEqual(app.inputs.siteConfig.appSettings, [{ name: "Azure__SignalR__ConnectionString", value: CONNECTION }]);
        assert.ok(secretAt(app.wire, ["siteConfig", "appSettings", 0, "value"]), "the setting is sent as a Pulumi secret");
    });

    it("exports the active connection string as a secret, and the key types and schedule in clear", () => {
        assert.deepEqual(exports.connectionString, { secret: true, value: CONNECTION });
        assert.deepEqual(
            [exports.activeKeyType.value, exports.previousKeyType.value, exports.nextRotationAt.value],
            ["Secondary", "Primary", "2026-12-23T00:00:00.000Z"],
        );
        assert.equal(exports.activeKeyType.secret, false);
    });
});
