import { armError } from "../errors";
import { armResource, generated, OTHER_RANGE, perCloud } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

/**
 * The account's GET (DatabaseAccounts_Get), in the shape of CosmosDBDatabaseAccountGet.json
 * (2025-04-15): `documentEndpoint` (`https://{account}.documents.azure.com:443/`, the SDKs' endpoint),
 * `disableLocalAuth`, and a firewall as `ipRules` that leave the caller out.
 */
function accountBody(ctx: HandlerContext) {
    const { resource, names } = ctx;
    const account = names.accountName.toLowerCase();
    const suffix = perCloud(ctx, { public: "documents.azure.com", usgov: "documents.azure.us", china: "documents.azure.cn" });
    const location = {
        id: `${account}-westus`,
        locationName: "West US",
        documentEndpoint: `https://${account}-westus.${suffix}:443/`,
        provisioningState: "Succeeded",
        failoverPriority: 0,
    };
    const generation = (keyType: string) => ({ generationTime: generated(resource, keyType).replace(/\.\d+Z$/, "Z") });
    return armResource(
        ctx,
        {
            kind: "GlobalDocumentDB",
            properties: {
                provisioningState: "Succeeded",
                documentEndpoint: `https://${account}.${suffix}:443/`,
                publicNetworkAccess: "Enabled",
                ipRules: resource.firewall ? [{ ipAddressOrRange: OTHER_RANGE }] : [],
                isVirtualNetworkFilterEnabled: false,
                virtualNetworkRules: [],
                databaseAccountOfferType: "Standard",
                disableKeyBasedMetadataWriteAccess: false,
                disableLocalAuth: resource.localAuthDisabled,
                consistencyPolicy: { defaultConsistencyLevel: "Session", maxIntervalInSeconds: 5, maxStalenessPrefix: 100 },
                writeLocations: [location],
                readLocations: [location],
                locations: [location],
                failoverPolicies: [{ id: location.id, locationName: location.locationName, failoverPriority: 0 }],
                networkAclBypass: "None",
                networkAclBypassResourceIds: [],
                keysMetadata: {
                    primaryMasterKey: generation("Primary"),
                    secondaryMasterKey: generation("Secondary"),
                    primaryReadonlyMasterKey: generation("PrimaryReadOnly"),
                    secondaryReadonlyMasterKey: generation("SecondaryReadOnly"),
                },
                minimalTlsVersion: "Tls12",
            },
        },
        "West US",
    );
}

/**
 * Cosmos DB accounts: the regenerate is long-running, 202 with Azure-AsyncOperation and Location
 * and no body, then 200 with no body (as the examples: the 202's monitors name
 * `…/locations/{location}/operationsStatus/{id}`). listKeys holds both pairs. With local auth
 * disabled ARM still serves the keys (nothing documents a refusal); the data plane refuses them.
 */
export const cosmosDbHandler: ServiceHandler = {
    service: "cosmosdb",
    apiVersions: ["2024-11-15", "2025-04-15", "2025-10-15", "2026-03-15"],
    longRunning: true,
    keyFormat: "base64-64",
    error: armError,
    regenerateRequest: {
        body: "keyKind",
        values: { primary: "Primary", secondary: "Secondary", primaryReadonly: "PrimaryReadOnly", secondaryReadonly: "SecondaryReadOnly" },
    },
    regenerated: () => ({ status: 200 }),
    monitorPath: (ctx, id) => {
        const sub = ctx.resource.id.split("/")[2];
        const base = `/subscriptions/${sub}/providers/Microsoft.DocumentDB/locations/westus`;
        // The examples give one URL for both; two keep the status and the result apart here.
        return { status: `${base}/operationsStatus/${id}`, result: `${base}/operationResults/${id}` };
    },
    getOperation: "DatabaseAccounts_Get",
    resourceBody: accountBody,
    listKeys: ({ resource }) => ({
        status: 200,
        body: {
            primaryMasterKey: resource.keys.Primary,
            secondaryMasterKey: resource.keys.Secondary,
            primaryReadonlyMasterKey: resource.keys.PrimaryReadOnly,
            secondaryReadonlyMasterKey: resource.keys.SecondaryReadOnly,
        },
    }),
};
