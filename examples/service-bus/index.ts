// Service Bus: rotate a queue's own "send" rule, and hand its connection string to a Container App
// through Key Vault only.
//
// A rule on the queue, not the namespace's RootManageSharedAccessKey: senders get Send on this
// queue only, and its connection strings carry `EntityPath=orders`. KeyRotation alternates (the
// default): each rotation regenerates the key nobody uses, proves it, and writes the connection
// string as a new version of a Key Vault secret. With `outputKeys: false` no key or connection
// string is an output, so none is in the Pulumi state.
//
// The Container App's secret is a Key Vault reference on the secret's versionless URI, read with a
// user-assigned identity (a system-assigned one exists only after the app does, too late for the
// app's creation, which reads the secret). Container Apps picks up each new version within 30
// minutes and restarts the revisions whose environment uses it; the key they held before stays valid
// until the next rotation. (learn.microsoft.com/azure/container-apps/manage-secrets, "Reference
// secret from Key Vault".)
//
// The identity running `pulumi up` needs, besides creating the resources: Key Vault Secrets Officer
// on the vault, to write the secret (granted below to that identity), and the right to assign roles
// (Owner, User Access Administrator, Role Based Access Control Administrator, or Key Vault Data
// Access Administrator on the vault). A new role assignment can take a minute or two to apply: if
// the first `pulumi up` stops with Key Vault answering 403, run it again; the key already
// regenerated is written without another regenerate.
//
//   pulumi config set azure-native:location westeurope
//   pulumi config set image myregistry.azurecr.io/orders-sender:1.0   # optional: your sender's image
//   pulumi up                                         # creates everything, rotates the secondary key
//   pulumi config set rotation 2027-01 && pulumi up   # rotates the primary key
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";

const config = new pulumi.Config();
const client = azure.authorization.getClientConfigOutput();
const group = new azure.resources.ResourceGroup("orders");

const namespace = new azure.servicebus.Namespace("orders", {
    resourceGroupName: group.name,
    sku: { name: azure.servicebus.SkuName.Standard, tier: azure.servicebus.SkuTier.Standard },
    // SAS keys work only while local authentication is allowed.
    disableLocalAuth: false,
});
const queue = new azure.servicebus.Queue("orders", { resourceGroupName: group.name, namespaceName: namespace.name, queueName: "orders" });
const send = new azure.servicebus.QueueAuthorizationRule("send", {
    resourceGroupName: group.name,
    namespaceName: namespace.name,
    queueName: queue.name,
    authorizationRuleName: "send",
    rights: [azure.servicebus.AccessRights.Send],
});

// Built-in roles (learn.microsoft.com/azure/role-based-access-control/built-in-roles/security).
const role = (id: string) => pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${id}`;
const KEY_VAULT_SECRETS_OFFICER = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
const KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";

// A vault with Azure RBAC: data-plane access only through role assignments.
const vault = new azure.keyvault.Vault("orders", {
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
    "orders-send-keys",
    {
        resourceId: send.id,
        trigger: config.get("rotation") ?? "2026-11",
        keyVault: { vaultUri: vault.properties.vaultUri, secretName: "orders-send-connection" },
        outputKeys: false,
    },
    { dependsOn: [deployerWrites] },
);

// The sender's identity, allowed to read the vault's secrets before the app exists.
const sender = new azure.managedidentity.UserAssignedIdentity("orders-sender", { resourceGroupName: group.name });
const senderReads = new azure.authorization.RoleAssignment("sender-reads-secrets", {
    scope: vault.id, // the vault holds only this secret; `${vault.id}/secrets/orders-send-connection` narrows it to the secret
    principalId: sender.principalId,
    principalType: azure.authorization.PrincipalType.ServicePrincipal,
    roleDefinitionId: role(KEY_VAULT_SECRETS_USER),
});

const environment = new azure.app.ManagedEnvironment("orders", { resourceGroupName: group.name });
const app = new azure.app.ContainerApp(
    "orders-sender",
    {
        resourceGroupName: group.name,
        managedEnvironmentId: environment.id,
        identity: { type: azure.app.ManagedServiceIdentityType.UserAssigned, userAssignedIdentities: [sender.id] },
        configuration: {
            // A Key Vault reference: the app holds the secret's URI, Container Apps fetches its value.
            secrets: [{ name: "orders-send-connection", keyVaultUrl: keys.keyVaultSecretUri, identity: sender.id }],
        },
        template: {
            containers: [
                {
                    name: "sender",
                    image: config.get("image") ?? "mcr.microsoft.com/k8se/quickstart:latest",
                    env: [
                        { name: "SERVICEBUS_CONNECTION_STRING", secretRef: "orders-send-connection" },
                        { name: "SERVICEBUS_QUEUE", value: "orders" },
                    ],
                },
            ],
        },
    },
    { dependsOn: [senderReads] },
);

export const containerApp = app.name;
export const secretUri = keys.keyVaultSecretUri; // versionless: always the latest version
export const secretVersion = keys.keyVaultSecretVersion; // the version that holds the active key
export const activeKeyType = keys.activeKeyType;
