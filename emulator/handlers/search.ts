import { armError } from "../errors";
import type { HandlerContext, ServiceHandler } from "./types";

const adminKeys = ({ resource }: HandlerContext) => ({ primaryKey: resource.keys.Primary, secondaryKey: resource.keys.Secondary });

/**
 * Azure AI Search: `POST …/regenerateAdminKey/{keyKind}` with no body; both operations answer
 * `AdminKeyResult`. With `disableLocalAuth` the ARM answer is not documented; the emulator's 400 is
 * its own assumption.
 */
export const searchHandler: ServiceHandler = {
    service: "search",
    apiVersions: ["2023-11-01", "2025-05-01", "2026-03-01-preview"],
    longRunning: false,
    keyFormat: "alphanumeric",
    error: armError,
    regenerateRequest: { path: { "/primary": "Primary", "/secondary": "Secondary" } },
    regenerated: (ctx) => ({ status: 200, body: adminKeys(ctx) }),
    listKeys: (ctx) => ({ status: 200, body: adminKeys(ctx) }),
    localAuthDisabled: (ctx) =>
        armError(400, "BadRequest", `API keys are disabled for search service '${ctx.names.searchServiceName}' (disableLocalAuth is true).`),
};
