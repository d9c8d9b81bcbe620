import { disableLocalAuth } from "./sharedKeys";
import { signalRServiceName } from "./signalr";
import type { ServiceEntry } from "./types";

/**
 * Azure Web PubSub. The regenerate is long-running like SignalR's (200, or 202 with Location and
 * Azure-AsyncOperation, final state via Location). The spec declares the new keys in the 202's body,
 * but the official example answers `{}` for both 200 and 202, so the keys are read back.
 */
export const webPubSub: ServiceEntry = {
    service: "web-pubsub",
    title: "Azure Web PubSub",
    resourceType: "Microsoft.SignalRService/webPubSub",
    idTemplate: "Microsoft.SignalRService/webPubSub/{resourceName}",
    nameRules: { resourceName: signalRServiceName },
    defaultApiVersion: "2024-03-01",
    keyTypes: [
        { name: "Primary", consumer: true },
        { name: "Secondary", consumer: true },
        { name: "Salt", consumer: false },
    ],
    regenerate: {
        operation: "WebPubSub_RegenerateKey",
        path: "/regenerateKey",
        body: { field: "keyType", value: "wire" },
        successStatus: [200, 202],
        longRunning: true,
        answer: "nothing",
    },
    readKeys: {
        kind: "listKeys",
        operation: "WebPubSub_ListKeys",
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
    endpoint: "https://{resourceName}.{cloud:webPubSub}",
    reads: [{ operation: "WebPubSub_Get", sharedKeys: disableLocalAuth }],
    verify: {
        scheme: "jwt",
        // Whether a user is connected: 404 (no) or 200 (yes) both prove the key; nothing is sent to anyone.
        requests: [{ method: "HEAD", url: "{endpoint}/api/hubs/keyrotation/users/keyrotation-probe?api-version=2024-01-01", accepts: [200, 404] }],
    },
};
