import { createHmac } from "node:crypto";
import { armError } from "../errors";
import type { HandlerContext, ServiceHandler } from "./types";

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

export const logicAppsStandardHandler: ServiceHandler = {
    service: "logic-apps-standard",
    apiVersions: ["2022-09-01", "2023-01-01", "2023-12-01", "2024-04-01", "2024-11-01", "2025-03-01", "2025-05-01"],
    longRunning: false,
    keyFormat: "base64",
    error: armError,
    regenerateRequest: { body: "keyType", values: { NotSpecified: "NotSpecified", Primary: "Primary", Secondary: "Secondary" } },
    regenerated: () => ({ status: 200 }),
    effectiveKeyType: (keyType) => (keyType === "NotSpecified" ? "Primary" : keyType),
    listTriggers: (ctx, pageSize) => {
        const triggers = ctx.resource.triggers ?? [];
        const skip = Number(ctx.query.get("$skiptoken") ?? 0) || 0;
        const page = triggers.slice(skip, skip + pageSize);
        const { workflowName } = ctx.names;
        const body: Record<string, unknown> = {
            value: page.map((t) => ({
                id: `/workflows/${workflowName}/triggers/${t.name}`,
                name: t.name,
                type: "/workflows/triggers",
                properties: { provisioningState: "Succeeded", state: "Enabled", workflow: { name: workflowName } },
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
            // As Azure answers for a trigger of another type (seen in activity logs: Azure/logicapps#909, Azure/LogicAppsUX#3430).
            return armError(400, "ApiNotSupported", `The 'ListCallbackUrl' API is not supported by triggers of type '${trigger.kind}'.`);
        }
        return { status: 200, body: callbackUrl(ctx, trigger.name) };
    },
};
