import { armError } from "../errors";
import { armResource, atLeast, perCloud } from "./bodies";
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
    getOperation: "CommunicationServices_Get",
    // communicationServices/get.json: `hostName`, the endpoint; `disableLocalAuth` exists from 2025-05-01 only.
    resourceBody: (ctx) =>
        armResource(
            ctx,
            {
                properties: {
                    provisioningState: "Succeeded",
                    hostName: `${ctx.names.communicationServiceName.toLowerCase()}.${perCloud(ctx, { public: "communication.azure.com", usgov: "communication.azure.us", china: "communication.azure.com" })}`,
                    dataLocation: "United States",
                    immutableResourceId: ctx.resource.keyIds.Primary ?? ctx.names.communicationServiceName,
                    version: "0.2.0",
                    ...(atLeast(ctx, "2025-05-01") ? { disableLocalAuth: ctx.resource.localAuthDisabled } : {}),
                },
            },
            "Global",
        ),
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
