import { apimError } from "../errors";
import type { HandlerContext, ServiceHandler } from "./types";

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

const etag = ({ resource }: HandlerContext) => ({ ETag: `"${resource.generations.Primary}-${resource.generations.Secondary}"` });

/** API Management tenant access: 204 on regenerate, listSecrets returns the access information (with extra fields). */
export const apimTenantAccessHandler: ServiceHandler = {
    service: "apim-tenant-access",
    apiVersions,
    longRunning: false,
    keyFormat: "hex",
    error: apimError,
    regenerateRequest: { path: { "/regeneratePrimaryKey": "Primary", "/regenerateSecondaryKey": "Secondary" } },
    regenerated: () => ({ status: 204 }),
    listKeys: (ctx) => ({
        status: 200,
        headers: etag(ctx),
        body: {
            id: ctx.names.accessName,
            principalId: "integration",
            primaryKey: ctx.resource.keys.Primary,
            secondaryKey: ctx.resource.keys.Secondary,
            enabled: true,
        },
    }),
};

/** API Management subscriptions: 204 on regenerate, listSecrets returns both keys. */
export const apimSubscriptionHandler: ServiceHandler = {
    service: "apim-subscription",
    apiVersions,
    longRunning: false,
    keyFormat: "hex",
    error: apimError,
    regenerateRequest: { path: { "/regeneratePrimaryKey": "Primary", "/regenerateSecondaryKey": "Secondary" } },
    regenerated: () => ({ status: 204 }),
    listKeys: (ctx) => ({
        status: 200,
        headers: etag(ctx),
        body: { primaryKey: ctx.resource.keys.Primary, secondaryKey: ctx.resource.keys.Secondary },
    }),
};
