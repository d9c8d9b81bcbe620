// Azure OpenAI: rotate the account's API keys (Key1 / Key2) with zero downtime.
//
// KeyRotation alternates (the default): each rotation regenerates the key nobody uses, proves it and
// makes it the active one. Azure OpenAI has no connection string: clients take the endpoint and the
// key, so the endpoint (read from the account: it depends on the custom subdomain) is an output, and
// KeyRotation writes the key itself as a new version of a Key Vault secret, which the applications
// read by its versionless URI (`secretUri`). With `outputKeys: false`, no key is an output, so none
// is in the Pulumi state.
//
// The identity running `pulumi up` needs Key Vault Secrets Officer on the vault to write the secret;
// the program grants it, which takes the right to assign roles (Owner, User Access Administrator,
// Role Based Access Control Administrator, or Key Vault Data Access Administrator on the vault). A
// new role assignment can take a minute or two to apply: if the first `pulumi up` stops with Key
// Vault answering 403, run it again; the key already regenerated is written without another regenerate.
//
//   pulumi up                                         # creates the account, rotates Key2
//   pulumi config set rotation 2027-01 && pulumi up   # rotates Key1
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";

const config = new pulumi.Config();
const client = azure.authorization.getClientConfigOutput();
const group = new azure.resources.ResourceGroup("assistant");
const subdomain = config.get("subdomain") ?? `assistant-${pulumi.getStack()}`;

const openai = new azure.cognitiveservices.Account("assistant", {
    resourceGroupName: group.name,
    kind: "OpenAI",
    sku: { name: "S0" },
    location: config.get("openaiLocation") ?? "swedencentral",
    // Keys work only while local authentication is allowed; with true, ARM refuses to list or regenerate them.
    properties: { customSubDomainName: subdomain, disableLocalAuth: false, publicNetworkAccess: "Enabled" },
});

// A vault with Azure RBAC; Key Vault Secrets Officer (a built-in role) for the identity deploying.
const vault = new azure.keyvault.Vault("assistant", {
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
    "assistant-keys",
    {
        resourceId: openai.id,
        trigger: config.get("rotation") ?? "2026-11",
        keyVault: { vaultUri: vault.properties.vaultUri, secretName: "openai-api-key", content: "key" },
        outputKeys: false,
    },
    { dependsOn: [deployerWrites] },
);

export const endpoint = keys.endpoint; // not a secret: clients take it with the key from Key Vault
export const secretUri = keys.keyVaultSecretUri; // versionless: always the latest version
export const secretVersion = keys.keyVaultSecretVersion; // the version that holds the active key
export const activeKeyType = keys.activeKeyType;
