import { sasProbe, sasRuleKeys } from "./sasRules";
import type { NameRule, ServiceEntry } from "./types";

/** Notification Hubs namespaces (the spec's rule; the docs ask for 6 or more characters and a letter or digit at the end). */
const namespaceName: NameRule = {
    pattern: /^[a-zA-Z][a-zA-Z0-9-]*$/,
    minLength: 1,
    maxLength: 50,
    rule: "1 to 50 letters, digits and hyphens, starting with a letter",
};

/** Authorization rule names: the spec's `^[a-zA-Z0-9!()*-._]+$`, whose `*-.` is a range (`*+,-.`). */
const ruleName: NameRule = {
    pattern: /^[a-zA-Z0-9!()*+,._-]+$/,
    minLength: 1,
    maxLength: 256,
    rule: "1 to 256 letters, digits and ! ( ) * + , . - _",
};

/**
 * Notification Hubs namespace authorization rule. The regenerate body is `{ policyKey: "PrimaryKey" }`
 * (2017-04-01 documented `Primary Key` with a space; both spellings are accepted as keyType).
 */
export const notificationHubsNamespaceRule: ServiceEntry = {
    service: "notificationhubs-namespace",
    title: "Notification Hubs namespace authorization rule",
    resourceType: "Microsoft.NotificationHubs/namespaces/authorizationRules",
    idTemplate: "Microsoft.NotificationHubs/namespaces/{namespaceName}/authorizationRules/{authorizationRuleName}",
    nameRules: { namespaceName, authorizationRuleName: ruleName },
    defaultApiVersion: "2023-09-01",
    ...sasRuleKeys("Namespaces", { bodyField: "policyKey", aliasConnectionStrings: false }),
    verify: sasProbe(),
};

/** Notification hub authorization rule (`DefaultListenSharedAccessSignature`, `DefaultFullSharedAccessSignature`, …). */
export const notificationHubsHubRule: ServiceEntry = {
    service: "notificationhubs-hub",
    title: "Notification hub authorization rule",
    resourceType: "Microsoft.NotificationHubs/namespaces/notificationHubs/authorizationRules",
    idTemplate: "Microsoft.NotificationHubs/namespaces/{namespaceName}/notificationHubs/{notificationHubName}/authorizationRules/{authorizationRuleName}",
    nameRules: {
        namespaceName,
        notificationHubName: {
            pattern: /^[a-zA-Z][a-zA-Z0-9._-]*$/,
            minLength: 1,
            maxLength: 265,
            rule: "1 to 265 letters, digits, periods, hyphens and underscores, starting with a letter",
        },
        authorizationRuleName: ruleName,
    },
    defaultApiVersion: "2023-09-01",
    ...sasRuleKeys("NotificationHubs", { bodyField: "policyKey", aliasConnectionStrings: false }),
    // A registration that does not exist: 404 proves a Listen or Full rule; a Send-only rule gets 401 "claim required".
    verify: sasProbe("{notificationHubName}", { path: "/registrations/keyrotation-probe?api-version=2020-06", accepts: [200, 404] }),
};
