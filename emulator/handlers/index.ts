import { apimSubscriptionHandler, apimTenantAccessHandler } from "./apim";
import { appConfigurationHandler } from "./appConfiguration";
import { batchHandler } from "./batch";
import { cognitiveServicesHandler } from "./cognitiveServices";
import { communicationHandler } from "./communication";
import { containerRegistryHandler } from "./containerRegistry";
import { cosmosDbHandler } from "./cosmosDb";
import { eventGridDomainHandler, eventGridNamespaceHandler, eventGridTopicHandler } from "./eventGrid";
import { eventHubsEventHubHandler, eventHubsNamespaceHandler } from "./eventHubs";
import { logicAppsConsumptionHandler } from "./logicAppsConsumption";
import { logicAppsStandardHandler } from "./logicAppsStandard";
import { managedRedisHandler } from "./managedRedis";
import { mapsHandler } from "./maps";
import { notificationHubsHubHandler, notificationHubsNamespaceHandler } from "./notificationHubs";
import { redisHandler } from "./redis";
import { relayHybridConnectionHandler, relayNamespaceHandler, relayWcfRelayHandler } from "./relay";
import { searchHandler } from "./search";
import { serviceBusNamespaceHandler, serviceBusQueueHandler, serviceBusTopicHandler } from "./serviceBus";
import { signalrHandler } from "./signalr";
import { storageHandler } from "./storage";
import type { ServiceHandler } from "./types";
import { webPubSubHandler } from "./webPubSub";

export * from "./types";

/** One handler per catalog service, keyed by the catalog's service id. */
export const HANDLERS: ReadonlyMap<string, ServiceHandler> = new Map(
    [
        logicAppsStandardHandler,
        communicationHandler,
        apimTenantAccessHandler,
        apimSubscriptionHandler,
        signalrHandler,
        webPubSubHandler,
        storageHandler,
        eventHubsNamespaceHandler,
        eventHubsEventHubHandler,
        serviceBusNamespaceHandler,
        serviceBusQueueHandler,
        serviceBusTopicHandler,
        relayNamespaceHandler,
        relayHybridConnectionHandler,
        relayWcfRelayHandler,
        notificationHubsNamespaceHandler,
        notificationHubsHubHandler,
        redisHandler,
        managedRedisHandler,
        cosmosDbHandler,
        searchHandler,
        mapsHandler,
        cognitiveServicesHandler,
        appConfigurationHandler,
        containerRegistryHandler,
        batchHandler,
        logicAppsConsumptionHandler,
        eventGridTopicHandler,
        eventGridDomainHandler,
        eventGridNamespaceHandler,
    ].map((h) => [h.service, h]),
);
