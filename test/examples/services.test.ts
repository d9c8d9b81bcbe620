import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { rotationPeriod } from "../../examples/schedule/period";
import { checkInputs } from "../../src/core/inputs";
import { type ProgramResource, runProgram, secretAt } from "../helpers/program";

// One program per service in examples/, compiled with the repository (they import the package by
// name) and run whole under Pulumi's mocks: the KeyRotation must get the id of the target the
// program creates and deliver its key to the Key Vault the program creates, consumers must read
// that vault by reference, and where `outputKeys` is false no key may reach an export or another
// resource. The mocked provider answers with every key whatever `outputKeys` says, so an example
// that exported or wired a key would be caught here.

const KEY_ROTATION = "pulumi-nodejs:dynamic/keyRotation:KeyRotation";
const VAULT = "azure-native:keyvault:Vault";
const ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment";
const SUBSCRIPTION = "00000000-0000-0000-0000-0000000000aa";
const GROUP = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers`;
const DEPLOYER = "00000000-0000-0000-0000-00000000d3b1";
// learn.microsoft.com/azure/role-based-access-control/built-in-roles/security
const SECRETS_OFFICER = `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7`;
const SECRETS_USER = `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`;
const VERSION = "5c6e3a3b0e2a4b7e9a1f2d3c4b5a6978";

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
    "azure-native:keyvault:Vault": "Microsoft.KeyVault/vaults",
    "azure-native:managedidentity:UserAssignedIdentity": "Microsoft.ManagedIdentity/userAssignedIdentities",
    "azure-native:app:ManagedEnvironment": "Microsoft.App/managedEnvironments",
};
const armId = (type: string, name: string) => (ARM_TYPES[type] ? `${GROUP}/${ARM_TYPES[type]}/${name}` : `${name}-id`);

/** What the provider returns after a first rotation (Alternate: Secondary made active). */
const ROTATED = {
    activeKeyType: "Secondary",
    previousKeyType: "Primary",
    rotatedKeyType: "Secondary",
    activeKey: "active-key",
    primaryKey: "primary-key",
    secondaryKey: "active-key",
    activeConnectionString: "endpoint=https://x;accesskey=active-key",
    primaryConnectionString: "endpoint=https://x;accesskey=primary-key",
    secondaryConnectionString: "endpoint=https://x;accesskey=active-key",
    rotatedAt: "2026-11-23T00:00:00.000Z",
    endpoint: "https://assistant.openai.azure.com/",
};
/** Every secret value the mocked provider hands out. */
const KEY_VALUES = ["active-key", "primary-key", ROTATED.activeConnectionString, ROTATED.primaryConnectionString];
const CALLBACK = "https://workflows.azurewebsites.net/api/orders/triggers/manual/invoke?api-version=2022-05-01&sig=signature";

const vaultUri = (name: string) => `https://${name}-vault.vault.azure.net/`;

async function run(example: string, config: Record<string, string> = {}) {
    for (const [key, value] of Object.entries(config)) pulumi.runtime.setConfig(`examples:${key}`, value);
    const { resources, exports } = await runProgram(() => require(join(__dirname, "..", "..", "examples", example)), {
        id: armId,
        outputs: (type, name, inputs) => {
            if (type === KEY_ROTATION) {
                if (String(inputs.resourceId).includes("/workflows/"))
                    return { rotatedKeyType: "Primary", rotatedAt: ROTATED.rotatedAt, callbackUrls: { manual: CALLBACK } };
                const delivered = inputs.keyVault
                    ? {
                          keyVaultSecretUri: `${inputs.keyVault.vaultUri}secrets/${inputs.keyVault.secretName}`,
                          keyVaultSecretId: `${inputs.keyVault.vaultUri}secrets/${inputs.keyVault.secretName}/${VERSION}`,
                          keyVaultSecretVersion: VERSION,
                      }
                    : {};
                return { ...ROTATED, ...delivered };
            }
            if (type === VAULT) return { name, properties: { ...inputs.properties, vaultUri: vaultUri(name) } };
            if (type === "azure-native:web:WebApp")
                return {
                    name,
                    defaultHostName: `${name}.azurewebsites.net`,
                    identity: inputs.identity && { ...inputs.identity, principalId: `${name}-app-principal` },
                };
            if (type === "azure-native:managedidentity:UserAssignedIdentity") return { name, principalId: `${name}-principal` };
            return { name: inputs.name ?? name };
        },
        call: (token) =>
            token === "azure-native:authorization:getClientConfig"
                ? { tenantId: "00000000-0000-0000-0000-000000000001", subscriptionId: SUBSCRIPTION, clientId: "c", objectId: DEPLOYER }
                : token === "azure-native:storage:listStorageAccountKeys"
                  ? { keys: [{ keyName: "key1", value: "storage-key", permissions: "FULL" }] }
                  : token === "azure-native:storage:listStorageAccountServiceSAS"
                    ? { serviceSasToken: "sv=2022&sig=sas" }
                    : {},
    });
    // What the example gives each KeyRotation passes the provider's own check (names, secret name, tags, expiresAfter, ...).
    for (const rotation of resources.filter((r) => r.type === KEY_ROTATION)) {
        assert.deepEqual(checkInputs(rotation.inputs).failures, [], `${example}: ${rotation.name}'s inputs pass check`);
    }
    const all = (type: string) => resources.filter((r) => r.type === type);
    const one = (type: string) => {
        const found = all(type);
        assert.equal(found.length, 1, `one ${type}`);
        return found[0];
    };
    return { resources, exports, all, one };
}

type Run = Awaited<ReturnType<typeof run>>;

/**
 * The program's one vault uses Azure RBAC, the identity deploying gets Key Vault Secrets Officer on
 * it, and the KeyRotation writes to it only once that role is assigned.
 */
function assertVault({ one, all }: Run, rotations: ProgramResource[]): ProgramResource {
    const vault = one(VAULT);
    assert.equal(vault.inputs.properties.enableRbacAuthorization, true);
    const [deployer, ...others] = all(ROLE_ASSIGNMENT).filter((r) => r.inputs.principalId === DEPLOYER);
    assert.equal(others.length, 0, "one role assignment for the identity deploying");
    assert.deepEqual(
        { scope: deployer.inputs.scope, role: deployer.inputs.roleDefinitionId },
        { scope: vault.id, role: SECRETS_OFFICER },
        "Key Vault Secrets Officer on the vault, for the identity deploying",
    );
    for (const rotation of rotations) {
        assert.equal(rotation.inputs.keyVault.vaultUri, vaultUri(vault.name), `${rotation.name} writes to the program's vault`);
        assert.ok(rotation.dependsOn.includes(deployer.name), `${rotation.name} waits for the role that lets it write`);
    }
    return vault;
}

/** `outputKeys: false`, and no key or connection string in any export or any other resource's inputs. */
function assertNoKeyOutside({ resources, exports }: Run, rotations: ProgramResource[]) {
    for (const rotation of rotations) assert.equal(rotation.inputs.outputKeys, false, `${rotation.name}: outputKeys false`);
    const leaks = (value: unknown) => KEY_VALUES.filter((key) => JSON.stringify(value).includes(key));
    assert.deepEqual(leaks(exports), [], "no key is exported");
    for (const resource of resources.filter((r) => r.type !== KEY_ROTATION)) {
        assert.deepEqual(leaks(resource.inputs), [], `no key in the inputs of ${resource.type} ${resource.name}`);
    }
}

/** The secret's versionless URI and its version are exported, in clear. */
function assertSecretExports(exports: Run["exports"], rotation: ProgramResource) {
    const uri = `${rotation.inputs.keyVault.vaultUri}secrets/${rotation.inputs.keyVault.secretName}`;
    assert.deepEqual(exports.secretUri, { secret: false, value: uri });
}

describe("examples/storage", () => {
    // A program runs once per process (Node caches the module): both cases read the same run.
    let program: Run;
    before(async () => {
        program = await run("storage");
    });

    it("rotates the storage account it creates, which keeps shared keys allowed, into the program's Key Vault, with outputKeys false", () => {
        const account = program.one("azure-native:storage:StorageAccount");
        const rotation = program.one(KEY_ROTATION);
        assert.equal(rotation.inputs.resourceId, account.id);
        assert.equal(rotation.inputs.keyType, undefined, "Alternate, the default");
        assert.equal(account.inputs.allowSharedKeyAccess, true);
        assertVault(program, [rotation]);
        assert.equal(rotation.inputs.keyVault.secretName, "storage-connection");
        assert.equal(rotation.inputs.keyVault.content, undefined, "the connection string, the default for storage");
        assertNoKeyOutside(program, [rotation]);
        assertSecretExports(program.exports, rotation);
        assert.deepEqual(program.exports.secretVersion, { secret: false, value: VERSION });
    });

    it("the web app's setting is an App Service Key Vault reference to the secret's versionless URI, read with the app's system-assigned identity", () => {
        const vault = program.one(VAULT);
        const app = program.one("azure-native:web:WebApp");
        assert.equal(app.inputs.identity.type, "SystemAssigned");
        assert.equal(app.inputs.siteConfig.appSettings, undefined, "every setting is in WebAppApplicationSettings, which replaces them all");

        const settings = program.one("azure-native:web:WebAppApplicationSettings");
        assert.equal(settings.inputs.name, app.name);
        assert.deepEqual(settings.inputs.properties, {
            STORAGE_CONNECTION_STRING: `@Microsoft.KeyVault(SecretUri=${vaultUri(vault.name)}secrets/storage-connection)`,
        });
        assert.ok(!JSON.stringify(settings.inputs).includes(VERSION), "the reference names no version, so the app follows every new one");

        const reads = program.all(ROLE_ASSIGNMENT).find((r) => r.inputs.principalId === `${app.name}-app-principal`);
        assert.ok(reads, "a role assignment for the app's identity");
        assert.deepEqual(
            { scope: reads.inputs.scope, role: reads.inputs.roleDefinitionId, principalType: reads.inputs.principalType },
            { scope: vault.id, role: SECRETS_USER, principalType: "ServicePrincipal" },
            "Key Vault Secrets User on the vault",
        );
        assert.ok(settings.dependsOn.includes(reads.name), "the settings are written once the app may read the vault");
        assert.deepEqual(program.exports.appUrl, { secret: false, value: `https://${app.name}.azurewebsites.net` });
    });
});

describe("examples/service-bus", () => {
    let program: Run;
    before(async () => {
        program = await run("service-bus");
    });

    it("rotates the queue's send rule it creates into the program's Key Vault, with outputKeys false", () => {
        const rule = program.one("azure-native:servicebus:QueueAuthorizationRule");
        const rotation = program.one(KEY_ROTATION);
        assert.equal(rotation.inputs.resourceId, rule.id);
        assert.deepEqual(rule.inputs.rights, ["Send"]);
        assert.equal(program.one("azure-native:servicebus:Queue").inputs.queueName, "orders");
        assertVault(program, [rotation]);
        assertNoKeyOutside(program, [rotation]);
        assertSecretExports(program.exports, rotation);
    });

    it("the Container App's secret is a Key Vault reference (keyVaultUrl) to the versionless URI, read with a user-assigned identity allowed before the app exists", () => {
        const vault = program.one(VAULT);
        const identity = program.one("azure-native:managedidentity:UserAssignedIdentity");
        const app = program.one("azure-native:app:ContainerApp");
        assert.deepEqual(app.inputs.identity, { type: "UserAssigned", userAssignedIdentities: [identity.id] });
        assert.deepEqual(app.inputs.configuration.secrets, [
            { name: "orders-send-connection", keyVaultUrl: `${vaultUri(vault.name)}secrets/orders-send-connection`, identity: identity.id },
        ]);
        const [container] = app.inputs.template.containers;
        const env = Object.fromEntries(container.env.map((e: { name: string }) => [e.name, e]));
        assert.deepEqual(env.SERVICEBUS_CONNECTION_STRING, { name: "SERVICEBUS_CONNECTION_STRING", secretRef: "orders-send-connection" });

        const reads = program.all(ROLE_ASSIGNMENT).find((r) => r.inputs.principalId === `${identity.name}-principal`);
        assert.ok(reads, "a role assignment for the app's identity");
        assert.deepEqual(
            { scope: reads.inputs.scope, role: reads.inputs.roleDefinitionId, principalType: reads.inputs.principalType },
            { scope: vault.id, role: SECRETS_USER, principalType: "ServicePrincipal" },
            "Key Vault Secrets User on the vault",
        );
        assert.ok(app.dependsOn.includes(reads.name), "the app is created once its identity may read the vault");
    });
});

describe("examples/communication", () => {
    it("rotates the Communication Services resource it creates into the program's Key Vault, with outputKeys false", async () => {
        const program = await run("communication");
        const rotation = program.one(KEY_ROTATION);
        assert.equal(rotation.inputs.resourceId, program.one("azure-native:communication:CommunicationService").id);
        assert.equal(rotation.inputs.keyType, undefined, "Alternate, the default");
        assertVault(program, [rotation]);
        assertNoKeyOutside(program, [rotation]);
        assertSecretExports(program.exports, rotation);
        assert.deepEqual(program.exports.activeKeyType, { secret: false, value: "Secondary" });
    });
});

describe("examples/apim-subscription", () => {
    it("rotates the subscription it creates into the program's Key Vault, with outputKeys false", async () => {
        const program = await run("apim-subscription", { publisherEmail: "platform@example.com" });
        const subscription = program.one("azure-native:apimanagement:Subscription");
        const rotation = program.one(KEY_ROTATION);
        assert.equal(rotation.inputs.resourceId, subscription.id);
        assert.equal(subscription.inputs.scope, "/apis");
        assertVault(program, [rotation]);
        assert.deepEqual(rotation.inputs.keyVault.tags, { partner: "orders" });
        assertNoKeyOutside(program, [rotation]);
        assertSecretExports(program.exports, rotation);
    });
});

describe("examples/apim-tenant-access", () => {
    it("rotates the tenant access of the APIM it creates into the program's Key Vault, with outputKeys false", async () => {
        const program = await run("apim-tenant-access", { publisherEmail: "platform@example.com" });
        const rotation = program.one(KEY_ROTATION);
        assert.equal(rotation.inputs.resourceId, `${program.one("azure-native:apimanagement:ApiManagementService").id}/tenant/access`);
        assertVault(program, [rotation]);
        assertNoKeyOutside(program, [rotation]);
        assertSecretExports(program.exports, rotation);
    });
});

describe("examples/logic-apps-standard", () => {
    it("rotates the primary key of the workflow in the app it creates; the callback URL is a secret stack output, with no Key Vault (check refuses it there)", async () => {
        const { exports, one, all } = await run("logic-apps-standard");
        const app = one("azure-native:web:WebApp");
        const rotation = one(KEY_ROTATION);
        assert.equal(rotation.inputs.resourceId, `${app.id}/workflows/orders`);
        assert.equal(rotation.inputs.keyType, "Primary", "Logic Apps cannot alternate");
        assert.equal(rotation.inputs.keyVault, undefined);
        assert.deepEqual(all(VAULT), []);
        assert.deepEqual(exports.ordersCallbackUrl, { secret: true, value: CALLBACK });
        // The storage key and the package's SAS in the app settings are secrets too.
        const settings = app.inputs.siteConfig.appSettings as Array<{ name: string }>;
        for (const name of ["AzureWebJobsStorage", "WEBSITE_RUN_FROM_PACKAGE"]) {
            const index = settings.findIndex((s) => s.name === name);
            assert.ok(secretAt(app.wire, ["siteConfig", "appSettings", index, "value"]), `${name} is sent as a secret`);
        }
    });
});

describe("examples/cosmos-db", () => {
    it("rotates the read-write and the read-only pair of the account it creates, each into its own Key Vault secret, with outputKeys false", async () => {
        const program = await run("cosmos-db");
        const account = program.one("azure-native:cosmosdb:DatabaseAccount");
        const rotations = program.all(KEY_ROTATION);
        const byName = Object.fromEntries(rotations.map((r) => [r.name, r.inputs]));
        assert.deepEqual(Object.keys(byName).sort(), ["catalog-keys", "catalog-read-only-keys"]);
        for (const inputs of Object.values(byName)) assert.equal(inputs.resourceId, account.id);
        assert.equal(byName["catalog-keys"].keyType, undefined, "Alternate, the default");
        assert.equal(byName["catalog-read-only-keys"].keyType, "AlternateReadOnly");
        assertVault(program, rotations);
        assert.deepEqual(
            [byName["catalog-keys"].keyVault.secretName, byName["catalog-read-only-keys"].keyVault.secretName],
            ["cosmos-connection", "cosmos-read-only-connection"],
        );
        assertNoKeyOutside(program, rotations);
        assert.deepEqual(program.exports.readOnlySecretUri, {
            secret: false,
            value: `${byName["catalog-read-only-keys"].keyVault.vaultUri}secrets/cosmos-read-only-connection`,
        });
    });
});

describe("examples/azure-openai", () => {
    it("rotates the Azure OpenAI account it creates; the key itself goes to Key Vault, with outputKeys false, and the endpoint is exported in clear", async () => {
        const program = await run("azure-openai");
        const account = program.one("azure-native:cognitiveservices:Account");
        const rotation = program.one(KEY_ROTATION);
        assert.equal(rotation.inputs.resourceId, account.id);
        assert.equal(account.inputs.kind, "OpenAI");
        assert.equal(account.inputs.properties.disableLocalAuth, false);
        assertVault(program, [rotation]);
        assert.equal(rotation.inputs.keyVault.content, "key");
        assertNoKeyOutside(program, [rotation]);
        assertSecretExports(program.exports, rotation);
        assert.deepEqual(program.exports.endpoint, { secret: false, value: ROTATED.endpoint });
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

    it("the trigger is the current month: the SignalR it creates rotates on the first deployment of each month, each version expiring some days into the next", async () => {
        const program = await run("schedule");
        const rotation = program.one(KEY_ROTATION);
        assert.equal(rotation.inputs.resourceId, program.one("azure-native:signalrservice:SignalR").id);
        // Read around the run, so a month boundary during the test cannot make it flaky.
        const now = [rotationPeriod(new Date(Date.now() - 60_000), "monthly"), rotationPeriod(new Date(), "monthly")];
        assert.ok(now.includes(rotation.inputs.trigger), `trigger ${rotation.inputs.trigger}`);
        assertVault(program, [rotation]);
        assert.deepEqual([rotation.inputs.keyVault.expiresAfter, rotation.inputs.keyVault.tags], ["40d", { cadence: "monthly" }]);
        assertNoKeyOutside(program, [rotation]);
        assertSecretExports(program.exports, rotation);
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
