import { armError } from "../errors";
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
    resourceBody: ({ resource, names, entry }) => ({
        id: resource.id,
        name: names.registryName,
        type: entry.resourceType,
        location: "westus",
        properties: {
            loginServer: `${names.registryName.toLowerCase()}.azurecr.io`,
            adminUserEnabled: !resource.localAuthDisabled,
            provisioningState: "Succeeded",
        },
    }),
};
