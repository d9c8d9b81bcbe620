import { keyTypeBody, sasRuleHandler } from "./sasRules";

const apiVersions = ["2021-11-01", "2024-01-01", "2026-01-01", "2026-07-01-preview"];

/** Event Hubs namespace rules (`KeyType` is a string model: any casing). */
export const eventHubsNamespaceHandler = sasRuleHandler({
    service: "eventhubs-namespace",
    provider: "Microsoft.EventHub",
    getOperation: "Namespaces_GetAuthorizationRule",
    apiVersions,
    regenerateRequest: keyTypeBody(false),
    geoDr: true,
});

/** Event hub rules: connection strings end with `;EntityPath={eventHubName}`. */
export const eventHubsEventHubHandler = sasRuleHandler({
    service: "eventhubs-eventhub",
    provider: "Microsoft.EventHub",
    getOperation: "EventHubs_GetAuthorizationRule",
    apiVersions,
    regenerateRequest: keyTypeBody(false),
    entityPath: "eventHubName",
    geoDr: true,
});
