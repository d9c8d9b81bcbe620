import { armError } from "../errors";
import type { ServiceHandler } from "./types";

const connectionString = (name: string, key: string) => `endpoint=https://${name.toLowerCase()}.communication.azure.com/;accesskey=${key}`;

export const communicationHandler: ServiceHandler = {
    service: "communication",
    apiVersions: ["2023-03-31", "2023-04-01", "2023-06-01-preview", "2025-05-01", "2025-09-01"],
    longRunning: false,
    keyFormat: "base64-64",
    error: armError,
    // The spec calls the key type case-insensitive.
    regenerateRequest: { body: "keyType", values: { Primary: "Primary", Secondary: "Secondary" } },
    // As the official example: only the regenerated key and its connection string.
    regenerated: ({ resource, names }, keyType) => {
        const field = keyType === "Primary" ? "primary" : "secondary";
        const key = resource.keys[keyType];
        return { status: 200, body: { [`${field}Key`]: key, [`${field}ConnectionString`]: connectionString(names.communicationServiceName, key) } };
    },
    listKeys: ({ resource, names }) => ({
        status: 200,
        body: {
            primaryKey: resource.keys.Primary,
            secondaryKey: resource.keys.Secondary,
            primaryConnectionString: connectionString(names.communicationServiceName, resource.keys.Primary),
            secondaryConnectionString: connectionString(names.communicationServiceName, resource.keys.Secondary),
        },
    }),
};
