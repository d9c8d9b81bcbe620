// Azure Communication Services: rotate its access key with zero downtime.
//
// KeyRotation alternates (the default): each rotation regenerates the key nobody uses and makes it
// the active one, so senders holding the previous connection string keep working until the next
// rotation. The Key Vault secret, which the senders read, follows the active connection string.
//
//   pulumi up                                     # creates the service, rotates the secondary key
//   pulumi config set rotation 2027-01 && pulumi up   # rotates again: the primary key this time
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";
import { keyVault, rotatedSecret } from "../shared/keyVault";

const config = new pulumi.Config();
const group = new azure.resources.ResourceGroup("messaging");

const communication = new azure.communication.CommunicationService("messaging", {
    resourceGroupName: group.name,
    location: "global",
    dataLocation: config.get("dataLocation") ?? "Europe",
});

const keys = new KeyRotation("messaging-keys", {
    resourceId: communication.id,
    trigger: config.get("rotation") ?? "2026-11",
});

const vault = keyVault("messaging", group.name);
const secret = rotatedSecret("acs-connection-string", {
    vault,
    resourceGroupName: group.name,
    value: keys.activeConnectionString,
    keyType: keys.activeKeyType,
    rotatedAt: keys.rotatedAt,
});

export const secretUri = secret.properties.secretUriWithVersion;
export const activeKeyType = keys.activeKeyType;
export const connectionString = keys.activeConnectionString; // a secret: `pulumi stack output --show-secrets`
