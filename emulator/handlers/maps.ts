import { armError } from "../errors";
import { armResource } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

const TIME = "2026-11-01T00:00:00.0000000Z";

/** `MapsAccountKeys` as each version's example has it: `{ id, primaryKey, secondaryKey }` before 2026-12-01, then without `id` and with the keys' update times. */
const accountKeys = ({ resource, query }: HandlerContext) =>
    (query.get("api-version") ?? "") < "2026-12-01"
        ? { id: resource.id, primaryKey: resource.keys.Primary, secondaryKey: resource.keys.Secondary }
        : { primaryKey: resource.keys.Primary, primaryKeyLastUpdated: TIME, secondaryKey: resource.keys.Secondary, secondaryKeyLastUpdated: TIME };

/** Azure Maps accounts: both operations answer the account keys (200). */
export const mapsHandler: ServiceHandler = {
    service: "maps",
    apiVersions: ["2021-02-01", "2023-06-01", "2026-12-01"],
    longRunning: false,
    keyFormat: "alphanumeric",
    error: armError,
    regenerateRequest: { body: "keyType", values: { primary: "Primary", secondary: "Secondary" } },
    regenerated: (ctx) => ({ status: 200, body: accountKeys(ctx) }),
    listKeys: (ctx) => ({ status: 200, body: accountKeys(ctx) }),
    getOperation: "Accounts_Get",
    // GetAccount.json (2023-06-01): `uniqueId` (the `x-ms-client-id` of Entra ID calls) and `disableLocalAuth`.
    resourceBody: (ctx) =>
        armResource(
            ctx,
            {
                sku: { name: "G2", tier: "Standard" },
                kind: "Gen2",
                properties: {
                    uniqueId: ctx.resource.keyIds.Primary ?? ctx.names.accountName,
                    disableLocalAuth: ctx.resource.localAuthDisabled,
                    provisioningState: "Succeeded",
                    cors: { corsRules: [] },
                },
            },
            "eastus",
        ),
    noFirewall: "Maps accounts have no network rules (only CORS), and share one host for every account",
};
