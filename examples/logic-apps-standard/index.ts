// Logic Apps Standard: rotate the key that signs a workflow's trigger callback URL.
//
// The app runs its workflows from a package in blob storage; `orders` has an HTTP request trigger.
// Callers need the callback URL, signed with the workflow's primary access key. Logic Apps cannot
// alternate keys (its callback URLs are always signed with the primary key), so regenerating it
// invalidates the old URL at once: callers must take the new one. Rotate when they can.
//
// The URL reaches callers as a stack output, a secret (it carries its signature): `pulumi stack
// output --show-secrets`, or a StackReference from the callers' own stack, which keeps it secret.
// There is no Key Vault delivery here: Logic Apps never returns the key itself, only URLs signed
// with it, and KeyRotation refuses `keyVault` for it.
//
//   pulumi up
//   pulumi config set rotation 2027-01 && pulumi up
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";

const config = new pulumi.Config();
const group = new azure.resources.ResourceGroup("workflows");

const storage = new azure.storage.StorageAccount("workflows", {
    resourceGroupName: group.name,
    kind: azure.storage.Kind.StorageV2,
    sku: { name: azure.storage.SkuName.Standard_LRS },
});
const storageKey = azure.storage.listStorageAccountKeysOutput({ resourceGroupName: group.name, accountName: storage.name }).keys[0].value;
const storageConnection = pulumi.secret(
    pulumi.interpolate`DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storageKey};EndpointSuffix=core.windows.net`,
);

// The workflow definition, packaged as Logic Apps Standard expects it: host.json + <name>/workflow.json.
const workflow = {
    definition: {
        $schema: "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
        contentVersion: "1.0.0.0",
        triggers: { manual: { type: "Request", kind: "Http", inputs: { method: "POST" } } },
        actions: { Response: { type: "Response", kind: "Http", inputs: { statusCode: 202 }, runAfter: {} } },
        outputs: {},
    },
    kind: "Stateful",
};
const hostJson = { version: "2.0", extensionBundle: { id: "Microsoft.Azure.Functions.ExtensionBundle.Workflows", version: "[1.*, 2.0.0)" } };
const packages = new azure.storage.BlobContainer("packages", { resourceGroupName: group.name, accountName: storage.name });
const zip = new azure.storage.Blob("workflows.zip", {
    resourceGroupName: group.name,
    accountName: storage.name,
    containerName: packages.name,
    type: azure.storage.BlobType.Block,
    source: new pulumi.asset.AssetArchive({
        "host.json": new pulumi.asset.StringAsset(JSON.stringify(hostJson)),
        "orders/workflow.json": new pulumi.asset.StringAsset(JSON.stringify(workflow)),
    }),
});
const packageSas = azure.storage.listStorageAccountServiceSASOutput({
    resourceGroupName: group.name,
    accountName: storage.name,
    protocols: azure.storage.HttpProtocol.Https,
    sharedAccessExpiryTime: "2030-01-01",
    resource: azure.storage.SignedResource.C,
    permissions: azure.storage.Permissions.R,
    canonicalizedResource: pulumi.interpolate`/blob/${storage.name}/${packages.name}`,
}).serviceSasToken;
const packageUrl = pulumi.secret(pulumi.interpolate`${zip.url}?${packageSas}`);

const plan = new azure.web.AppServicePlan("workflows", {
    resourceGroupName: group.name,
    kind: "elastic",
    sku: { name: "WS1", tier: "WorkflowStandard" },
});
const app = new azure.web.WebApp("workflows", {
    resourceGroupName: group.name,
    kind: "functionapp,workflowapp",
    serverFarmId: plan.id,
    httpsOnly: true,
    siteConfig: {
        appSettings: [
            { name: "APP_KIND", value: "workflowApp" },
            { name: "FUNCTIONS_EXTENSION_VERSION", value: "~4" },
            { name: "FUNCTIONS_WORKER_RUNTIME", value: "node" },
            { name: "WEBSITE_NODE_DEFAULT_VERSION", value: "~20" },
            { name: "AzureWebJobsStorage", value: storageConnection },
            { name: "WEBSITE_RUN_FROM_PACKAGE", value: packageUrl },
        ],
    },
});

// The workflow is a child of the app: its id is the app's id + /workflows/<name>.
const keys = new KeyRotation("orders-callback-key", {
    resourceId: pulumi.interpolate`${app.id}/workflows/orders`,
    keyType: "Primary",
    trigger: config.get("rotation") ?? "2026-11",
});

export const ordersCallbackUrl = keys.callbackUrls.apply((urls) => urls?.manual); // a secret: the URL carries its signature
export const rotatedAt = keys.rotatedAt;
