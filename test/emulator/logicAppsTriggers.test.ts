/**
 * Logic Apps Standard triggers as the service lists them (WorkflowTriggers_List.json, 2025-05-01):
 * no type in the list, `recurrence` only on scheduled and polling triggers; the type is in the
 * workflow's definition (its GET). listCallbackUrl on a trigger without one answers ApiNotSupported;
 * a fault makes one request trigger's listCallbackUrl fail, as during a rotation.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { arm, armToken, call } from "../helpers/emulatorCalls";

let emulator: AzureEmulator;
let token: string;
const id = resourceIds("triggers")["logic-apps-standard"];
const management = id.replace("/workflows/", "/hostruntime/runtime/webhooks/workflow/api/management/workflows/");
before(async () => {
    emulator = await startEmulator();
    token = await armToken(emulator);
    emulator.createResource(id, {
        triggers: [
            { name: "manual", kind: "Request" },
            { name: "hourly", kind: "Recurrence" },
            { name: "poll", kind: "Http" },
            { name: "hook", kind: "HttpWebhook" },
            { name: "orders", kind: "Request" },
        ],
    });
});
beforeEach(() => emulator.faults.clear());
after(() => emulator.stop());

interface TriggerItem {
    id: string;
    name: string;
    type: string;
    kind?: unknown;
    properties: { recurrence?: unknown; state: string; workflow: unknown };
}

/** Every page of the trigger list. */
async function listTriggers(): Promise<TriggerItem[]> {
    const items: TriggerItem[] = [];
    let answer = await arm(emulator, token, "GET", `${management}/triggers`, "2025-05-01");
    for (;;) {
        assert.equal(answer.status, 200, answer.body);
        const page = answer.json as { value: TriggerItem[]; nextLink?: string };
        items.push(...page.value);
        if (!page.nextLink) return items;
        const next = await call(page.nextLink, { headers: { Authorization: `Bearer ${token}` } });
        answer = { ...next, json: JSON.parse(next.body) };
    }
}

const callbackUrl = (trigger: string) => arm(emulator, token, "POST", `${management}/triggers/${trigger}/listCallbackUrl`, "2025-05-01");

describe("Logic Apps Standard triggers", () => {
    it("the list has no trigger type; only scheduled and polling triggers carry recurrence", async () => {
        const items = await listTriggers();
        assert.deepEqual(
            items.map((t) => t.name),
            ["manual", "hourly", "poll", "hook", "orders"],
        );
        for (const item of items) {
            assert.equal(item.type, "/workflows/triggers");
            assert.equal(item.kind, undefined);
            assert.equal(item.id, `/workflows/orders/triggers/${item.name}`);
            assert.equal(item.properties.state, "Enabled");
        }
        assert.deepEqual(
            items.filter((t) => t.properties.recurrence).map((t) => t.name),
            ["hourly", "poll"],
        );
    });

    it("the workflow's GET says each trigger's type, in workflow.json's definition", async () => {
        const answer = await arm(emulator, token, "GET", id, "2025-05-01");
        assert.equal(answer.status, 200);
        const triggers = (answer.json as { properties: { files: Record<string, { definition: { triggers: Record<string, { type: string }> } }> } }).properties
            .files["workflow.json"].definition.triggers;
        assert.deepEqual(Object.fromEntries(Object.entries(triggers).map(([name, t]) => [name, t.type])), {
            manual: "Request",
            hourly: "Recurrence",
            poll: "Http",
            hook: "HttpWebhook",
            orders: "Request",
        });
        assert.equal(emulator.armRequests().at(-1)?.operation, "WebApps_GetWorkflow");
    });

    it("listCallbackUrl: a URL for a request trigger, ApiNotSupported for any other, 404 for none", async () => {
        const ok = await callbackUrl("orders");
        assert.equal(ok.status, 200);
        assert.equal(emulator.authenticate(id, (ok.json as { value: string }).value), "Primary");
        for (const [trigger, type] of [
            ["hourly", "Recurrence"],
            ["hook", "HttpWebhook"],
        ]) {
            const refused = await callbackUrl(trigger);
            assert.equal(refused.status, 400);
            assert.deepEqual((refused.json as { error: unknown }).error, {
                code: "ApiNotSupported",
                message: `The 'ListCallbackUrl' API is not supported by triggers of type '${type}'.`,
            });
        }
        assert.equal((await callbackUrl("nosuch")).status, 404);
    });

    it("a fault makes one request trigger's listCallbackUrl answer 404 (or 400) once; the other trigger and the next call are unaffected", async () => {
        emulator.faults.add({
            operation: "WorkflowTriggers_ListCallbackUrl",
            pathIncludes: "/triggers/manual/",
            status: 404,
            code: "WorkflowTriggerNotFound",
            message: "The workflow trigger 'manual' could not be found.",
        });
        emulator.faults.add({ operation: "WorkflowTriggers_ListCallbackUrl", pathIncludes: "/triggers/orders/", status: 400, code: "BadRequest" });
        const missing = await callbackUrl("manual");
        assert.equal(missing.status, 404);
        assert.equal((missing.json as { error: { code: string } }).error.code, "WorkflowTriggerNotFound");
        assert.equal((await callbackUrl("orders")).status, 400);
        assert.equal((await callbackUrl("manual")).status, 200);
        assert.equal((await callbackUrl("orders")).status, 200);
    });
});
