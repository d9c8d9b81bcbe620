import { disableLocalAuth } from "./sharedKeys";
import type { ServiceEntry } from "./types";

/**
 * Azure AI Search admin keys. The key kind is a path segment (`/regenerateAdminKey/primary`), with
 * no body; the answer holds both admin keys. Query keys are created and deleted, not regenerated.
 */
export const search: ServiceEntry = {
    service: "search",
    title: "Azure AI Search service",
    resourceType: "Microsoft.Search/searchServices",
    idTemplate: "Microsoft.Search/searchServices/{searchServiceName}",
    nameRules: {
        searchServiceName: {
            pattern: /^(?=.{2,60}$)[a-z0-9][a-z0-9]+(-[a-z0-9]+)*$/,
            minLength: 2,
            maxLength: 60,
            rule: "2 to 60 lower-case letters, digits and single hyphens, not starting with a hyphen or ending with one",
        },
    },
    defaultApiVersion: "2025-05-01",
    keyTypes: [
        { name: "Primary", wire: "primary", consumer: true },
        { name: "Secondary", wire: "secondary", consumer: true },
    ],
    regenerate: {
        operation: "AdminKeys_Regenerate",
        path: "/regenerateAdminKey/{keyType}",
        successStatus: [200],
        longRunning: false,
        answer: "keySet",
    },
    readKeys: {
        kind: "listKeys",
        operation: "AdminKeys_Get",
        method: "POST",
        path: "/listAdminKeys",
        fields: { primaryKey: "primaryKey", secondaryKey: "secondaryKey" },
    },
    alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    endpoint: "https://{searchServiceName}.{cloud:search}",
    reads: [{ operation: "Services_Get", sharedKeys: disableLocalAuth }],
    verify: {
        scheme: "apiKey",
        // Service statistics: admin keys only, which are the keys ARM regenerates.
        requests: [{ method: "GET", url: "{endpoint}/servicestats?api-version=2024-07-01", accepts: [200] }],
        params: { header: "api-key" },
    },
};
