import { keyTypeBody, sasRuleHandler } from "./sasRules";

const apiVersions = ["2021-11-01", "2022-10-01-preview", "2024-01-01", "2026-01-01"];

/** Service Bus namespace rules. Its `KeyType` enum is not a string model: exact spelling only. */
export const serviceBusNamespaceHandler = sasRuleHandler({
    service: "servicebus-namespace",
    provider: "Microsoft.ServiceBus",
    getOperation: "Namespaces_GetAuthorizationRule",
    apiVersions,
    regenerateRequest: keyTypeBody(true),
    geoDr: true,
});

/** Service Bus queue rules: connection strings end with `;EntityPath={queueName}`. */
export const serviceBusQueueHandler = sasRuleHandler({
    service: "servicebus-queue",
    provider: "Microsoft.ServiceBus",
    getOperation: "Queues_GetAuthorizationRule",
    apiVersions,
    regenerateRequest: keyTypeBody(true),
    entityPath: "queueName",
    geoDr: true,
});

/** Service Bus topic rules: connection strings end with `;EntityPath={topicName}`. */
export const serviceBusTopicHandler = sasRuleHandler({
    service: "servicebus-topic",
    provider: "Microsoft.ServiceBus",
    getOperation: "Topics_GetAuthorizationRule",
    apiVersions,
    regenerateRequest: keyTypeBody(true),
    entityPath: "topicName",
    geoDr: true,
});
