import { armError } from "../errors";
import { armResource, CREATED, generated, nameOf, OTHER_RANGE, perCloud } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

const KEYS: Array<[string, string]> = [
    ["key1", "Primary"],
    ["key2", "Secondary"],
    ["kerb1", "Kerb1"],
    ["kerb2", "Kerb2"],
];

/** `{ keys: [{ keyName, permissions, value }] }`: the account keys, and the Kerberos keys asked for. */
function keyList({ resource }: HandlerContext, kerb: (keyName: string) => boolean) {
    return {
        keys: KEYS.filter(([name]) => !name.startsWith("kerb") || kerb(name)).map(([keyName, keyType]) => ({
            keyName,
            permissions: "Full",
            value: resource.keys[keyType],
        })),
    };
}

const SERVICES = ["blob", "dfs", "file", "queue", "table", "web"] as const;

/**
 * `primaryEndpoints` as StorageAccountGetProperties.json (`https://{account}.{service}.core.windows.net/`,
 * each with its trailing slash) or, on an Azure DNS zone, as
 * StorageAccountCreateDnsEndpointTypeToAzureDnsZone.json (`https://{account}.{zone}.{service}.storage.azure.net/`),
 * both 2025-06-01 examples.
 */
export function storageEndpoints(ctx: Pick<HandlerContext, "base" | "resource">): Record<string, string> {
    const account = nameOf(ctx.resource).toLowerCase();
    const suffix = perCloud(ctx, { public: "core.windows.net", usgov: "core.usgovcloudapi.net", china: "core.chinacloudapi.cn" });
    const zone = ctx.resource.dnsZone;
    return Object.fromEntries(
        SERVICES.map((service) => [service, zone ? `https://${account}.${zone}.${service}.storage.azure.net/` : `https://${account}.${service}.${suffix}/`]),
    );
}

/**
 * The account's GET (StorageAccounts_GetProperties), in the 2025-06-01 example's shape.
 * `allowSharedKeyAccess` is absent until set, which Azure reads as allowed
 * (learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent): `false` only when
 * shared keys are off. A firewall shows as `networkAcls.defaultAction: Deny`.
 */
function accountBody(ctx: HandlerContext) {
    const { resource } = ctx;
    return armResource(ctx, {
        kind: "StorageV2",
        sku: { name: "Standard_LRS", tier: "Standard" },
        properties: {
            keyCreationTime: { key1: generated(resource, "Primary"), key2: generated(resource, "Secondary") },
            ...(resource.localAuthDisabled ? { allowSharedKeyAccess: false } : {}),
            ...(resource.dnsZone ? { dnsEndpointType: "AzureDnsZone" } : {}),
            publicNetworkAccess: "Enabled",
            networkAcls: {
                bypass: "AzureServices",
                virtualNetworkRules: [],
                ipRules: resource.firewall ? [{ value: OTHER_RANGE, action: "Allow" }] : [],
                defaultAction: resource.firewall ? "Deny" : "Allow",
            },
            supportsHttpsTrafficOnly: true,
            minimumTlsVersion: "TLS1_2",
            allowBlobPublicAccess: false,
            encryption: {
                services: {
                    file: { keyType: "Account", enabled: true, lastEnabledTime: CREATED },
                    blob: { keyType: "Account", enabled: true, lastEnabledTime: CREATED },
                },
                keySource: "Microsoft.Storage",
            },
            accessTier: "Hot",
            provisioningState: "Succeeded",
            creationTime: CREATED,
            primaryEndpoints: storageEndpoints(ctx),
            primaryLocation: "westus",
            statusOfPrimary: "available",
        },
    });
}

/**
 * Storage accounts. The regenerate answers the account keys, and the Kerberos key it regenerated
 * (as StorageAccountRegenerateKerbKey.json); listKeys adds the Kerberos keys only with
 * `$expand=kerb`. With shared key access off (`allowSharedKeyAccess: false`) ARM still lists and
 * regenerates keys; only the data plane refuses them.
 */
export const storageHandler: ServiceHandler = {
    service: "storage",
    apiVersions: ["2023-01-01", "2023-05-01", "2024-01-01", "2025-01-01", "2025-06-01", "2026-06-01", "2026-09-01"],
    longRunning: false,
    keyFormat: "base64-64",
    error: armError,
    regenerateRequest: { body: "keyName", values: Object.fromEntries(KEYS) },
    regenerated: (ctx, keyType) => ({ status: 200, body: keyList(ctx, (name) => KEYS.find(([n]) => n === name)?.[1] === keyType) }),
    listKeys: (ctx) => ({ status: 200, body: keyList(ctx, () => ctx.query.get("$expand") === "kerb") }),
    getOperation: "StorageAccounts_GetProperties",
    resourceBody: accountBody,
};
