// A Cosmos DB account: rotate its read-write keys and its read-only keys, each pair on its own.
//
// Cosmos DB has two key pairs, so two KeyRotations: `Alternate` moves the writers between the
// primary and secondary keys, `AlternateReadOnly` moves the readers between the read-only ones.
// Each regenerates only the key of its pair that nobody uses. Regenerating a Cosmos DB key is a
// long-running operation; KeyRotation follows it and reads the keys back. Each KeyRotation writes its
// active connection string (the NoSQL API's, `AccountEndpoint=…;AccountKey=…;`) as a new version of
// its own Key Vault secret, so writers and readers can be given access to one secret each; with
// `outputKeys: false`, no key or connection string is an output, so none is in the Pulumi state.
//
// The identity running `pulumi up` needs Key Vault Secrets Officer on the vault to write the secrets;
// the program grants it, which takes the right to assign roles (Owner, User Access Administrator,
// Role Based Access Control Administrator, or Key Vault Data Access Administrator on the vault). A
// new role assignment can take a minute or two to apply: if the first `pulumi up` stops with Key
// Vault answering 403, run it again; the keys already regenerated are written without another regenerate.
//
//   pulumi up                                         # creates the account, rotates both secondaries
//   pulumi config set rotation 2027-01 && pulumi up   # rotates both primaries
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";

const config = new pulumi.Config();
const client = azure.authorization.getClientConfigOutput();
const group = new azure.resources.ResourceGroup("catalog");
const location = config.get("cosmosLocation") ?? "westeurope";

const account = new azure.cosmosdb.DatabaseAccount("catalog", {
    resourceGroupName: group.name,
    databaseAccountOfferType: azure.cosmosdb.DatabaseAccountOfferType.Standard,
    locations: [{ locationName: location, failoverPriority: 0 }],
    consistencyPolicy: { defaultConsistencyLevel: azure.cosmosdb.DefaultConsistencyLevel.Session },
    // Keys work only while local (key) authentication is allowed.
    disableLocalAuth: false,
});

// A vault with Azure RBAC; Key Vault Secrets Officer (a built-in role) for the identity deploying.
const vault = new azure.keyvault.Vault("catalog", {
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

const trigger = config.get("rotation") ?? "2026-11";
const writers = new KeyRotation(
    "catalog-keys",
    {
        resourceId: account.id,
        trigger,
        keyVault: { vaultUri: vault.properties.vaultUri, secretName: "cosmos-connection" },
        outputKeys: false,
    },
    { dependsOn: [deployerWrites] },
);
const readers = new KeyRotation(
    "catalog-read-only-keys",
    {
        resourceId: account.id,
        keyType: "AlternateReadOnly",
        trigger,
        keyVault: { vaultUri: vault.properties.vaultUri, secretName: "cosmos-read-only-connection" },
        outputKeys: false,
    },
    { dependsOn: [deployerWrites] },
);

export const endpoint = writers.endpoint;
export const secretUri = writers.keyVaultSecretUri; // versionless: always the latest version
export const readOnlySecretUri = readers.keyVaultSecretUri;
export const activeKeyType = writers.activeKeyType;
export const activeReadOnlyKeyType = readers.activeKeyType;
