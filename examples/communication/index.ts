// Azure Communication Services: rotate its access key with zero downtime.
//
// KeyRotation alternates (the default): each rotation regenerates the key nobody uses, proves it and
// makes it the active one, so senders holding the previous connection string keep working until the
// next rotation. KeyRotation writes the active connection string as a new version of a Key Vault
// secret, which the senders read by its versionless URI (`secretUri`); with `outputKeys: false`, no
// key or connection string is an output, so none is in the Pulumi state.
//
// The identity running `pulumi up` needs Key Vault Secrets Officer on the vault to write the secret;
// the program grants it, which takes the right to assign roles (Owner, User Access Administrator,
// Role Based Access Control Administrator, or Key Vault Data Access Administrator on the vault). A
// new role assignment can take a minute or two to apply: if the first `pulumi up` stops with Key
// Vault answering 403, run it again; the key already regenerated is written without another regenerate.
//
//   pulumi up                                     # creates the service, rotates the secondary key
//   pulumi config set rotation 2027-01 && pulumi up   # rotates again: the primary key this time
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";

const config = new pulumi.Config();
const client = azure.authorization.getClientConfigOutput();
const group = new azure.resources.ResourceGroup("messaging");

const communication = new azure.communication.CommunicationService("messaging", {
    resourceGroupName: group.name,
    location: "global",
    dataLocation: config.get("dataLocation") ?? "Europe",
});

// A vault with Azure RBAC; Key Vault Secrets Officer (a built-in role) for the identity deploying.
const vault = new azure.keyvault.Vault("messaging", {
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
    "messaging-keys",
    {
        resourceId: communication.id,
        trigger: config.get("rotation") ?? "2026-11",
        keyVault: { vaultUri: vault.properties.vaultUri, secretName: "acs-connection" },
        outputKeys: false,
    },
    { dependsOn: [deployerWrites] },
);

export const secretUri = keys.keyVaultSecretUri; // versionless: always the latest version
export const secretVersion = keys.keyVaultSecretVersion; // the version that holds the active key
export const activeKeyType = keys.activeKeyType;
