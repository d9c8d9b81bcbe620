import { createHmac } from "node:crypto";
import { armError } from "../errors";
import type { EmulatedTrigger } from "../state";
import { CREATED } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

/** Triggers that run on a schedule or poll: their list item carries `recurrence` (WorkflowTriggerRecurrence). */
const SCHEDULED = new Set(["Recurrence", "Http", "ApiConnection"]);
const RECURRENCE = { frequency: "Hour", interval: 1 };

/**
 * A trigger as the workflow definition language writes it, in `workflow.json`: the only place
 * that says a trigger's type (the trigger list does not).
 */
function definitionOf(trigger: EmulatedTrigger): Record<string, unknown> {
    switch (trigger.kind) {
        case "Request":
            return { type: "Request", kind: "Http", inputs: {} };
        case "Recurrence":
            return { type: "Recurrence", recurrence: RECURRENCE };
        case "Http":
            return { type: "Http", inputs: { method: "GET", uri: "https://example.com/orders" }, recurrence: RECURRENCE };
        case "ApiConnection":
            return {
                type: "ApiConnection",
                inputs: { host: { connection: { referenceName: "office365" } }, method: "get", path: "/Mail/OnNewEmail" },
                recurrence: RECURRENCE,
            };
        case "HttpWebhook":
            return { type: "HttpWebhook", inputs: { subscribe: { method: "POST", uri: "https://example.com/subscribe" }, unsubscribe: {} } };
        case "ApiConnectionWebhook":
            return { type: "ApiConnectionWebhook", inputs: { host: { connection: { referenceName: "teams" } }, path: "/subscriptions" } };
    }
}

/** The callback URL of a request trigger, signed with the workflow's primary access key. */
export function callbackUrl(ctx: HandlerContext, triggerName: string) {
    const { name, workflowName } = ctx.names;
    const sp = `/triggers/${triggerName}/run`;
    const sig = createHmac("sha256", ctx.resource.keys.Primary).update(`${workflowName}${sp}`).digest("base64url");
    const basePath = `https://${name.toLowerCase()}.azurewebsites.net:443/api/${workflowName}/triggers/${triggerName}/invoke`;
    const queries = { "api-version": "2022-05-01", sp, sv: "1.0", sig };
    const query = new URLSearchParams(queries).toString();
    return { value: `${basePath}?${query}`, method: "POST", basePath, queries };
}

/**
 * Logic Apps Standard workflows (the hostruntime management API). The trigger list does not say a
 * trigger's type; the workflow's GET (WebApps_GetWorkflow, GetWorkflow.json) does, in
 * `properties.files["workflow.json"].definition.triggers`. No setting turns the access keys off.
 */
export const logicAppsStandardHandler: ServiceHandler = {
    service: "logic-apps-standard",
    apiVersions: ["2022-09-01", "2023-01-01", "2023-12-01", "2024-04-01", "2024-11-01", "2025-03-01", "2025-05-01"],
    longRunning: false,
    keyFormat: "base64",
    error: armError,
    regenerateRequest: { body: "keyType", values: { NotSpecified: "NotSpecified", Primary: "Primary", Secondary: "Secondary" } },
    regenerated: () => ({ status: 200 }),
    effectiveKeyType: (keyType) => (keyType === "NotSpecified" ? "Primary" : keyType),
    getOperation: "WebApps_GetWorkflow",
    resourceBody: ({ resource, names, entry }) => ({
        id: resource.id,
        name: `${names.name}/${names.workflowName}`,
        type: entry.resourceType,
        kind: "Stateful",
        location: "westus",
        properties: {
            files: {
                "workflow.json": {
                    definition: {
                        $schema: "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
                        actions: {},
                        contentVersion: "1.0.0.0",
                        outputs: {},
                        triggers: Object.fromEntries((resource.triggers ?? []).map((t) => [t.name, definitionOf(t)])),
                    },
                    kind: "Stateful",
                },
            },
            flowState: "Enabled",
            health: { state: "Healthy" },
        },
    }),
    noLocalAuthSwitch: "Logic Apps Standard has no setting that turns a workflow's access keys off",
    listTriggers: (ctx, pageSize) => {
        const triggers = ctx.resource.triggers ?? [];
        const skip = Number(ctx.query.get("$skiptoken") ?? 0) || 0;
        const page = triggers.slice(skip, skip + pageSize);
        const { workflowName } = ctx.names;
        const body: Record<string, unknown> = {
            // As WorkflowTriggers_List.json (2025-05-01): no type or kind; scheduled and polling triggers carry `recurrence` and their times.
            value: page.map((t) => ({
                properties: {
                    provisioningState: "Succeeded",
                    createdTime: CREATED,
                    changedTime: CREATED,
                    state: "Enabled",
                    ...(SCHEDULED.has(t.kind) ? { lastExecutionTime: CREATED, nextExecutionTime: "2026-01-05T10:30:00.0000000Z", recurrence: RECURRENCE } : {}),
                    workflow: { id: `/workflows/${workflowName}/versions/08584460000000000000`, name: "08584460000000000000", type: "/workflows/versions" },
                },
                id: `/workflows/${workflowName}/triggers/${t.name}`,
                name: t.name,
                type: "/workflows/triggers",
            })),
        };
        if (skip + pageSize < triggers.length) {
            const next = new URL(ctx.base + ctx.path);
            next.searchParams.set("api-version", ctx.query.get("api-version") ?? "");
            next.searchParams.set("$skiptoken", String(skip + pageSize));
            body.nextLink = next.toString();
        }
        return { status: 200, body };
    },
    callbackUrl: (ctx, triggerName) => {
        const trigger = ctx.resource.triggers?.find((t) => t.name.toLowerCase() === triggerName.toLowerCase());
        if (!trigger) return armError(404, "WorkflowTriggerNotFound", `The workflow trigger '${triggerName}' could not be found.`);
        if (trigger.kind !== "Request") {
            // As Azure answers for a trigger of another type (seen in activity logs: Azure/logicapps#909, Azure/LogicAppsUX#3430); the status 400 is inferred.
            return armError(400, "ApiNotSupported", `The 'ListCallbackUrl' API is not supported by triggers of type '${trigger.kind}'.`);
        }
        return { status: 200, body: callbackUrl(ctx, trigger.name) };
    },
};
