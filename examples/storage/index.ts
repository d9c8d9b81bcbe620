// A storage account whose connection string reaches a web app only through Key Vault.
//
// KeyRotation alternates (the default): each rotation regenerates the key nobody uses, proves it,
// and writes its connection string (KeyRotation builds it: ARM returns none for storage) as a new
// version of a Key Vault secret. With `outputKeys: false` no key or connection string is an output,
// so none is in the Pulumi state. The web app reads the secret through an App Service Key Vault
// reference on the secret's versionless URI, with its system-assigned managed identity: App Service
// picks up each new version within 24 hours (at once on any change to the app's configuration), and
// the key the app held before stays valid until the next rotation.
// (learn.microsoft.com/azure/app-service/app-service-key-vault-references: reference syntax, rotation.)
//
// The identity running `pulumi up` needs, besides creating the resources: Key Vault Secrets Officer
// on the vault, to write the secret (granted below to that identity), and the right to assign roles
// (Owner, User Access Administrator, Role Based Access Control Administrator, or Key Vault Data
// Access Administrator on the vault), for the two role assignments below. A new role assignment can
// take a minute or two to apply: if the first `pulumi up` stops with Key Vault answering 403, run it
// again; the key already regenerated is written without another regenerate.
//
//   pulumi config set azure-native:location westeurope
//   pulumi up                                         # creates everything, rotates key2
//   pulumi config set rotation 2027-01 && pulumi up   # rotates again: key1 this time
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";

const config = new pulumi.Config();
const client = azure.authorization.getClientConfigOutput();
const group = new azure.resources.ResourceGroup("storage");

const account = new azure.storage.StorageAccount("data", {
    resourceGroupName: group.name,
    kind: azure.storage.Kind.StorageV2,
    sku: { name: azure.storage.SkuName.Standard_LRS },
    // Shared keys must stay allowed for key-based clients; with false, ARM still rotates the keys but every service refuses them.
    allowSharedKeyAccess: true,
    minimumTlsVersion: azure.storage.MinimumTlsVersion.TLS1_2,
});

// Built-in roles (learn.microsoft.com/azure/role-based-access-control/built-in-roles/security).
const role = (id: string) => pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${id}`;
const KEY_VAULT_SECRETS_OFFICER = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
const KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";

// A vault with Azure RBAC: data-plane access only through role assignments.
const vault = new azure.keyvault.Vault("data", {
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
    roleDefinitionId: role(KEY_VAULT_SECRETS_OFFICER),
});

const keys = new KeyRotation(
    "data-keys",
    {
        resourceId: account.id,
        trigger: config.get("rotation") ?? "2026-11",
        keyVault: { vaultUri: vault.properties.vaultUri, secretName: "storage-connection" },
        outputKeys: false,
    },
    { dependsOn: [deployerWrites] },
);

const plan = new azure.web.AppServicePlan("data", {
    resourceGroupName: group.name,
    kind: "linux",
    reserved: true,
    sku: { name: "B1", tier: "Basic" },
});
const app = new azure.web.WebApp("data", {
    resourceGroupName: group.name,
    serverFarmId: plan.id,
    httpsOnly: true,
    identity: { type: azure.web.ManagedServiceIdentityType.SystemAssigned },
    siteConfig: { linuxFxVersion: "NODE|20-lts" },
});
const appReads = new azure.authorization.RoleAssignment("app-reads-secrets", {
    scope: vault.id, // the vault holds only this secret; `${vault.id}/secrets/storage-connection` narrows it to the secret
    principalId: app.identity.apply((identity) => identity?.principalId ?? ""),
    principalType: azure.authorization.PrincipalType.ServicePrincipal,
    roleDefinitionId: role(KEY_VAULT_SECRETS_USER),
});

// The app settings are their own resource, written once the app's identity may read the vault (a
// system-assigned identity exists only once the app does); writing them makes App Service resolve
// the reference at once. They replace all of the app's settings: keep every setting here.
new azure.web.WebAppApplicationSettings(
    "data-settings",
    {
        resourceGroupName: group.name,
        name: app.name,
        properties: {
            STORAGE_CONNECTION_STRING: pulumi.interpolate`@Microsoft.KeyVault(SecretUri=${keys.keyVaultSecretUri})`,
        },
    },
    { dependsOn: [appReads] },
);

export const appUrl = pulumi.interpolate`https://${app.defaultHostName}`;
export const secretUri = keys.keyVaultSecretUri; // versionless: always the latest version
export const secretVersion = keys.keyVaultSecretVersion; // the version that holds the active key
export const activeKeyType = keys.activeKeyType;
