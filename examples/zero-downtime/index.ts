// Zero-downtime rotation of an Azure SignalR key, every 30 days.
//
// KeyRotation (keyType "Alternate", the default) regenerates the key nobody uses, proves it, and
// makes it the active one. In the same deployment the web app's setting moves to the new active
// connection string, and KeyRotation writes it as a new version of a Key Vault secret for the other
// consumers; the key they held before stays valid until the next rotation, so no consumer holds a
// revoked key, even one that picks up the new key late.
//
// Here the app setting holds the connection string itself, so it is a KeyRotation output and sits
// in the Pulumi state (encrypted, as a secret). examples/storage shows the other way: the app reads
// Key Vault through a Key Vault reference, and `outputKeys: false` keeps every key out of the state.
//
// The identity running `pulumi up` needs Key Vault Secrets Officer on the vault to write the secret;
// the program grants it, which takes the right to assign roles (Owner, User Access Administrator,
// Role Based Access Control Administrator, or Key Vault Data Access Administrator on the vault). A
// new role assignment can take a minute or two to apply: if the first `pulumi up` stops with Key
// Vault answering 403, run it again; the key already regenerated is written without another regenerate.
//
//   pulumi config set azure-native:location westeurope
//   pulumi up                      # creates everything, rotates the secondary key, wires it up
//   pulumi up                      # inside 30 days: nothing to do
//   pulumi config set rotation now && pulumi up   # rotate early: the primary key, this time
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";

const config = new pulumi.Config();
const client = azure.authorization.getClientConfigOutput();

const group = new azure.resources.ResourceGroup("realtime");

const signalr = new azure.signalrservice.SignalR("realtime", {
    resourceGroupName: group.name,
    kind: "SignalR",
    sku: { name: "Standard_S1", tier: "Standard", capacity: 1 },
    features: [{ flag: "ServiceMode", value: "Default" }],
});

// A vault with Azure RBAC; Key Vault Secrets Officer (a built-in role) for the identity deploying.
const vault = new azure.keyvault.Vault("realtime", {
    resourceGroupName: group.name,
    properties: {
        tenantId: client.tenantId,
        sku: { family: azure.keyvault.SkuFamily.A, name: azure.keyvault.SkuName.Standard },
        enableRbacAuthorization: true,
    },
});
const deployerWrites = new azure.authorization.RoleAssignment("deployer-writes-secrets", {
    scope: vault.id,
    principalId: client.objectId,
    roleDefinitionId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7`,
});

const keys = new KeyRotation(
    "realtime-keys",
    {
        resourceId: signalr.id,
        rotateEvery: "30d",
        trigger: config.get("rotation"), // optional: change it to rotate before the 30 days are up
        // Each version expires 45 days after it is written: longer than rotateEvery, so the latest
        // version never expires while the schedule runs.
        keyVault: { vaultUri: vault.properties.vaultUri, secretName: "signalr-connection", expiresAfter: "45d" },
    },
    { dependsOn: [deployerWrites] },
);

// The app setting the SignalR SDK reads (Azure__SignalR__ConnectionString) follows the active key.
const plan = new azure.web.AppServicePlan("realtime", {
    resourceGroupName: group.name,
    kind: "linux",
    reserved: true,
    sku: { name: "B1", tier: "Basic" },
});
const app = new azure.web.WebApp("realtime", {
    resourceGroupName: group.name,
    serverFarmId: plan.id,
    httpsOnly: true,
    siteConfig: {
        linuxFxVersion: "DOTNETCORE|8.0",
        appSettings: [{ name: "Azure__SignalR__ConnectionString", value: keys.activeConnectionString.apply((c) => c ?? "") }],
    },
});

export const appUrl = pulumi.interpolate`https://${app.defaultHostName}`;
export const secretUri = keys.keyVaultSecretUri; // versionless: always the latest version
export const activeKeyType = keys.activeKeyType;
export const previousKeyType = keys.previousKeyType; // still valid until the next rotation
export const nextRotationAt = keys.nextRotationAt;
export const connectionString = keys.activeConnectionString; // a secret: `pulumi stack output --show-secrets`
