/**
 * Every supported target service, in the order of the README's table. Loading this module loads
 * every entry: the provider's own code looks entries up in ./lookup, which loads only the one it needs.
 */
import { apimSubscription } from "./apimSubscription";
import { apimTenantAccess } from "./apimTenantAccess";
import { appConfiguration } from "./appConfiguration";
import { batch } from "./batch";
import { cognitiveServices } from "./cognitiveServices";
import { communication } from "./communication";
import { containerRegistry } from "./containerRegistry";
import { cosmosDb } from "./cosmosDb";
import { eventGridDomain, eventGridNamespace, eventGridTopic } from "./eventGrid";
import { eventHubsEventHubRule, eventHubsNamespaceRule } from "./eventHubs";
import { logicAppsConsumption } from "./logicAppsConsumption";
import { logicAppsStandard } from "./logicAppsStandard";
import { managedRedis } from "./managedRedis";
import { maps } from "./maps";
import { notificationHubsHubRule, notificationHubsNamespaceRule } from "./notificationHubs";
import { redis } from "./redis";
import { relayHybridConnectionRule, relayNamespaceRule, relayWcfRelayRule } from "./relay";
import { search } from "./search";
import { serviceBusNamespaceRule, serviceBusQueueRule, serviceBusTopicRule } from "./serviceBus";
import { signalr } from "./signalr";
import { storage } from "./storage";
import type { ServiceEntry } from "./types";
import { webPubSub } from "./webPubSub";

/** Every supported target service. */
export const CATALOG: readonly ServiceEntry[] = [
    logicAppsStandard,
    communication,
    apimTenantAccess,
    apimSubscription,
    signalr,
    webPubSub,
    storage,
    eventHubsNamespaceRule,
    eventHubsEventHubRule,
    serviceBusNamespaceRule,
    serviceBusQueueRule,
    serviceBusTopicRule,
    relayNamespaceRule,
    relayHybridConnectionRule,
    relayWcfRelayRule,
    notificationHubsNamespaceRule,
    notificationHubsHubRule,
    redis,
    managedRedis,
    cosmosDb,
    search,
    maps,
    cognitiveServices,
    appConfiguration,
    containerRegistry,
    batch,
    logicAppsConsumption,
    eventGridTopic,
    eventGridDomain,
    eventGridNamespace,
];
