import type { ServiceEntry } from "./types";

/** The API Management service name rule, shared by every APIM entity. */
export const apimServiceName = { pattern: /^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/, maxLength: 50 };

/** API Management tenant access (`access`: direct management API, `gitAccess`: configuration Git). 204, no body. */
export const apimTenantAccess: ServiceEntry = {
    service: "apim-tenant-access",
    title: "API Management tenant access",
    resourceType: "Microsoft.ApiManagement/service/tenant",
    idTemplate: "Microsoft.ApiManagement/service/{serviceName}/tenant/{accessName}",
    nameRules: { serviceName: apimServiceName, accessName: { oneOf: ["access", "gitAccess"] } },
    defaultApiVersion: "2022-08-01",
    keyTypes: ["Primary", "Secondary"],
    regenerate: {
        operation: { Primary: "TenantAccess_RegeneratePrimaryKey", Secondary: "TenantAccess_RegenerateSecondaryKey" },
        pathSuffix: { Primary: "/regeneratePrimaryKey", Secondary: "/regenerateSecondaryKey" },
        body: "none",
        successStatus: [204],
        longRunning: false,
    },
    readKeys: {
        kind: "post",
        operation: "TenantAccess_ListSecrets",
        pathSuffix: "/listSecrets",
        fields: { primaryKey: "primaryKey", secondaryKey: "secondaryKey" },
    },
    alternate: { between: ["Primary", "Secondary"] },
    outputs: ["primaryKey", "secondaryKey"],
};
