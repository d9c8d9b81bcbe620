// Rotates one key of each supported service. The targets come from stack config, so the same
// program runs against the embedded emulator (`npm run emulator` prints ids) or real Azure.
//
//   pulumi config set signalrId /subscriptions/.../providers/Microsoft.SignalRService/signalR/my-hub
//   pulumi config set rotation 2026-11          # bump it and `pulumi up` to rotate again
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation, type KeyTypeName, type RotationInterval } from "pulumi-azure-key-rotation";

const config = new pulumi.Config();
const trigger = config.get("rotation") ?? "2026-11";

// keyType undefined: Alternate, the zero-downtime default. Logic Apps cannot alternate.
const targets: Record<string, { configKey: string; keyType?: KeyTypeName }> = {
    "signalr-keys": { configKey: "signalrId" },
    "acs-keys": { configKey: "communicationId" },
    "apim-management-keys": { configKey: "apimTenantAccessId" },
    "apim-subscription-keys": { configKey: "apimSubscriptionId" },
    "workflow-keys": { configKey: "workflowId", keyType: "Primary" },
};

const rotations: Record<string, KeyRotation> = {};
for (const [name, { configKey, keyType }] of Object.entries(targets)) {
    const resourceId = config.get(configKey);
    if (resourceId)
        rotations[name] = new KeyRotation(name, { resourceId, keyType, trigger, rotateEvery: config.get("rotateEvery") as RotationInterval | undefined });
}

// Every key output is a secret; these stay encrypted in the state and masked in the CLI.
export const signalrConnectionString = rotations["signalr-keys"]?.activeConnectionString;
export const acsConnectionString = rotations["acs-keys"]?.activeConnectionString;
export const apimSubscriptionKey = rotations["apim-subscription-keys"]?.activeKey;
export const workflowCallbackUrls = rotations["workflow-keys"]?.callbackUrls;
export const rotatedAt = pulumi.all(Object.values(rotations).map((r) => r.rotatedAt));
