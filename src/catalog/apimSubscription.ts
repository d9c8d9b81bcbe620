import { apimServiceName } from "./apimTenantAccess";
import type { ServiceEntry } from "./types";

/** API Management subscription keys. The id holds `subscriptions` twice: ARM's and APIM's. 204, no body. */
export const apimSubscription: ServiceEntry = {
    service: "apim-subscription",
    title: "API Management subscription",
    resourceType: "Microsoft.ApiManagement/service/subscriptions",
    idTemplate: "Microsoft.ApiManagement/service/{serviceName}/subscriptions/{sid}",
    nameRules: {
        serviceName: apimServiceName,
        sid: { pattern: /^[^*#&+:<>?]+$/, minLength: 1, maxLength: 256, rule: "1 to 256 characters, none of * # & + : < > ?" },
    },
    defaultApiVersion: "2022-08-01",
    keyTypes: [
        { name: "Primary", consumer: true },
        { name: "Secondary", consumer: true },
    ],
    // Subscription keys can be set through the API (1 to 256 characters).
    userSetKeys: true,
    regenerate: {
        operation: { Primary: "Subscription_RegeneratePrimaryKey", Secondary: "Subscription_RegenerateSecondaryKey" },
        path: { Primary: "/regeneratePrimaryKey", Secondary: "/regenerateSecondaryKey" },
        successStatus: [204],
        longRunning: false,
        answer: "nothing",
    },
    readKeys: {
        kind: "listKeys",
        operation: "Subscription_ListSecrets",
        method: "POST",
        path: "/listSecrets",
        fields: { primaryKey: "primaryKey", secondaryKey: "secondaryKey" },
    },
    alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    verify: {
        refused:
            "an API Management subscription key is only checked when one of your APIs is called through the gateway; " +
            "there is no read-only endpoint that proves it without calling your API",
    },
};
