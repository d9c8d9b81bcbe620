import type { ServiceEntry } from "./types";

/** Azure SignalR Service. Regenerate is long-running (202, Azure-AsyncOperation); 2024-03-01 may answer 200. */
export const signalr: ServiceEntry = {
    service: "signalr",
    title: "Azure SignalR Service",
    resourceType: "Microsoft.SignalRService/signalR",
    idTemplate: "Microsoft.SignalRService/signalR/{resourceName}",
    defaultApiVersion: "2023-02-01",
    keyTypes: ["Primary", "Secondary", "Salt"],
    regenerate: {
        operation: "SignalR_RegenerateKey",
        pathSuffix: "/regenerateKey",
        body: "keyType",
        successStatus: [200, 202],
        longRunning: true,
    },
    readKeys: {
        kind: "post",
        operation: "SignalR_ListKeys",
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
