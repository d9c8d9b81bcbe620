import { armError } from "../errors";
import { armResource, OTHER_RANGE } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

const adminKeys = ({ resource }: HandlerContext) => ({ primaryKey: resource.keys.Primary, secondaryKey: resource.keys.Secondary });

/**
 * Azure AI Search: `POST …/regenerateAdminKey/{keyKind}` with no body; both operations answer
 * `AdminKeyResult`. With `disableLocalAuth` the ARM answer is not documented; the emulator's 400 is
 * its own assumption.
 */
export const searchHandler: ServiceHandler = {
    service: "search",
    apiVersions: ["2023-11-01", "2025-05-01", "2026-03-01-preview"],
    longRunning: false,
    keyFormat: "alphanumeric",
    error: armError,
    regenerateRequest: { path: { "/primary": "Primary", "/secondary": "Secondary" } },
    regenerated: (ctx) => ({ status: 200, body: adminKeys(ctx) }),
    listKeys: (ctx) => ({ status: 200, body: adminKeys(ctx) }),
    getOperation: "Services_Get",
    // SearchGetService.json (2025-05-01); `disableLocalAuth` and `authOptions` (which must be absent when local auth is off)
    // as the spec declares them. A firewall is `networkRuleSet.ipRules` that leave the caller out.
    resourceBody: (ctx) =>
        armResource(ctx, {
            sku: { name: "standard" },
            properties: {
                replicaCount: 1,
                partitionCount: 1,
                status: "running",
                statusDetails: "",
                hostingMode: "default",
                provisioningState: "succeeded",
                publicNetworkAccess: "enabled",
                networkRuleSet: { ipRules: ctx.resource.firewall ? [{ value: OTHER_RANGE }] : [] },
                privateEndpointConnections: [],
                disableLocalAuth: ctx.resource.localAuthDisabled,
                ...(ctx.resource.localAuthDisabled ? {} : { authOptions: { apiKeyOnly: {} } }),
            },
        }),
    localAuthDisabled: (ctx) =>
        armError(400, "BadRequest", `API keys are disabled for search service '${ctx.names.searchServiceName}' (disableLocalAuth is true).`),
};
