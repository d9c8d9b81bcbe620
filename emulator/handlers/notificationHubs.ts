import { sasRuleHandler } from "./sasRules";
import type { RegenerateRequest } from "./types";

const apiVersions = ["2017-04-01", "2023-01-01-preview", "2023-09-01", "2023-10-01-preview"];

/** `{ policyKey: "PrimaryKey" | "SecondaryKey" }` (`PolicyKeyType`, a string model). */
const policyKeyBody: RegenerateRequest = { body: "policyKey", values: { PrimaryKey: "Primary", SecondaryKey: "Secondary" } };

/** Notification Hubs namespace rules (`ResourceListKeys`, no alias). */
export const notificationHubsNamespaceHandler = sasRuleHandler({
    service: "notificationhubs-namespace",
    provider: "Microsoft.NotificationHubs",
    getOperation: "Namespaces_GetAuthorizationRule",
    apiVersions,
    regenerateRequest: policyKeyBody,
    geoDr: false,
});

/** Notification hub rules: connection strings end with `;EntityPath={notificationHubName}`. */
export const notificationHubsHubHandler = sasRuleHandler({
    service: "notificationhubs-hub",
    provider: "Microsoft.NotificationHubs",
    getOperation: "NotificationHubs_GetAuthorizationRule",
    apiVersions,
    regenerateRequest: policyKeyBody,
    entityPath: "notificationHubName",
    geoDr: false,
});
