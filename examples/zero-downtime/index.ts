// Zero-downtime rotation of an Azure SignalR key, every 30 days.
//
// KeyRotation (keyType "Alternate", the default) regenerates the key nobody uses and makes it the
// active one. In the same deployment the Key Vault secret and the web app's setting move to the new
// active connection string; the key they held before stays valid until the next rotation, so the
// app never holds a revoked key, even if it picks up the new one late.
//
//   pulumi config set azure-native:location westeurope
//   pulumi up                      # creates everything, rotates the secondary key, wires it up
//   pulumi up                      # inside 30 days: nothing to do
//   pulumi config set rotation now && pulumi up   # rotate early: the primary key, this time
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";
import { keyVault, rotatedSecret } from "../shared/keyVault";

const config = new pulumi.Config();

const group = new azure.resources.ResourceGroup("realtime");

const signalr = new azure.signalrservice.SignalR("realtime", {
    resourceGroupName: group.name,
    kind: "SignalR",
    sku: { name: "Standard_S1", tier: "Standard", capacity: 1 },
    features: [{ flag: "ServiceMode", value: "Default" }],
});

const keys = new KeyRotation("realtime-keys", {
    resourceId: signalr.id,
    rotateEvery: "30d",
    trigger: config.get("rotation"), // optional: change it to rotate before the 30 days are up
});

// The Key Vault secret follows the active connection string; its tags say which key it holds.
const vault = keyVault("realtime", group.name);
const secret = rotatedSecret("signalr-connection-string", {
    vault,
    resourceGroupName: group.name,
    value: keys.activeConnectionString,
    keyType: keys.activeKeyType,
    rotatedAt: keys.rotatedAt,
});

// So does the app setting the SignalR SDK reads (Azure__SignalR__ConnectionString).
const plan = new azure.web.AppServicePlan("realtime", {
    resourceGroupName: group.name,
    kind: "linux",
    reserved: true,
    sku: { name: "B1", tier: "Basic" },
});
const app = new azure.web.WebApp("realtime", {
    resourceGroupName: group.name,
    serverFarmId: plan.id,
    httpsOnly: true,
    siteConfig: {
        linuxFxVersion: "DOTNETCORE|8.0",
        appSettings: [{ name: "Azure__SignalR__ConnectionString", value: keys.activeConnectionString.apply((c) => c ?? "") }],
    },
});

export const appUrl = pulumi.interpolate`https://${app.defaultHostName}`;
export const secretUri = secret.properties.secretUriWithVersion;
export const activeKeyType = keys.activeKeyType;
export const previousKeyType = keys.previousKeyType; // still valid until the next rotation
export const nextRotationAt = keys.nextRotationAt;
export const connectionString = keys.activeConnectionString; // a secret: `pulumi stack output --show-secrets`
