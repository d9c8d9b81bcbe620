import { entityName, messagingNamespaceName, namespaceRead, sasProbe, sasRuleKeys, sasRuleName } from "./sasRules";
import type { ServiceEntry } from "./types";

/**
 * Service Bus namespace authorization rule. The 2026-01-01 spec spells the segment
 * `AuthorizationRules`; ARM matches type segments case-insensitively, so either spelling works.
 */
export const serviceBusNamespaceRule: ServiceEntry = {
    service: "servicebus-namespace",
    title: "Service Bus namespace authorization rule",
    resourceType: "Microsoft.ServiceBus/namespaces/authorizationRules",
    idTemplate: "Microsoft.ServiceBus/namespaces/{namespaceName}/authorizationRules/{authorizationRuleName}",
    nameRules: { namespaceName: messagingNamespaceName, authorizationRuleName: sasRuleName },
    defaultApiVersion: "2026-01-01",
    ...sasRuleKeys("Namespaces", { bodyField: "keyType", aliasConnectionStrings: true }),
    reads: namespaceRead("Microsoft.ServiceBus"),
    verify: sasProbe(),
};

/** Service Bus queue authorization rule: its connection strings end with `EntityPath={queueName}`. */
export const serviceBusQueueRule: ServiceEntry = {
    service: "servicebus-queue",
    title: "Service Bus queue authorization rule",
    resourceType: "Microsoft.ServiceBus/namespaces/queues/authorizationRules",
    idTemplate: "Microsoft.ServiceBus/namespaces/{namespaceName}/queues/{queueName}/authorizationRules/{authorizationRuleName}",
    nameRules: { namespaceName: messagingNamespaceName, queueName: entityName(260), authorizationRuleName: sasRuleName },
    defaultApiVersion: "2026-01-01",
    ...sasRuleKeys("Queues", { bodyField: "keyType", aliasConnectionStrings: true }),
    reads: namespaceRead("Microsoft.ServiceBus"),
    verify: sasProbe("{queueName}"),
};

/** Service Bus topic authorization rule: its connection strings end with `EntityPath={topicName}`. */
export const serviceBusTopicRule: ServiceEntry = {
    service: "servicebus-topic",
    title: "Service Bus topic authorization rule",
    resourceType: "Microsoft.ServiceBus/namespaces/topics/authorizationRules",
    idTemplate: "Microsoft.ServiceBus/namespaces/{namespaceName}/topics/{topicName}/authorizationRules/{authorizationRuleName}",
    nameRules: { namespaceName: messagingNamespaceName, topicName: entityName(260), authorizationRuleName: sasRuleName },
    defaultApiVersion: "2026-01-01",
    ...sasRuleKeys("Topics", { bodyField: "keyType", aliasConnectionStrings: true }),
    reads: namespaceRead("Microsoft.ServiceBus"),
    verify: sasProbe("{topicName}"),
};
