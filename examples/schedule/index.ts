// Rotate a SignalR key once per calendar month, from a scheduled pipeline.
//
// A pipeline runs `pulumi up` every day (cron). The trigger is the current month, so the first run
// of each month rotates the key and the other runs find nothing to do. Preview shows the rotation
// as a change of `trigger`. Compared with `rotateEvery: "30d"`, rotations land on calendar
// boundaries, which suits change windows and audits that count per month or quarter.
//
// KeyRotation writes each month's connection string as a new version of a Key Vault secret, which
// the apps read by its versionless URI (`secretUri`); with `outputKeys: false`, no key or connection
// string is an output, so none is in the Pulumi state. Each version expires some days into the next
// period (`expiresAfter`): a vault policy that wants every secret to expire is met, and a latest
// version past its expiry says that the scheduled pipeline stopped rotating.
//
// The identity running `pulumi up` needs Key Vault Secrets Officer on the vault to write the secret;
// the program grants it, which takes the right to assign roles (Owner, User Access Administrator,
// Role Based Access Control Administrator, or Key Vault Data Access Administrator on the vault). A
// new role assignment can take a minute or two to apply: if the first `pulumi up` stops with Key
// Vault answering 403, run it again; the key already regenerated is written without another regenerate.
//
//   pulumi config set cadence quarterly     # optional: once per quarter instead
//   pulumi up                               # run it from the scheduled pipeline
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";
import { parseCadence, rotationPeriod } from "./period";

const config = new pulumi.Config();
const cadence = parseCadence(config.get("cadence"));
const period = rotationPeriod(new Date(), cadence);
const client = azure.authorization.getClientConfigOutput();

const group = new azure.resources.ResourceGroup("scheduled");
const signalr = new azure.signalrservice.SignalR("scheduled", {
    resourceGroupName: group.name,
    kind: "SignalR",
    sku: { name: "Free_F1", tier: "Free", capacity: 1 },
    features: [{ flag: "ServiceMode", value: "Serverless" }],
});

// A vault with Azure RBAC; Key Vault Secrets Officer (a built-in role) for the identity deploying.
const vault = new azure.keyvault.Vault("scheduled", {
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
    roleDefinitionId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7`,
});

// Alternate (the default): the key the apps used last month stays valid until next month's rotation.
const keys = new KeyRotation(
    "scheduled-keys",
    {
        resourceId: signalr.id,
        trigger: period,
        keyVault: {
            vaultUri: vault.properties.vaultUri,
            secretName: "signalr-connection",
            expiresAfter: cadence === "quarterly" ? "100d" : "40d",
            tags: { cadence },
        },
        outputKeys: false,
    },
    { dependsOn: [deployerWrites] },
);

export const rotationPeriodNow = period;
export const secretUri = keys.keyVaultSecretUri; // versionless: always the latest version
export const secretVersion = keys.keyVaultSecretVersion; // the version that holds the active key
export const rotatedAt = keys.rotatedAt;
