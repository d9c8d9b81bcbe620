import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { rotationPeriod } from "../../examples/schedule/period";
import { type ProgramResource, runProgram, secretAt } from "../helpers/program";

// One program per service in examples/, compiled with the repository (they import the package by
// name) and run whole under Pulumi's mocks: the KeyRotation must get the id of the target the
// program creates, and what it outputs must reach Key Vault and the stack outputs as secrets.

const KEY_ROTATION = "pulumi-nodejs:dynamic/keyRotation:KeyRotation";
const SECRET = "azure-native:keyvault:Secret";
const GROUP = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg/providers";

/** ARM ids for the targets, as azure-native reports them. */
const ARM_TYPES: Record<string, string> = {
    "azure-native:communication:CommunicationService": "Microsoft.Communication/communicationServices",
    "azure-native:apimanagement:ApiManagementService": "Microsoft.ApiManagement/service",
    "azure-native:apimanagement:Subscription": "Microsoft.ApiManagement/service/gateway/subscriptions",
    "azure-native:web:WebApp": "Microsoft.Web/sites",
    "azure-native:signalrservice:SignalR": "Microsoft.SignalRService/signalR",
    "azure-native:storage:StorageAccount": "Microsoft.Storage/storageAccounts",
    "azure-native:cosmosdb:DatabaseAccount": "Microsoft.DocumentDB/databaseAccounts",
    "azure-native:servicebus:QueueAuthorizationRule": "Microsoft.ServiceBus/namespaces/orders/queues/orders/authorizationRules",
    "azure-native:cognitiveservices:Account": "Microsoft.CognitiveServices/accounts",
};
const armId = (type: string, name: string) => (ARM_TYPES[type] ? `${GROUP}/${ARM_TYPES[type]}/${name}` : `${name}-id`);

/** What the provider returns after a first rotation (Alternate: Secondary made active). */
const ROTATED = {
    activeKeyType: "Secondary",
    previousKeyType: "Primary",
    rotatedKeyType: "Secondary",
    activeKey: "active-key",
    activeConnectionString: "endpoint=https://x;accesskey=active-key",
    rotatedAt: "2026-11-23T00:00:00.000Z",
    endpoint: "https://assistant.openai.azure.com/",
};
const CALLBACK = "https://workflows.azurewebsites.net/api/orders/triggers/manual/invoke?api-version=2022-05-01&sig=signature";

async function run(example: string, config: Record<string, string> = {}) {
    for (const [key, value] of Object.entries(config)) pulumi.runtime.setConfig(`examples:${key}`, value);
    const { resources, exports } = await runProgram(() => require(join(__dirname, "..", "..", "examples", example)), {
        id: armId,
        outputs: (type, _name, inputs) =>
            type === KEY_ROTATION
                ? String(inputs.resourceId).includes("/workflows/")
                    ? { rotatedKeyType: "Primary", rotatedAt: ROTATED.rotatedAt, callbackUrls: { manual: CALLBACK } }
                    : ROTATED
                : type === SECRET
                  ? { properties: { secretUriWithVersion: `https://vault.vault.azure.net/secrets/${inputs.secretName}/1` } }
                  : {},
        call: (token) =>
            token === "azure-native:authorization:getClientConfig"
                ? { tenantId: "00000000-0000-0000-0000-000000000001", subscriptionId: "s", clientId: "c", objectId: "o" }
                : token === "azure-native:storage:listStorageAccountKeys"
                  ? { keys: [{ keyName: "key1", value: "storage-key", permissions: "FULL" }] }
                  : token === "azure-native:storage:listStorageAccountServiceSAS"
                    ? { serviceSasToken: "sv=2022&sig=sas" }
                    : {},
    });
    const one = (type: string) => {
        const found = resources.filter((r) => r.type === type);
        assert.equal(found.length, 1, `one ${type}`);
        return found[0];
    };
    return { resources, exports, one };
}

/** The Key Vault secret holds `value`, sent as a Pulumi secret, tagged (in clear) with the key type. */
function assertVaultSecret(secret: ProgramResource, value: string, keyType: string) {
    assert.ok(secretAt(secret.wire, ["properties", "value"]), "the Key Vault secret's value is sent as a Pulumi secret");
    assert.equal(secret.inputs.properties.value, value);
    assert.ok(!secretAt(secret.wire, ["tags", "keyType"]), "the tag is not a secret");
    assert.deepEqual(secret.inputs.tags, { keyType, rotatedAt: ROTATED.rotatedAt });
}

describe("examples/communication", () => {
    it("rotates the Communication Services resource it creates; Key Vault and the stack output get the active connection string as secrets", async () => {
        const { exports, one } = await run("communication");
        const rotation = one(KEY_ROTATION);
        assert.equal(rotation.inputs.resourceId, one("azure-native:communication:CommunicationService").id);
        assert.equal(rotation.inputs.keyType, undefined, "Alternate, the default");
        assertVaultSecret(one(SECRET), ROTATED.activeConnectionString, "Secondary");
        assert.deepEqual(exports.connectionString, { secret: true, value: ROTATED.activeConnectionString });
    });
});

describe("examples/apim-subscription", () => {
    it("rotates the subscription it creates; Key Vault and the stack output get the active key as secrets", async () => {
        const { exports, one } = await run("apim-subscription", { publisherEmail: "platform@example.com" });
        const subscription = one("azure-native:apimanagement:Subscription");
        assert.equal(one(KEY_ROTATION).inputs.resourceId, subscription.id);
        assert.equal(subscription.inputs.scope, "/apis");
        assertVaultSecret(one(SECRET), ROTATED.activeKey, "Secondary");
        assert.deepEqual(exports.subscriptionKey, { secret: true, value: ROTATED.activeKey });
    });
});

describe("examples/apim-tenant-access", () => {
    it("rotates the tenant access of the APIM it creates; Key Vault and the stack output get the active key as secrets", async () => {
        const { exports, one } = await run("apim-tenant-access", { publisherEmail: "platform@example.com" });
        assert.equal(one(KEY_ROTATION).inputs.resourceId, `${one("azure-native:apimanagement:ApiManagementService").id}/tenant/access`);
        assertVaultSecret(one(SECRET), ROTATED.activeKey, "Secondary");
        assert.deepEqual(exports.managementKey, { secret: true, value: ROTATED.activeKey });
    });
});

describe("examples/logic-apps-standard", () => {
    it("rotates the primary key of the workflow in the app it creates; Key Vault and the stack output get the callback URL as secrets", async () => {
        const { exports, one } = await run("logic-apps-standard");
        const app = one("azure-native:web:WebApp");
        const rotation = one(KEY_ROTATION);
        assert.equal(rotation.inputs.resourceId, `${app.id}/workflows/orders`);
        assert.equal(rotation.inputs.keyType, "Primary", "Logic Apps cannot alternate");
        assertVaultSecret(one(SECRET), CALLBACK, "Primary");
        assert.deepEqual(exports.ordersCallbackUrl, { secret: true, value: CALLBACK });
        // The storage key and the package's SAS in the app settings are secrets too.
        const settings = app.inputs.siteConfig.appSettings as Array<{ name: string }>;
        for (const name of ["AzureWebJobsStorage", "WEBSITE_RUN_FROM_PACKAGE"]) {
            const index = settings.findIndex((s) => s.name === name);
            assert.ok(secretAt(app.wire, ["siteConfig", "appSettings", index, "value"]), `${name} is sent as a secret`);
        }
    });
});

describe("examples/storage", () => {
    it("rotates the storage account it creates, which keeps shared keys allowed; Key Vault and the stack output get the active connection string as secrets", async () => {
        const { exports, one } = await run("storage");
        const account = one("azure-native:storage:StorageAccount");
        const rotation = one(KEY_ROTATION);
        assert.equal(rotation.inputs.resourceId, account.id);
        assert.equal(rotation.inputs.keyType, undefined, "Alternate, the default");
        assert.equal(account.inputs.allowSharedKeyAccess, true);
        assertVaultSecret(one(SECRET), ROTATED.activeConnectionString, "Secondary");
        assert.deepEqual(exports.connectionString, { secret: true, value: ROTATED.activeConnectionString });
    });
});

describe("examples/cosmos-db", () => {
    it("rotates the read-write and the read-only pair of the account it creates, each with its own KeyRotation and Key Vault secret", async () => {
        const { resources, exports, one } = await run("cosmos-db");
        const account = one("azure-native:cosmosdb:DatabaseAccount");
        const rotations = Object.fromEntries(resources.filter((r) => r.type === KEY_ROTATION).map((r) => [r.name, r.inputs]));
        assert.deepEqual(Object.keys(rotations).sort(), ["catalog-keys", "catalog-read-only-keys"]);
        for (const inputs of Object.values(rotations)) assert.equal(inputs.resourceId, account.id);
        assert.equal(rotations["catalog-keys"].keyType, undefined, "Alternate, the default");
        assert.equal(rotations["catalog-read-only-keys"].keyType, "AlternateReadOnly");
        const secrets = resources.filter((r) => r.type === SECRET);
        assert.deepEqual(secrets.map((s) => s.inputs.secretName).sort(), ["cosmos-connection-string", "cosmos-read-only-connection-string"]);
        for (const secret of secrets) assertVaultSecret(secret, ROTATED.activeConnectionString, "Secondary");
        assert.deepEqual(exports.connectionString, { secret: true, value: ROTATED.activeConnectionString });
        assert.deepEqual(exports.readOnlyConnectionString, { secret: true, value: ROTATED.activeConnectionString });
    });
});

describe("examples/service-bus", () => {
    it("rotates the queue's send rule it creates; Key Vault and the stack output get the active connection string as secrets", async () => {
        const { exports, one } = await run("service-bus");
        const rule = one("azure-native:servicebus:QueueAuthorizationRule");
        assert.equal(one(KEY_ROTATION).inputs.resourceId, rule.id);
        assert.deepEqual(rule.inputs.rights, ["Send"]);
        assert.equal(one("azure-native:servicebus:Queue").inputs.queueName, "orders");
        assertVaultSecret(one(SECRET), ROTATED.activeConnectionString, "Secondary");
        assert.deepEqual(exports.connectionString, { secret: true, value: ROTATED.activeConnectionString });
    });
});

describe("examples/azure-openai", () => {
    it("rotates the Azure OpenAI account it creates; Key Vault and the stack output get the active key as secrets, the endpoint in clear", async () => {
        const { exports, one } = await run("azure-openai");
        const account = one("azure-native:cognitiveservices:Account");
        assert.equal(one(KEY_ROTATION).inputs.resourceId, account.id);
        assert.equal(account.inputs.kind, "OpenAI");
        assert.equal(account.inputs.properties.disableLocalAuth, false);
        assertVaultSecret(one(SECRET), ROTATED.activeKey, "Secondary");
        assert.deepEqual(exports.apiKey, { secret: true, value: ROTATED.activeKey });
        assert.deepEqual(exports.endpoint, { secret: false, value: ROTATED.endpoint });
    });
});

describe("examples/schedule", () => {
    it("rotation periods are calendar months or quarters, in UTC", () => {
        assert.equal(rotationPeriod(new Date("2026-11-30T23:59:59Z"), "monthly"), "2026-11");
        assert.equal(rotationPeriod(new Date("2026-12-01T00:00:00Z"), "monthly"), "2026-12");
        assert.equal(rotationPeriod(new Date("2026-03-31T12:00:00Z"), "quarterly"), "2026-Q1");
        assert.equal(rotationPeriod(new Date("2026-04-01T00:00:00Z"), "quarterly"), "2026-Q2");
        assert.equal(rotationPeriod(new Date("2026-12-31T23:59:59Z"), "quarterly"), "2026-Q4");
    });

    it("the trigger is the current month: the SignalR it creates rotates on the first deployment of each month", async () => {
        const { exports, one } = await run("schedule");
        const rotation = one(KEY_ROTATION);
        assert.equal(rotation.inputs.resourceId, one("azure-native:signalrservice:SignalR").id);
        // Read around the run, so a month boundary during the test cannot make it flaky.
        const now = [rotationPeriod(new Date(Date.now() - 60_000), "monthly"), rotationPeriod(new Date(), "monthly")];
        assert.ok(now.includes(rotation.inputs.trigger), `trigger ${rotation.inputs.trigger}`);
        assertVaultSecret(one(SECRET), ROTATED.activeConnectionString, "Secondary");
        assert.deepEqual(exports.connectionString, { secret: true, value: ROTATED.activeConnectionString });
    });
});

describe("examples/index.ts (targets from stack config)", () => {
    it("rotates each configured target; Logic Apps with Primary; the exported keys are secrets", async () => {
        const signalrId = `${GROUP}/Microsoft.SignalRService/signalR/hub`;
        const workflowId = `${GROUP}/Microsoft.Web/sites/app/workflows/orders`;
        const { resources, exports } = await run(".", { signalrId, workflowId, rotation: "2026-12" });
        const rotations = Object.fromEntries(resources.filter((r) => r.type === KEY_ROTATION).map((r) => [r.name, r.inputs]));
        assert.deepEqual(Object.keys(rotations).sort(), ["signalr-keys", "workflow-keys"]);
        assert.equal(rotations["signalr-keys"].resourceId, signalrId);
        assert.equal(rotations["signalr-keys"].trigger, "2026-12");
        assert.equal(rotations["workflow-keys"].resourceId, workflowId);
        assert.equal(rotations["workflow-keys"].keyType, "Primary");
        assert.deepEqual(exports.signalrConnectionString, { secret: true, value: ROTATED.activeConnectionString });
        assert.deepEqual(exports.workflowCallbackUrls, { secret: true, value: { manual: CALLBACK } });
    });
});
