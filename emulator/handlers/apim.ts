import { apimError } from "../errors";
import { CREATED } from "./bodies";
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

/** API Management has no switch that turns these keys off (a subscription's `state`, the direct access's `enabled` stand apart). */
const noLocalAuthSwitch =
    "API Management has no setting that turns these keys off (a subscription's state and the tenant access's enabled flag are other settings)";

/** API Management tenant access: 204 on regenerate, listSecrets returns the access information (with extra fields). */
export const apimTenantAccessHandler: ServiceHandler = {
    service: "apim-tenant-access",
    apiVersions,
    longRunning: false,
    keyFormat: "hex",
    error: apimError,
    regenerateRequest: { path: { "/regeneratePrimaryKey": "Primary", "/regenerateSecondaryKey": "Secondary" } },
    regenerated: () => ({ status: 204 }),
    getOperation: "TenantAccess_Get",
    // ApiManagementGetTenantAccess.json: `enabled` says whether direct access is on.
    resourceBody: ({ resource, names, entry }) => ({
        id: resource.id,
        type: entry.resourceType,
        name: names.accessName,
        properties: { principalId: "integration", enabled: true },
    }),
    noLocalAuthSwitch,
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
    getOperation: "Subscription_Get",
    // ApiManagementGetSubscription.json: no keys in it (listSecrets has them); `state` active.
    resourceBody: ({ resource, names, entry }) => ({
        id: resource.id,
        type: entry.resourceType,
        name: names.sid,
        properties: {
            scope: `${resource.id.replace(/\/subscriptions\/[^/]+$/i, "")}/apis`,
            displayName: names.sid,
            state: "active",
            createdDate: CREATED,
            allowTracing: false,
        },
    }),
    noLocalAuthSwitch,
    listKeys: (ctx) => ({
        status: 200,
        headers: etag(ctx),
        body: { primaryKey: ctx.resource.keys.Primary, secondaryKey: ctx.resource.keys.Secondary },
    }),
};
