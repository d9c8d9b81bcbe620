import type { NameRule, ServiceEntry } from "./types";

/** The API Management service name rule, shared by every APIM entity. */
export const apimServiceName: NameRule = {
    pattern: /^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
    minLength: 1,
    maxLength: 50,
    rule: "1 to 50 letters, digits and hyphens, starting with a letter and ending with a letter or digit",
};

/** API Management tenant access (`access`: direct management API, `gitAccess`: configuration Git). 204, no body. */
export const apimTenantAccess: ServiceEntry = {
    service: "apim-tenant-access",
    title: "API Management tenant access",
    resourceType: "Microsoft.ApiManagement/service/tenant",
    idTemplate: "Microsoft.ApiManagement/service/{serviceName}/tenant/{accessName}",
    nameRules: { serviceName: apimServiceName, accessName: { oneOf: ["access", "gitAccess"], rule: "access or gitAccess" } },
    defaultApiVersion: "2022-08-01",
    keyTypes: [
        { name: "Primary", consumer: true },
        { name: "Secondary", consumer: true },
    ],
    regenerate: {
        operation: { Primary: "TenantAccess_RegeneratePrimaryKey", Secondary: "TenantAccess_RegenerateSecondaryKey" },
        path: { Primary: "/regeneratePrimaryKey", Secondary: "/regenerateSecondaryKey" },
        successStatus: [204],
        longRunning: false,
        answer: "nothing",
    },
    readKeys: {
        kind: "listKeys",
        operation: "TenantAccess_ListSecrets",
        method: "POST",
        path: "/listSecrets",
        fields: { primaryKey: "primaryKey", secondaryKey: "secondaryKey" },
    },
    alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    verify: {
        scheme: "apimSas",
        requests: [
            {
                method: "GET",
                url: "{endpoint}/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ApiManagement/service/{serviceName}/apis?api-version=2021-08-01&$top=1",
                accepts: [200],
            },
        ],
        params: { uid: "integration" },
        offByDefault:
            "Azure retired API Management's direct management API, the one endpoint that takes these keys, on 15 March 2025; " +
            "set verify: true only where it is still served",
    },
    endpoint: "https://{serviceName}.{cloud:apiManagement}",
};
