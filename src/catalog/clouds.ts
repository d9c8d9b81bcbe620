import type { CloudSuffixName } from "./types";

/** The clouds `azure-native:environment` names. */
export type CloudName = "public" | "usgovernment" | "china";

/**
 * The data-plane host name suffixes of each cloud, as the services document them; connection
 * strings and endpoints built by the catalog use the configured cloud's.
 */
export const CLOUD_SUFFIXES: Readonly<Record<CloudName, Readonly<Record<CloudSuffixName, string>>>> = {
    public: {
        storage: "core.windows.net",
        serviceBus: "servicebus.windows.net",
        redis: "redis.cache.windows.net",
        cosmos: "documents.azure.com",
        search: "search.windows.net",
        signalr: "service.signalr.net",
        webPubSub: "webpubsub.azure.com",
        appConfiguration: "azconfig.io",
        containerRegistry: "azurecr.io",
        apiManagement: "management.azure-api.net",
        maps: "atlas.microsoft.com",
    },
    usgovernment: {
        storage: "core.usgovcloudapi.net",
        serviceBus: "servicebus.usgovcloudapi.net",
        redis: "redis.cache.usgovcloudapi.net",
        cosmos: "documents.azure.us",
        search: "search.windows.us",
        signalr: "signalr.azure.us",
        webPubSub: "webpubsub.azure.us",
        appConfiguration: "azconfig.azure.us",
        containerRegistry: "azurecr.us",
        apiManagement: "management.azure-api.us",
        maps: "atlas.azure.us",
    },
    china: {
        storage: "core.chinacloudapi.cn",
        serviceBus: "servicebus.chinacloudapi.cn",
        redis: "redis.cache.chinacloudapi.cn",
        cosmos: "documents.azure.cn",
        search: "search.azure.cn",
        signalr: "signalr.azure.cn",
        webPubSub: "webpubsub.azure.cn",
        appConfiguration: "azconfig.azure.cn",
        containerRegistry: "azurecr.cn",
        apiManagement: "management.azure-api.cn",
        // Azure Maps is not offered in Azure China; the name follows the other clouds' pattern.
        maps: "atlas.azure.cn",
    },
};
