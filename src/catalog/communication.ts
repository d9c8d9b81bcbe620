import type { ServiceEntry } from "./types";

/** Azure Communication Services. The regenerate answer may hold only the new key, so keys are read back. */
export const communication: ServiceEntry = {
    service: "communication",
    title: "Azure Communication Services",
    resourceType: "Microsoft.Communication/communicationServices",
    idTemplate: "Microsoft.Communication/communicationServices/{communicationServiceName}",
    nameRules: { communicationServiceName: { pattern: /^[-\w]+$/, maxLength: 63 } },
    defaultApiVersion: "2023-03-31",
    keyTypes: ["Primary", "Secondary"],
    regenerate: {
        operation: "CommunicationServices_RegenerateKey",
        pathSuffix: "/regenerateKey",
        body: "keyType",
        successStatus: [200],
        longRunning: false,
    },
    readKeys: {
        kind: "post",
        operation: "CommunicationServices_ListKeys",
        pathSuffix: "/listKeys",
        fields: {
            primaryKey: "primaryKey",
            secondaryKey: "secondaryKey",
            primaryConnectionString: "primaryConnectionString",
            secondaryConnectionString: "secondaryConnectionString",
        },
    },
    alternate: { between: ["Primary", "Secondary"] },
    outputs: ["primaryKey", "secondaryKey", "primaryConnectionString", "secondaryConnectionString"],
};
