import { armError } from "../errors";
import type { ServiceHandler } from "./types";

/**
 * Cosmos DB accounts: the regenerate is long-running, 202 with Azure-AsyncOperation and Location
 * and no body, then 200 with no body (as the examples: the 202's monitors name
 * `…/locations/{location}/operationsStatus/{id}`). listKeys holds both pairs. With local auth
 * disabled ARM still serves the keys; the data plane refuses them.
 */
export const cosmosDbHandler: ServiceHandler = {
    service: "cosmosdb",
    apiVersions: ["2024-11-15", "2025-04-15", "2025-10-15", "2026-03-15"],
    longRunning: true,
    keyFormat: "base64-64",
    error: armError,
    regenerateRequest: {
        body: "keyKind",
        values: { primary: "Primary", secondary: "Secondary", primaryReadonly: "PrimaryReadOnly", secondaryReadonly: "SecondaryReadOnly" },
    },
    regenerated: () => ({ status: 200 }),
    monitorPath: (ctx, id) => {
        const sub = ctx.resource.id.split("/")[2];
        const base = `/subscriptions/${sub}/providers/Microsoft.DocumentDB/locations/westus`;
        // The examples give one URL for both; two keep the status and the result apart here.
        return { status: `${base}/operationsStatus/${id}`, result: `${base}/operationResults/${id}` };
    },
    listKeys: ({ resource }) => ({
        status: 200,
        body: {
            primaryMasterKey: resource.keys.Primary,
            secondaryMasterKey: resource.keys.Secondary,
            primaryReadonlyMasterKey: resource.keys.PrimaryReadOnly,
            secondaryReadonlyMasterKey: resource.keys.SecondaryReadOnly,
        },
    }),
};
