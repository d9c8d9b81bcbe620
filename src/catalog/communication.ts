import { disableLocalAuth } from "./sharedKeys";
import type { ServiceEntry } from "./types";

/** Azure Communication Services. The regenerate answer holds only the new key, so keys are read back. */
export const communication: ServiceEntry = {
    service: "communication",
    title: "Azure Communication Services",
    resourceType: "Microsoft.Communication/communicationServices",
    idTemplate: "Microsoft.Communication/communicationServices/{communicationServiceName}",
    nameRules: {
        communicationServiceName: {
            pattern: /^[-\w]+$/,
            minLength: 1,
            maxLength: 63,
            rule: "1 to 63 letters, digits, hyphens and underscores",
        },
    },
    defaultApiVersion: "2023-03-31",
    keyTypes: [
        { name: "Primary", consumer: true },
        { name: "Secondary", consumer: true },
    ],
    regenerate: {
        operation: "CommunicationServices_RegenerateKey",
        path: "/regenerateKey",
        body: { field: "keyType", value: "wire" },
        successStatus: [200],
        longRunning: false,
        answer: "regeneratedKey",
    },
    readKeys: {
        kind: "listKeys",
        operation: "CommunicationServices_ListKeys",
        method: "POST",
        path: "/listKeys",
        fields: {
            primaryKey: "primaryKey",
            secondaryKey: "secondaryKey",
            primaryConnectionString: "primaryConnectionString",
            secondaryConnectionString: "secondaryConnectionString",
        },
    },
    alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    // The setting is in 2025-05-01 and later, not in the key operations' version.
    reads: [{ operation: "CommunicationServices_Get", apiVersion: "2025-05-01", sharedKeys: disableLocalAuth }],
    verify: {
        scheme: "acsHmac",
        // The purchased phone numbers, first page of one: free, read-only.
        requests: [{ method: "GET", url: "{cs:endpoint}/phoneNumbers?skip=0&top=1&api-version=2025-06-01", accepts: [200] }],
    },
};
