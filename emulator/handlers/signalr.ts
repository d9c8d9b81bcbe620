import { armError } from "../errors";
import type { ServiceHandler } from "./types";

const connectionString = (name: string, key: string) => `Endpoint=https://${name}.service.signalr.net;AccessKey=${key};Version=1.0;`;

export const signalrHandler: ServiceHandler = {
    service: "signalr",
    apiVersions: [
        "2023-02-01",
        "2023-03-01-preview",
        "2023-06-01-preview",
        "2023-08-01-preview",
        "2024-01-01-preview",
        "2024-03-01",
        "2024-04-01-preview",
        "2024-08-01-preview",
        "2024-10-01-preview",
        "2025-01-01-preview",
    ],
    keyFormat: "base64",
    error: armError,
    // Only reached when the emulator runs operations synchronously (2024-03-01 may answer 200): an empty body, as the example.
    regenerated: () => ({ status: 200, body: {} }),
    listKeys: ({ resource, names }) => ({
        status: 200,
        body: {
            primaryKey: resource.keys.Primary,
            secondaryKey: resource.keys.Secondary,
            primaryConnectionString: connectionString(names.resourceName, resource.keys.Primary),
            secondaryConnectionString: connectionString(names.resourceName, resource.keys.Secondary),
        },
    }),
};
