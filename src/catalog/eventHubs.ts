import { entityName, messagingNamespaceName, namespaceRead, sasProbe, sasRuleKeys, sasRuleName } from "./sasRules";
import type { ServiceEntry } from "./types";

/** Event Hubs namespace authorization rule (`RootManageSharedAccessKey` and the rules you add). */
export const eventHubsNamespaceRule: ServiceEntry = {
    service: "eventhubs-namespace",
    title: "Event Hubs namespace authorization rule",
    resourceType: "Microsoft.EventHub/namespaces/authorizationRules",
    idTemplate: "Microsoft.EventHub/namespaces/{namespaceName}/authorizationRules/{authorizationRuleName}",
    nameRules: { namespaceName: messagingNamespaceName, authorizationRuleName: sasRuleName },
    defaultApiVersion: "2026-01-01",
    ...sasRuleKeys("Namespaces", { bodyField: "keyType", aliasConnectionStrings: true }),
    reads: namespaceRead("Microsoft.EventHub"),
    verify: sasProbe(),
};

/** Event hub authorization rule: its connection strings end with `EntityPath={eventHubName}`. */
export const eventHubsEventHubRule: ServiceEntry = {
    service: "eventhubs-eventhub",
    title: "Event Hubs event hub authorization rule",
    resourceType: "Microsoft.EventHub/namespaces/eventhubs/authorizationRules",
    idTemplate: "Microsoft.EventHub/namespaces/{namespaceName}/eventhubs/{eventHubName}/authorizationRules/{authorizationRuleName}",
    nameRules: { namespaceName: messagingNamespaceName, eventHubName: entityName(256), authorizationRuleName: sasRuleName },
    defaultApiVersion: "2026-01-01",
    ...sasRuleKeys("EventHubs", { bodyField: "keyType", aliasConnectionStrings: true }),
    reads: namespaceRead("Microsoft.EventHub"),
    verify: sasProbe("{eventHubName}"),
};
