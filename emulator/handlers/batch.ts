import { armError } from "../errors";
import { OTHER_RANGE, perCloud } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

const accountKeys = ({ resource, names }: HandlerContext) => ({
    accountName: names.accountName,
    primary: resource.keys.Primary,
    secondary: resource.keys.Secondary,
});

/**
 * Batch accounts: `POST …/regenerateKeys` with `{ keyName }` and `POST …/listKeys` both answer
 * `BatchAccountKeys`. Without `SharedKey` in `allowedAuthenticationModes` the spec says getting the
 * keys fails; its code is not documented, the emulator's is its own assumption.
 */
export const batchHandler: ServiceHandler = {
    service: "batch",
    apiVersions: ["2024-02-01", "2024-07-01", "2025-06-01"],
    longRunning: false,
    keyFormat: "base64-64",
    error: armError,
    regenerateRequest: { body: "keyName", values: { Primary: "Primary", Secondary: "Secondary" }, caseSensitive: true },
    regenerated: (ctx) => ({ status: 200, body: accountKeys(ctx) }),
    listKeys: (ctx) => ({ status: 200, body: accountKeys(ctx) }),
    localAuthDisabled: (ctx) =>
        armError(
            400,
            "BadRequest",
            `The Batch account '${ctx.names.accountName}' does not allow SharedKey authentication (allowedAuthenticationModes does not contain SharedKey).`,
        ),
    getOperation: "BatchAccount_Get",
    // BatchAccountGet.json (2025-06-01): `accountEndpoint` (no scheme), `allowedAuthenticationModes`, and a firewall as
    // `networkProfile.accountAccess` denying by default.
    resourceBody: (ctx) => {
        const { resource, names, entry } = ctx;
        const suffix = perCloud(ctx, { public: "batch.azure.com", usgov: "batch.usgovcloudapi.net", china: "batch.chinacloudapi.cn" });
        return {
            id: resource.id,
            name: names.accountName,
            type: entry.resourceType,
            location: "westus",
            tags: {},
            properties: {
                accountEndpoint: `${names.accountName.toLowerCase()}.westus.${suffix}`,
                nodeManagementEndpoint: `${names.accountName.toLowerCase()}.nodemanagement.westus.${suffix}`,
                provisioningState: "Succeeded",
                poolAllocationMode: "BatchService",
                dedicatedCoreQuota: 20,
                lowPriorityCoreQuota: 100,
                poolQuota: 100,
                activeJobAndJobScheduleQuota: 300,
                publicNetworkAccess: "Enabled",
                networkProfile: {
                    accountAccess: {
                        defaultAction: resource.firewall ? "Deny" : "Allow",
                        ipRules: resource.firewall ? [{ action: "Allow", value: OTHER_RANGE }] : [],
                    },
                },
                encryption: { keySource: "Microsoft.Batch" },
                allowedAuthenticationModes: resource.localAuthDisabled ? ["AAD", "TaskAuthenticationToken"] : ["SharedKey", "AAD", "TaskAuthenticationToken"],
            },
        };
    },
};
