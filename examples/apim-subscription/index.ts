// API Management: rotate a partner's subscription key with zero downtime.
//
// The partner calls the gateway with the key in `Ocp-Apim-Subscription-Key`. APIM accepts both the
// primary and the secondary key; KeyRotation alternates between them, so the key the partner holds
// stays valid for one more rotation while they pick up the new one from the Key Vault secret.
//
//   pulumi config set publisherEmail platform@example.com
//   pulumi up
//   pulumi config set rotation 2027-01 && pulumi up
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";
import { keyVault, rotatedSecret } from "../shared/keyVault";

const config = new pulumi.Config();
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

const keys = new KeyRotation("partner-orders-keys", {
    resourceId: subscription.id,
    trigger: config.get("rotation") ?? "2026-11",
});

const vault = keyVault("gateway", group.name);
const secret = rotatedSecret("partner-orders-subscription-key", {
    vault,
    resourceGroupName: group.name,
    value: keys.activeKey,
    keyType: keys.activeKeyType,
    rotatedAt: keys.rotatedAt,
});

export const gatewayUrl = apim.gatewayUrl;
export const secretUri = secret.properties.secretUriWithVersion;
export const activeKeyType = keys.activeKeyType;
export const subscriptionKey = keys.activeKey; // a secret
