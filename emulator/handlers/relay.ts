import { keyTypeBody, sasRuleHandler } from "./sasRules";

const apiVersions = ["2021-11-01", "2024-01-01", "2026-01-01"];

/** Relay namespace rules. */
export const relayNamespaceHandler = sasRuleHandler({
    service: "relay-namespace",
    provider: "Microsoft.Relay",
    getOperation: "Namespaces_GetAuthorizationRule",
    apiVersions,
    regenerateRequest: keyTypeBody(false),
    geoDr: false,
});

/** Hybrid connection rules: the 2026-01-01 examples' connection strings have no EntityPath. */
export const relayHybridConnectionHandler = sasRuleHandler({
    service: "relay-hybrid-connection",
    provider: "Microsoft.Relay",
    getOperation: "HybridConnections_GetAuthorizationRule",
    apiVersions,
    regenerateRequest: keyTypeBody(false),
    geoDr: false,
});

/** WCF relay rules: no EntityPath either. */
export const relayWcfRelayHandler = sasRuleHandler({
    service: "relay-wcf-relay",
    provider: "Microsoft.Relay",
    getOperation: "WCFRelays_GetAuthorizationRule",
    apiVersions,
    regenerateRequest: keyTypeBody(false),
    geoDr: false,
});
