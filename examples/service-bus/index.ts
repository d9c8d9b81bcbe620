// Service Bus: rotate the keys of a queue's own "send" rule with zero downtime.
//
// A rule on the queue, not the namespace's RootManageSharedAccessKey: senders get Send on this
// queue only, and its connection strings carry `EntityPath=orders`. KeyRotation alternates (the
// default): each rotation regenerates the key nobody uses and makes it the active one; the regenerate
// answers the rule's full key set, so nothing more is read. The Key Vault secret follows the active
// connection string.
//
//   pulumi up                                         # creates namespace, queue and rule, rotates the secondary key
//   pulumi config set rotation 2027-01 && pulumi up   # rotates the primary key
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";
import { keyVault, rotatedSecret } from "../shared/keyVault";

const config = new pulumi.Config();
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

const keys = new KeyRotation("orders-send-keys", {
    resourceId: send.id,
    trigger: config.get("rotation") ?? "2026-11",
});

const vault = keyVault("orders", group.name);
const secret = rotatedSecret("orders-send-connection-string", {
    vault,
    resourceGroupName: group.name,
    value: keys.activeConnectionString,
    keyType: keys.activeKeyType,
    rotatedAt: keys.rotatedAt,
});

export const secretUri = secret.properties.secretUriWithVersion;
export const activeKeyType = keys.activeKeyType;
export const connectionString = keys.activeConnectionString; // a secret: `pulumi stack output --show-secrets`
