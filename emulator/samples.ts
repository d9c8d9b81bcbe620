import { createHash } from "node:crypto";

/**
 * Ids of one resource of each supported kind, in one resource group: what the CLI, the demo and
 * the tests create. Keyed by catalog service id. Each name keeps to its service's naming rule,
 * whatever the prefix (services with short or letters-only names get a compacted prefix).
 */
export function sampleResourceIds(prefix: string, resourceGroup = `${prefix}-rg`): Record<string, string> {
    const rg = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${resourceGroup}/providers`;
    const letters = prefix.toLowerCase().replace(/[^a-z0-9]/g, "");
    const alnum = compact(letters, 20);
    const ns = `${prefix}-notify`;
    return {
        "logic-apps-standard": `${rg}/Microsoft.Web/sites/${prefix}-site/workflows/orders`,
        communication: `${rg}/Microsoft.Communication/communicationServices/${prefix}-acs`,
        "apim-tenant-access": `${rg}/Microsoft.ApiManagement/service/${prefix}-apim/tenant/access`,
        "apim-subscription": `${rg}/Microsoft.ApiManagement/service/${prefix}-apim/subscriptions/${prefix}-sub`,
        signalr: `${rg}/Microsoft.SignalRService/signalR/${prefix}-signalr`,
        "web-pubsub": `${rg}/Microsoft.SignalRService/webPubSub/${prefix}-wps`,
        storage: `${rg}/Microsoft.Storage/storageAccounts/${alnum}st`,
        "eventhubs-namespace": `${rg}/Microsoft.EventHub/namespaces/${prefix}-eventhubs/authorizationRules/RootManageSharedAccessKey`,
        "eventhubs-eventhub": `${rg}/Microsoft.EventHub/namespaces/${prefix}-eventhubs/eventhubs/telemetry/authorizationRules/send`,
        "servicebus-namespace": `${rg}/Microsoft.ServiceBus/namespaces/${prefix}-servicebus/authorizationRules/RootManageSharedAccessKey`,
        "servicebus-queue": `${rg}/Microsoft.ServiceBus/namespaces/${prefix}-servicebus/queues/orders/authorizationRules/send`,
        "servicebus-topic": `${rg}/Microsoft.ServiceBus/namespaces/${prefix}-servicebus/topics/events/authorizationRules/listen`,
        "relay-namespace": `${rg}/Microsoft.Relay/namespaces/${prefix}-relay/authorizationRules/RootManageSharedAccessKey`,
        "relay-hybrid-connection": `${rg}/Microsoft.Relay/namespaces/${prefix}-relay/hybridConnections/onprem/authorizationRules/listen`,
        "relay-wcf-relay": `${rg}/Microsoft.Relay/namespaces/${prefix}-relay/wcfRelays/legacy/authorizationRules/send`,
        "notificationhubs-namespace": `${rg}/Microsoft.NotificationHubs/namespaces/${ns}/authorizationRules/RootManageSharedAccessKey`,
        "notificationhubs-hub": `${rg}/Microsoft.NotificationHubs/namespaces/${ns}/notificationHubs/mobile/authorizationRules/DefaultListenSharedAccessSignature`,
        redis: `${rg}/Microsoft.Cache/redis/${prefix}-redis`,
        "managed-redis": `${rg}/Microsoft.Cache/redisEnterprise/${prefix}-amr/databases/default`,
        cosmosdb: `${rg}/Microsoft.DocumentDB/databaseAccounts/${prefix.toLowerCase()}-cosmos`,
        search: `${rg}/Microsoft.Search/searchServices/${prefix.toLowerCase()}-search`,
        maps: `${rg}/Microsoft.Maps/accounts/${prefix}-maps`,
        "cognitive-services": `${rg}/Microsoft.CognitiveServices/accounts/${prefix}-openai`,
        "app-configuration": `${rg}/Microsoft.AppConfiguration/configurationStores/${prefix}-appconfig`,
        "container-registry": `${rg}/Microsoft.ContainerRegistry/registries/${alnum}acr`,
        batch: `${rg}/Microsoft.Batch/batchAccounts/${compact(letters, 19)}batch`,
        "logic-apps-consumption": `${rg}/Microsoft.Logic/workflows/${prefix}-orders`,
        "eventgrid-topic": `${rg}/Microsoft.EventGrid/topics/${prefix}-topic`,
        "eventgrid-domain": `${rg}/Microsoft.EventGrid/domains/${prefix}-domain`,
        "eventgrid-namespace": `${rg}/Microsoft.EventGrid/namespaces/${prefix}-egns`,
    };
}

/**
 * The name of the Key Vault the CLI, the demo and the tests create beside {@link sampleResourceIds}
 * (`AzureEmulator.createKeyVault`): 3-24 letters and digits with a hyphen, a letter first, whatever the prefix.
 */
export function sampleKeyVaultName(prefix: string): string {
    const letters = prefix.toLowerCase().replace(/[^a-z0-9]/g, "");
    return `${compact(/^[a-z]/.test(letters) ? letters : `kv${letters}`, 21)}-kv`;
}

/** A name cut to `max` characters, kept distinct by a hash of the whole when it had to be cut. */
function compact(name: string, max: number): string {
    if (name.length <= max) return name;
    return name.slice(0, max - 6) + createHash("sha256").update(name).digest("hex").slice(0, 6);
}
