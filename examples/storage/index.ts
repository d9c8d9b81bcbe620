// A storage account: rotate its account keys (key1 / key2) with zero downtime.
//
// KeyRotation alternates (the default): each rotation regenerates the key nobody uses and makes it
// the active one. ARM returns no connection string for storage; KeyRotation builds it, with the
// endpoint suffix of the configured cloud (azure-native:environment). The Key Vault secret, which
// the applications read, follows the active connection string.
//
//   pulumi up                                         # creates the account, rotates key2
//   pulumi config set rotation 2027-01 && pulumi up   # rotates again: key1 this time
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";
import { keyVault, rotatedSecret } from "../shared/keyVault";

const config = new pulumi.Config();
const group = new azure.resources.ResourceGroup("storage");

const account = new azure.storage.StorageAccount("data", {
    resourceGroupName: group.name,
    kind: azure.storage.Kind.StorageV2,
    sku: { name: azure.storage.SkuName.Standard_LRS },
    // Shared keys must stay allowed for key-based clients; with false, ARM still rotates the keys but every service refuses them.
    allowSharedKeyAccess: true,
    minimumTlsVersion: azure.storage.MinimumTlsVersion.TLS1_2,
});

const keys = new KeyRotation("data-keys", {
    resourceId: account.id,
    trigger: config.get("rotation") ?? "2026-11",
});

const vault = keyVault("data", group.name);
const secret = rotatedSecret("storage-connection-string", {
    vault,
    resourceGroupName: group.name,
    value: keys.activeConnectionString,
    keyType: keys.activeKeyType,
    rotatedAt: keys.rotatedAt,
});

export const secretUri = secret.properties.secretUriWithVersion;
export const activeKeyType = keys.activeKeyType;
export const connectionString = keys.activeConnectionString; // a secret: `pulumi stack output --show-secrets`
