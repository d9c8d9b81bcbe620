import { armError } from "../errors";
import { armResource, CREATED, perCloud } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

const NAMES: Array<[string, string, boolean]> = [
    ["Primary", "Primary", false],
    ["Secondary", "Secondary", false],
    ["PrimaryReadOnly", "Primary Read Only", true],
    ["SecondaryReadOnly", "Secondary Read Only", true],
];

/** One `ApiKey`, as the examples show it. */
function apiKey({ resource, names }: HandlerContext, keyType: string) {
    const [, name, readOnly] = NAMES.find(([k]) => k === keyType)!;
    const id = resource.keyIds[keyType];
    const value = resource.keys[keyType];
    return {
        id,
        name,
        value,
        connectionString: `Endpoint=https://${names.configStoreName.toLowerCase()}.azconfig.io;Id=${id};Secret=${value}`,
        lastModified: "2026-11-01T00:00:00+00:00",
        readOnly,
    };
}

/**
 * App Configuration stores: listKeys is a page (`{ value: ApiKey[] }`, here one page); the
 * regenerate names the key by its id and answers only that key. Disabling access keys deletes
 * them: listKeys then answers an empty list, and a regenerate finds no key.
 */
export const appConfigurationHandler: ServiceHandler = {
    service: "app-configuration",
    apiVersions: ["2023-03-01", "2024-06-01", "2025-02-01-preview"],
    longRunning: false,
    keyFormat: "base64",
    error: armError,
    regenerateRequest: { bodyId: "id" },
    regenerated: (ctx, keyType) => ({ status: 200, body: apiKey(ctx, keyType) }),
    listKeys: (ctx) => ({ status: 200, body: { value: NAMES.map(([keyType]) => apiKey(ctx, keyType)) } }),
    getOperation: "ConfigurationStores_Get",
    // ConfigurationStoresGet.json (2024-06-01). App Configuration has no IP rules: a firewall is `publicNetworkAccess: Disabled`.
    resourceBody: (ctx) =>
        armResource(ctx, {
            sku: { name: "Standard" },
            properties: {
                provisioningState: "Succeeded",
                creationDate: CREATED,
                endpoint: `https://${ctx.names.configStoreName.toLowerCase()}.${perCloud(ctx, { public: "azconfig.io", usgov: "azconfig.azure.us", china: "azconfig.azure.cn" })}`,
                encryption: { keyVaultProperties: { keyIdentifier: null, identityClientId: null } },
                disableLocalAuth: ctx.resource.localAuthDisabled,
                privateEndpointConnections: [],
                dataPlaneProxy: { authenticationMode: "Local", privateLinkDelegation: "Disabled" },
                softDeleteRetentionInDays: 7,
                enablePurgeProtection: false,
                publicNetworkAccess: ctx.resource.firewall ? "Disabled" : "Enabled",
            },
        }),
    localAuthDisabled: (_ctx, operation) =>
        operation === "listKeys"
            ? { status: 200, body: { value: [] } }
            : armError(400, "BadRequest", "Access keys are disabled for this configuration store (disableLocalAuth is true)."),
};
