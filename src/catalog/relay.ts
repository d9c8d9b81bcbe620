import { entityName, messagingNamespaceName, sasProbe, sasRuleKeys, sasRuleName } from "./sasRules";
import type { ServiceEntry } from "./types";

/** Azure Relay namespace authorization rule. Relay has no Geo-DR alias. */
export const relayNamespaceRule: ServiceEntry = {
    service: "relay-namespace",
    title: "Relay namespace authorization rule",
    resourceType: "Microsoft.Relay/namespaces/authorizationRules",
    idTemplate: "Microsoft.Relay/namespaces/{namespaceName}/authorizationRules/{authorizationRuleName}",
    nameRules: { namespaceName: messagingNamespaceName, authorizationRuleName: sasRuleName },
    defaultApiVersion: "2026-01-01",
    ...sasRuleKeys("Namespaces", { bodyField: "keyType", aliasConnectionStrings: false }),
    verify: sasProbe(),
};

/** Hybrid connection authorization rule (its connection strings carry no EntityPath). */
export const relayHybridConnectionRule: ServiceEntry = {
    service: "relay-hybrid-connection",
    title: "Relay hybrid connection authorization rule",
    resourceType: "Microsoft.Relay/namespaces/hybridConnections/authorizationRules",
    idTemplate: "Microsoft.Relay/namespaces/{namespaceName}/hybridConnections/{hybridConnectionName}/authorizationRules/{authorizationRuleName}",
    nameRules: { namespaceName: messagingNamespaceName, hybridConnectionName: entityName(260), authorizationRuleName: sasRuleName },
    defaultApiVersion: "2026-01-01",
    ...sasRuleKeys("HybridConnections", { bodyField: "keyType", aliasConnectionStrings: false }),
    verify: sasProbe("{hybridConnectionName}"),
};

/** WCF relay authorization rule (its connection strings carry no EntityPath). */
export const relayWcfRelayRule: ServiceEntry = {
    service: "relay-wcf-relay",
    title: "Relay WCF relay authorization rule",
    resourceType: "Microsoft.Relay/namespaces/wcfRelays/authorizationRules",
    idTemplate: "Microsoft.Relay/namespaces/{namespaceName}/wcfRelays/{relayName}/authorizationRules/{authorizationRuleName}",
    nameRules: { namespaceName: messagingNamespaceName, relayName: entityName(260), authorizationRuleName: sasRuleName },
    defaultApiVersion: "2026-01-01",
    ...sasRuleKeys("WCFRelays", { bodyField: "keyType", aliasConnectionStrings: false }),
    verify: sasProbe("{relayName}"),
};
