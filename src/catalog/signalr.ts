import { disableLocalAuth } from "./sharedKeys";
import type { NameRule, ServiceEntry } from "./types";

/** SignalR and Web PubSub resource names (Microsoft.SignalRService). */
export const signalRServiceName: NameRule = {
    pattern: /^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$/,
    minLength: 3,
    maxLength: 63,
    rule: "3 to 63 letters, digits and hyphens, starting with a letter and ending with a letter or digit",
};

/**
 * Azure SignalR Service. Regenerate is long-running: 202 with Azure-AsyncOperation and Location,
 * and a body holding the new key set (used once the operation succeeded); 2024-03-01 may answer 200.
 */
export const signalr: ServiceEntry = {
    service: "signalr",
    title: "Azure SignalR Service",
    resourceType: "Microsoft.SignalRService/signalR",
    idTemplate: "Microsoft.SignalRService/signalR/{resourceName}",
    nameRules: { resourceName: signalRServiceName },
    defaultApiVersion: "2023-02-01",
    keyTypes: [
        { name: "Primary", consumer: true },
        { name: "Secondary", consumer: true },
        { name: "Salt", consumer: false },
    ],
    regenerate: {
        operation: "SignalR_RegenerateKey",
        path: "/regenerateKey",
        body: { field: "keyType", value: "wire" },
        successStatus: [200, 202],
        longRunning: true,
        answer: "keySet",
    },
    readKeys: {
        kind: "listKeys",
        operation: "SignalR_ListKeys",
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
    verify: {
        scheme: "jwt",
        // Whether a user is connected: 404 (no) or 200 (yes) both prove the key; nothing is sent to anyone.
        requests: [{ method: "HEAD", url: "{endpoint}/api/hubs/keyrotation/users/keyrotation-probe?api-version=2022-06-01", accepts: [200, 404] }],
        // SignalR's REST API takes the request URL without its query as the token's audience.
        params: { audience: "path" },
    },
    endpoint: "https://{resourceName}.{cloud:signalr}",
    reads: [{ operation: "SignalR_Get", sharedKeys: disableLocalAuth }],
};
