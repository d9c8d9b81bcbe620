import { apimError } from "../errors";
import type { ServiceHandler } from "./types";

const apiVersions = [
    "2021-08-01",
    "2022-08-01",
    "2022-09-01-preview",
    "2023-03-01-preview",
    "2023-05-01-preview",
    "2023-09-01-preview",
    "2024-05-01",
    "2024-06-01-preview",
];

/** API Management tenant access: 204 on regenerate, listSecrets returns the access information. */
export const apimTenantAccessHandler: ServiceHandler = {
    service: "apim-tenant-access",
    apiVersions,
    keyFormat: "hex",
    error: apimError,
    regenerated: () => ({ status: 204 }),
    listKeys: ({ resource, names }) => ({
        status: 200,
        headers: { ETag: `"${resource.generations.Primary}-${resource.generations.Secondary}"` },
        body: { id: names.accessName, principalId: "git", primaryKey: resource.keys.Primary, secondaryKey: resource.keys.Secondary, enabled: true },
    }),
};

/** API Management subscriptions: 204 on regenerate, listSecrets returns both keys. */
export const apimSubscriptionHandler: ServiceHandler = {
    service: "apim-subscription",
    apiVersions,
    keyFormat: "hex",
    error: apimError,
    regenerated: () => ({ status: 204 }),
    listKeys: ({ resource }) => ({
        status: 200,
        headers: { ETag: `"${resource.generations.Primary}-${resource.generations.Secondary}"` },
        body: { primaryKey: resource.keys.Primary, secondaryKey: resource.keys.Secondary },
    }),
};
