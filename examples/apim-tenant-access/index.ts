// API Management: rotate the key of the direct management API (tenant access, `integration` user).
//
// Automation signs SharedAccessSignature tokens with this key. KeyRotation alternates between the
// primary and secondary keys, so tokens signed with the previous key keep working until the next
// rotation; the automation reads the active key from the Key Vault secret.
//
//   pulumi config set publisherEmail platform@example.com
//   pulumi up
//   pulumi config set rotation 2027-01 && pulumi up
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";
import { keyVault, rotatedSecret } from "../shared/keyVault";

const config = new pulumi.Config();
const group = new azure.resources.ResourceGroup("management");

const apim = new azure.apimanagement.ApiManagementService("management", {
    resourceGroupName: group.name,
    publisherEmail: config.require("publisherEmail"),
    publisherName: "Platform team",
    sku: { name: azure.apimanagement.SkuType.Developer, capacity: 1 },
});

// Tenant access is a child of every APIM instance: its id is the service's id + /tenant/access.
const keys = new KeyRotation("management-api-keys", {
    resourceId: pulumi.interpolate`${apim.id}/tenant/access`,
    trigger: config.get("rotation") ?? "2026-11",
});

const vault = keyVault("management", group.name);
const secret = rotatedSecret("apim-management-key", {
    vault,
    resourceGroupName: group.name,
    value: keys.activeKey,
    keyType: keys.activeKeyType,
    rotatedAt: keys.rotatedAt,
});

export const managementApiUrl = apim.managementApiUrl;
export const secretUri = secret.properties.secretUriWithVersion;
export const activeKeyType = keys.activeKeyType;
export const managementKey = keys.activeKey; // a secret
