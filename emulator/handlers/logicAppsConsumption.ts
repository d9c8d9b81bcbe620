import { createHash, createHmac } from "node:crypto";
import { isRecord } from "../../src/core/select";
import { armError } from "../errors";
import { CREATED } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

const KEY_TYPES: Record<string, string> = { notspecified: "Primary", primary: "Primary", secondary: "Secondary" };

/**
 * The workflow's callback URL signed with one of its access keys: `sig` is the emulator's
 * HMAC-SHA256 of the workflow's id and `sp` (Azure's SAS scheme is its own), so the data plane can
 * tell which key signed it.
 */
export function consumptionCallbackUrl(ctx: HandlerContext, keyType: string, notAfter?: string) {
    const workflowId = createHash("sha256").update(ctx.resource.id.toLowerCase()).digest("hex").slice(0, 32);
    const basePath = `https://prod-00.westus.logic.azure.com/workflows/${workflowId}`;
    const sp = "/triggers/manual/run";
    const sig = createHmac("sha256", ctx.resource.keys[keyType]).update(`${workflowId}${sp}`).digest("base64url");
    // With notAfter, the URL expires (`se`), as in the official example.
    const se: Record<string, string> = notAfter ? { se: new Date(notAfter).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z") } : {};
    const queries: Record<string, string> = { "api-version": ctx.query.get("api-version") ?? "2019-05-01", ...se, sp, sv: "1.0", sig };
    return { value: `${basePath}/triggers/manual/paths/invoke?${new URLSearchParams(queries)}`, method: "POST", basePath, queries };
}

/**
 * Logic Apps Consumption: regenerateAccessKey answers 200 with no body; the workflow-level
 * listCallbackUrl takes `{ keyType, notAfter }` (required) and answers `WorkflowTriggerCallbackUrl`
 * signed with that key (`NotSpecified`: the primary).
 */
export const logicAppsConsumptionHandler: ServiceHandler = {
    service: "logic-apps-consumption",
    apiVersions: ["2016-06-01", "2018-07-01-preview", "2019-05-01"],
    longRunning: false,
    keyFormat: "base64",
    error: armError,
    regenerateRequest: { body: "keyType", values: { NotSpecified: "NotSpecified", Primary: "Primary", Secondary: "Secondary" } },
    regenerated: () => ({ status: 200 }),
    effectiveKeyType: (keyType) => (keyType === "NotSpecified" ? "Primary" : keyType),
    getOperation: "Workflows_Get",
    // GetAWorkflow.json (2019-05-01): `accessEndpoint`, the definition with its request trigger.
    resourceBody: (ctx) => {
        const accessEndpoint = consumptionCallbackUrl(ctx, "Primary").basePath.replace(".logic.azure.com/", ".logic.azure.com:443/");
        return {
            id: ctx.resource.id,
            name: ctx.names.workflowName,
            type: ctx.entry.resourceType,
            location: "westus",
            tags: {},
            properties: {
                provisioningState: "Succeeded",
                createdTime: CREATED,
                changedTime: CREATED,
                state: "Enabled",
                version: "08584460000000000000",
                accessEndpoint,
                definition: {
                    $schema: "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
                    contentVersion: "1.0.0.0",
                    parameters: {},
                    triggers: { manual: { type: "Request", kind: "Http", inputs: { schema: {} } } },
                    actions: {},
                    outputs: {},
                },
                parameters: {},
            },
        };
    },
    noLocalAuthSwitch: "Logic Apps has no setting that turns a workflow's access keys off (accessControl restricts callers; SAS stays valid)",
    workflowCallbackUrl: (ctx, body) => {
        const written = isRecord(body) ? body.keyType : undefined;
        if (!isRecord(body)) return armError(400, "InvalidRequestContent", "The request content must hold the callback URL parameters.");
        const keyType = written === undefined ? "Primary" : typeof written === "string" ? KEY_TYPES[written.toLowerCase()] : undefined;
        if (!keyType)
            return armError(400, "InvalidRequestContent", `The key type '${String(written)}' is not valid; expected NotSpecified, Primary or Secondary.`);
        const notAfter = typeof body.notAfter === "string" && !Number.isNaN(Date.parse(body.notAfter)) ? body.notAfter : undefined;
        return { status: 200, body: consumptionCallbackUrl(ctx, keyType, notAfter) };
    },
};
