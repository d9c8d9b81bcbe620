import { armError } from "../errors";
import { OTHER_RANGE, perCloud } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

/** `RegistryListCredentialsResult`: the admin user's name (the registry's) and both passwords. */
const credentials = ({ resource, names }: HandlerContext) => ({
    username: names.registryName,
    passwords: [
        { name: "password", value: resource.keys.Primary },
        { name: "password2", value: resource.keys.Secondary },
    ],
});

/**
 * Container Registry admin user: both operations answer the credentials (200). With the admin user
 * disabled, ARM answers 400 UnAuthorizedForCredentialOperations.
 */
export const containerRegistryHandler: ServiceHandler = {
    service: "container-registry",
    apiVersions: ["2023-07-01", "2025-04-01", "2025-11-01"],
    longRunning: false,
    keyFormat: "alphanumeric",
    error: armError,
    regenerateRequest: { body: "name", values: { password: "Primary", password2: "Secondary" }, caseSensitive: true },
    regenerated: (ctx) => ({ status: 200, body: credentials(ctx) }),
    listKeys: (ctx) => ({ status: 200, body: credentials(ctx) }),
    localAuthDisabled: ({ resource }) =>
        armError(
            400,
            "UnAuthorizedForCredentialOperations",
            `Cannot perform credential operations for ${resource.id} as admin user is disabled. Kindly enable admin user as per docs: https://docs.microsoft.com/en-us/azure/container-registry/container-registry-authentication#admin-account`,
        ),
    getOperation: "Registries_Get",
    // RegistryGet.json: `loginServer`, `adminUserEnabled`; a firewall as `networkRuleSet` (Premium) denying by default.
    resourceBody: (ctx) => {
        const { resource, names, entry } = ctx;
        return {
            id: resource.id,
            name: names.registryName,
            type: entry.resourceType,
            location: "westus",
            tags: {},
            sku: { name: "Premium", tier: "Premium" },
            properties: {
                loginServer: `${names.registryName.toLowerCase()}.${perCloud(ctx, { public: "azurecr.io", usgov: "azurecr.us", china: "azurecr.cn" })}`,
                creationDate: "2026-01-05T09:30:00Z",
                provisioningState: "Succeeded",
                adminUserEnabled: !resource.localAuthDisabled,
                networkRuleSet: {
                    defaultAction: resource.firewall ? "Deny" : "Allow",
                    ipRules: resource.firewall ? [{ action: "Allow", value: OTHER_RANGE }] : [],
                },
                publicNetworkAccess: "Enabled",
                networkRuleBypassOptions: "AzureServices",
                zoneRedundancy: "Disabled",
                anonymousPullEnabled: false,
            },
        };
    },
};
