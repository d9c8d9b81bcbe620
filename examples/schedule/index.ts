// Rotate a SignalR key once per calendar month, from a scheduled pipeline.
//
// A pipeline runs `pulumi up` every day (cron). The trigger is the current month, so the first run
// of each month rotates the key and the other runs find nothing to do. Preview shows the rotation
// as a change of `trigger`. Compared with `rotateEvery: "30d"`, rotations land on calendar
// boundaries, which suits change windows and audits that count per month or quarter.
//
//   pulumi config set cadence quarterly     # optional: once per quarter instead
//   pulumi up                               # run it from the scheduled pipeline
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";
import { keyVault, rotatedSecret } from "../shared/keyVault";
import { parseCadence, rotationPeriod } from "./period";

const config = new pulumi.Config();
const period = rotationPeriod(new Date(), parseCadence(config.get("cadence")));

const group = new azure.resources.ResourceGroup("scheduled");
const signalr = new azure.signalrservice.SignalR("scheduled", {
    resourceGroupName: group.name,
    kind: "SignalR",
    sku: { name: "Free_F1", tier: "Free", capacity: 1 },
    features: [{ flag: "ServiceMode", value: "Serverless" }],
});

// Alternate (the default): the key the apps used last month stays valid until next month's rotation.
const keys = new KeyRotation("scheduled-keys", { resourceId: signalr.id, trigger: period });

const vault = keyVault("scheduled", group.name);
const secret = rotatedSecret("signalr-connection-string", {
    vault,
    resourceGroupName: group.name,
    value: keys.activeConnectionString,
    keyType: keys.activeKeyType,
    rotatedAt: keys.rotatedAt,
});

export const rotationPeriodNow = period;
export const secretUri = secret.properties.secretUriWithVersion;
export const rotatedAt = keys.rotatedAt;
export const connectionString = keys.activeConnectionString; // a secret
