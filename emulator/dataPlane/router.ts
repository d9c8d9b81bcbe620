/**
 * Which emulated resource a service host name belongs to, per cloud (public, US Government,
 * China): `{account}.blob.core.windows.net` is the storage account named `{account}`, and so on.
 * Written from the services' documentation (research notes, Appendix B), not from the package's
 * catalog. Hosts whose name holds a region (Batch, Managed Redis) use the region the emulator's ARM
 * answers (`westus`); Cognitive Services' custom subdomain is the account name.
 */
import type { EmulatedResource, ResourceStore } from "../state";
import type { DataPlaneTarget, UsableKey } from "./types";

/** How a service's data plane authenticates: one module each. */
export type Scheme =
    | "jwt"
    | "hmacAcs"
    | "apimSas"
    | "storageSharedKey"
    | "sbSas"
    | "cosmosMaster"
    | "apiKey"
    | "appConfigHmac"
    | "basicAcr"
    | "batchSharedKey"
    | "redisResp";

/** One service's data-plane host names. */
export interface ServiceHosts {
    service: string;
    scheme: Scheme;
    /** The host name suffixes, every cloud's (some clouds spell a service two ways). */
    suffixes: readonly string[];
    /** Labels between the name and the suffix (`westus` for `{account}.westus.batch.azure.com`). */
    infix?: string;
    /**
     * The label between the name and the suffix is a DNS zone (`z24` in
     * `{account}.z24.blob.storage.azure.net`): it serves only the accounts in that zone, as the
     * suffixes without it serve only accounts in none.
     */
    zoned?: boolean;
    /** A fixed host (Maps' `atlas.microsoft.com`): no name in it; the key alone says which account. */
    shared?: boolean;
    /** The port the service listens on (443 unless a Redis port). */
    port: number;
    /** Whether a resource id is one this host name serves, for the name in the host (lower-cased). */
    owns(resourceId: string, name: string): boolean;
}

/** A resource id ending in `{path}/{name}` (name case-insensitive), optionally followed by `rest`. */
const idEnds = (path: string, rest = "") => {
    const prefix = `/providers/${path}/`.toLowerCase();
    return (id: string, name: string) => {
        const lower = id.toLowerCase();
        const at = lower.indexOf(prefix);
        if (at < 0) return false;
        const tail = lower.slice(at + prefix.length);
        return rest ? new RegExp(`^${escapeRegExp(name)}${rest}$`).test(tail) : tail === name;
    };
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export const SERVICE_HOSTS: readonly ServiceHosts[] = [
    {
        service: "signalr",
        scheme: "jwt",
        // US Government and China are spelled `{name}.signalr.azure.us` in some documents and `{name}.service.signalr.azure.us` in others.
        suffixes: ["service.signalr.net", "service.signalr.azure.us", "signalr.azure.us", "service.signalr.azure.cn", "signalr.azure.cn"],
        port: 443,
        owns: idEnds("Microsoft.SignalRService/signalR"),
    },
    {
        service: "web-pubsub",
        scheme: "jwt",
        suffixes: ["webpubsub.azure.com", "webpubsub.azure.us", "webpubsub.azure.cn"],
        port: 443,
        owns: idEnds("Microsoft.SignalRService/webPubSub"),
    },
    {
        service: "communication",
        scheme: "hmacAcs",
        // Not offered in Azure China.
        suffixes: ["communication.azure.com", "communication.azure.us"],
        port: 443,
        owns: idEnds("Microsoft.Communication/communicationServices"),
    },
    {
        service: "apim-tenant-access",
        scheme: "apimSas",
        suffixes: ["management.azure-api.net", "management.azure-api.us", "management.azure-api.cn"],
        port: 443,
        owns: idEnds("Microsoft.ApiManagement/service", "/tenant/access"),
    },
    {
        service: "storage",
        scheme: "storageSharedKey",
        suffixes: ["blob.core.windows.net", "blob.core.usgovcloudapi.net", "blob.core.chinacloudapi.cn"],
        port: 443,
        owns: idEnds("Microsoft.Storage/storageAccounts"),
    },
    {
        // Accounts created with `dnsEndpointType: AzureDnsZone`: `https://{account}.z[00-99].blob.storage.azure.net`
        // (learn.microsoft.com/azure/storage/common/storage-account-overview#azure-dns-zone-endpoints-preview; the
        // 2025-06-01 example StorageAccountCreateDnsEndpointTypeToAzureDnsZone.json). Public cloud only.
        service: "storage",
        scheme: "storageSharedKey",
        suffixes: ["blob.storage.azure.net"],
        zoned: true,
        port: 443,
        owns: idEnds("Microsoft.Storage/storageAccounts"),
    },
    {
        service: "servicebus",
        scheme: "sbSas",
        // Service Bus, Event Hubs, Relay and Notification Hubs namespaces share one name space and gateway.
        suffixes: ["servicebus.windows.net", "servicebus.usgovcloudapi.net", "servicebus.chinacloudapi.cn"],
        port: 443,
        owns: (id, name) =>
            ["Microsoft.ServiceBus", "Microsoft.EventHub", "Microsoft.Relay", "Microsoft.NotificationHubs"].some((ns) =>
                idEnds(`${ns}/namespaces`, "/.+")(id, name),
            ),
    },
    {
        service: "cosmosdb",
        scheme: "cosmosMaster",
        suffixes: ["documents.azure.com", "documents.azure.us", "documents.azure.cn"],
        port: 443,
        owns: idEnds("Microsoft.DocumentDB/databaseAccounts"),
    },
    {
        service: "search",
        scheme: "apiKey",
        suffixes: ["search.windows.net", "search.windows.us", "search.azure.cn"],
        port: 443,
        owns: idEnds("Microsoft.Search/searchServices"),
    },
    {
        service: "cognitive-services",
        scheme: "apiKey",
        suffixes: [
            "openai.azure.com",
            "cognitiveservices.azure.com",
            "openai.azure.us",
            "cognitiveservices.azure.us",
            "openai.azure.cn",
            "cognitiveservices.azure.cn",
        ],
        port: 443,
        owns: idEnds("Microsoft.CognitiveServices/accounts"),
    },
    {
        service: "maps",
        scheme: "apiKey",
        suffixes: ["atlas.microsoft.com", "us.atlas.microsoft.com", "eu.atlas.microsoft.com", "atlas.azure.us"],
        shared: true,
        port: 443,
        owns: (id) => /\/providers\/Microsoft\.Maps\/accounts\/[^/]+$/i.test(id),
    },
    {
        service: "app-configuration",
        scheme: "appConfigHmac",
        suffixes: ["azconfig.io", "azconfig.azure.us", "azconfig.azure.cn"],
        port: 443,
        owns: idEnds("Microsoft.AppConfiguration/configurationStores"),
    },
    {
        service: "container-registry",
        scheme: "basicAcr",
        suffixes: ["azurecr.io", "azurecr.us", "azurecr.cn"],
        port: 443,
        owns: idEnds("Microsoft.ContainerRegistry/registries"),
    },
    {
        service: "batch",
        scheme: "batchSharedKey",
        suffixes: ["batch.azure.com", "batch.usgovcloudapi.net", "batch.chinacloudapi.cn"],
        infix: "westus",
        port: 443,
        owns: idEnds("Microsoft.Batch/batchAccounts"),
    },
    {
        service: "redis",
        scheme: "redisResp",
        suffixes: ["redis.cache.windows.net", "redis.cache.usgovcloudapi.net", "redis.cache.chinacloudapi.cn"],
        port: 6380,
        owns: idEnds("Microsoft.Cache/redis"),
    },
    {
        service: "managed-redis",
        scheme: "redisResp",
        suffixes: ["redis.azure.net", "redis.azure.us", "redis.azure.cn"],
        infix: "westus",
        port: 10000,
        owns: idEnds("Microsoft.Cache/redisEnterprise", "/databases/[^/]+"),
    },
];

/**
 * The DNS zones the emulator hands out to Storage accounts with `dnsEndpointType: AzureDnsZone`.
 * Azure picks one of z00 to z99; the emulator a few of them, so that its certificate can name each
 * (`*.z24.blob.storage.azure.net`: a TLS wildcard covers one label).
 */
export const STORAGE_DNS_ZONES: readonly string[] = ["z05", "z13", "z20", "z24", "z38", "z41", "z57", "z99"];

/** The zone an account gets: always the same for one name, from {@link STORAGE_DNS_ZONES}. */
export function storageDnsZone(account: string): string {
    let hash = 0;
    for (const c of account.toLowerCase()) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
    return STORAGE_DNS_ZONES[hash % STORAGE_DNS_ZONES.length];
}

/**
 * The names the emulator's certificate must hold for these hosts: `*.{suffix}` (one label, as TLS
 * wildcards match), `*.{infix}.{suffix}` where a region sits between, `*.{zone}.{suffix}` for
 * each DNS zone, the shared hosts themselves.
 */
export function certificateNames(): string[] {
    const names = new Set<string>();
    for (const hosts of SERVICE_HOSTS) {
        for (const suffix of hosts.suffixes) {
            if (hosts.shared) names.add(suffix);
            else if (hosts.zoned) for (const zone of STORAGE_DNS_ZONES) names.add(`*.${zone}.${suffix}`);
            else names.add(`*.${hosts.infix ? `${hosts.infix}.` : ""}${suffix}`);
        }
    }
    return [...names];
}

/** Finds the resources a host name belongs to. */
export class DataPlaneRouter {
    constructor(
        private readonly store: ResourceStore,
        /** The keys a resource accepts now. */
        private readonly usable: (resource: EmulatedResource) => UsableKey[],
    ) {}

    /** The service and resources of `hostname` on `port`, or undefined when no emulated resource has that host. */
    route(hostname: string, port = 443): (DataPlaneTarget & { scheme: Scheme }) | undefined {
        const host = hostname.toLowerCase().replace(/\.$/, "");
        for (const hosts of SERVICE_HOSTS) {
            if (hosts.port !== port) continue;
            const found = nameIn(host, hosts);
            if (!found) continue;
            // A zoned host serves the accounts of its zone; the standard host only accounts without one (as Azure's DNS).
            const resources = this.store.list().filter((r) => hosts.owns(r.id, found.name) && (hosts.zoned ? r.dnsZone === found.zone : !r.dnsZone));
            if (resources.length === 0) continue;
            const usable = this.usable;
            return {
                service: hosts.service,
                scheme: hosts.scheme,
                name: found.name,
                suffix: found.suffix,
                resources,
                keys: usable,
                allKeys: () => resources.flatMap((r) => usable(r)),
            };
        }
        return undefined;
    }
}

/** The name a host carries before one of the service's suffixes (and its DNS zone, for zoned hosts), or undefined. */
function nameIn(host: string, hosts: ServiceHosts): { name: string; suffix: string; zone?: string } | undefined {
    // Longest suffix first: `service.signalr.azure.us` before `signalr.azure.us`.
    for (const suffix of [...hosts.suffixes].sort((a, b) => b.length - a.length)) {
        if (hosts.shared) {
            if (host === suffix) return { name: "", suffix };
            continue;
        }
        if (hosts.zoned) {
            const m = /^([a-z0-9]+)\.(z\d{2})$/.exec(host.endsWith(`.${suffix}`) ? host.slice(0, -suffix.length - 1) : "");
            if (m) return { name: m[1], suffix, zone: m[2] };
            continue;
        }
        const tail = `.${hosts.infix ? `${hosts.infix}.` : ""}${suffix}`;
        if (!host.endsWith(tail)) continue;
        const name = host.slice(0, -tail.length);
        if (/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(name)) return { name, suffix };
    }
    return undefined;
}
