import { apimServiceName } from "./apimTenantAccess";
import type { ServiceEntry } from "./types";

/** API Management subscription keys. The id holds `subscriptions` twice: ARM's and APIM's. 204, no body. */
export const apimSubscription: ServiceEntry = {
    service: "apim-subscription",
    title: "API Management subscription",
    resourceType: "Microsoft.ApiManagement/service/subscriptions",
    idTemplate: "Microsoft.ApiManagement/service/{serviceName}/subscriptions/{sid}",
    nameRules: { serviceName: apimServiceName, sid: { pattern: /^[^*#&+:<>?]+$/, maxLength: 256 } },
    defaultApiVersion: "2022-08-01",
    keyTypes: ["Primary", "Secondary"],
    regenerate: {
        operation: { Primary: "Subscription_RegeneratePrimaryKey", Secondary: "Subscription_RegenerateSecondaryKey" },
        pathSuffix: { Primary: "/regeneratePrimaryKey", Secondary: "/regenerateSecondaryKey" },
        body: "none",
        successStatus: [204],
        longRunning: false,
    },
    readKeys: {
        kind: "post",
        operation: "Subscription_ListSecrets",
        pathSuffix: "/listSecrets",
        fields: { primaryKey: "primaryKey", secondaryKey: "secondaryKey" },
    },
    alternate: { between: ["Primary", "Secondary"] },
    outputs: ["primaryKey", "secondaryKey"],
};
