// Azure OpenAI: rotate the account's API keys (Key1 / Key2) with zero downtime.
//
// KeyRotation alternates (the default): each rotation regenerates the key nobody uses and makes it
// the active one. Azure OpenAI has no connection string: clients take the endpoint and the key, so
// the endpoint (read from the account: it depends on the custom subdomain) is an output too. The
// Key Vault secret, which the applications read, follows the active key.
//
//   pulumi up                                         # creates the account, rotates Key2
//   pulumi config set rotation 2027-01 && pulumi up   # rotates Key1
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";
import { keyVault, rotatedSecret } from "../shared/keyVault";

const config = new pulumi.Config();
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

const keys = new KeyRotation("assistant-keys", {
    resourceId: openai.id,
    trigger: config.get("rotation") ?? "2026-11",
});

const vault = keyVault("assistant", group.name);
const secret = rotatedSecret("openai-api-key", {
    vault,
    resourceGroupName: group.name,
    value: keys.activeKey,
    keyType: keys.activeKeyType,
    rotatedAt: keys.rotatedAt,
});

export const endpoint = keys.endpoint;
export const secretUri = secret.properties.secretUriWithVersion;
export const activeKeyType = keys.activeKeyType;
export const apiKey = keys.activeKey; // a secret: `pulumi stack output --show-secrets`
