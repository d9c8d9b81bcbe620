// API Management: rotate a partner's subscription key with zero downtime.
//
// The partner calls the gateway with the key in `Ocp-Apim-Subscription-Key`. APIM accepts both the
// primary and the secondary key; KeyRotation alternates between them, so the key the partner holds
// stays valid for one more rotation while they pick up the new one. KeyRotation writes the active key
// as a new version of a Key Vault secret, which the partner (or the pipeline that hands keys to
// partners) reads by its versionless URI (`secretUri`); with `outputKeys: false`, no key is an
// output, so none is in the Pulumi state.
//
// The identity running `pulumi up` needs Key Vault Secrets Officer on the vault to write the secret;
// the program grants it, which takes the right to assign roles (Owner, User Access Administrator,
// Role Based Access Control Administrator, or Key Vault Data Access Administrator on the vault). A
// new role assignment can take a minute or two to apply: if the first `pulumi up` stops with Key
// Vault answering 403, run it again; the key already regenerated is written without another regenerate.
//
//   pulumi config set publisherEmail platform@example.com
//   pulumi up
//   pulumi config set rotation 2027-01 && pulumi up
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";

const config = new pulumi.Config();
const client = azure.authorization.getClientConfigOutput();
const group = new azure.resources.ResourceGroup("gateway");

const apim = new azure.apimanagement.ApiManagementService("gateway", {
    resourceGroupName: group.name,
    publisherEmail: config.require("publisherEmail"),
    publisherName: "Platform team",
    sku: { name: azure.apimanagement.SkuType.Consumption, capacity: 0 },
});

const subscription = new azure.apimanagement.Subscription("partner-orders", {
    resourceGroupName: group.name,
    serviceName: apim.name,
    sid: "partner-orders",
    displayName: "Partner: orders",
    scope: "/apis",
    state: azure.apimanagement.SubscriptionState.Active,
});

// A vault with Azure RBAC; Key Vault Secrets Officer (a built-in role) for the identity deploying.
const vault = new azure.keyvault.Vault("gateway", {
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
    "partner-orders-keys",
    {
        resourceId: subscription.id,
        trigger: config.get("rotation") ?? "2026-11",
        // An APIM subscription has no connection string: the secret holds the key.
        keyVault: { vaultUri: vault.properties.vaultUri, secretName: "partner-orders-subscription-key", tags: { partner: "orders" } },
        outputKeys: false,
    },
    { dependsOn: [deployerWrites] },
);

export const gatewayUrl = apim.gatewayUrl;
export const secretUri = keys.keyVaultSecretUri; // versionless: always the latest version
export const secretVersion = keys.keyVaultSecretVersion; // the version that holds the active key
export const activeKeyType = keys.activeKeyType;
