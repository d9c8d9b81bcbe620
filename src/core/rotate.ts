import { regenerateOperation, regenerateSuffix, type SecretOutputName } from "../catalog";
import type { ArmClient, ArmRequest } from "./armClient";
import { operationsPath, type TargetResource } from "./resourceId";

/** The secret outputs read back from a service. */
export type KeySet = Partial<Record<SecretOutputName, string | Record<string, string>>>;

/** Calls the service's regenerate operation for one key type and waits for it to finish. */
export async function regenerateKey(client: ArmClient, target: TargetResource, keyType: string, apiVersion: string): Promise<void> {
    const { regenerate } = target.entry;
    const request: ArmRequest = {
        method: "POST",
        path: operationsPath(target) + regenerateSuffix(target.entry, keyType),
        apiVersion,
        body: regenerate.body === "keyType" ? { keyType } : undefined,
        expect: regenerate.successStatus,
        operation: regenerateOperation(target.entry, keyType),
        resourceId: target.resourceId,
    };
    const response = await client.send(request);
    if (regenerate.longRunning && (response.status === 201 || response.status === 202)) {
        await client.waitForCompletion(response, request);
    }
}

/** Reads the complete current key set of the target. */
export async function readKeys(client: ArmClient, target: TargetResource, apiVersion: string): Promise<KeySet> {
    const spec = target.entry.readKeys;
    const base = operationsPath(target);
    if (spec.kind === "post") {
        const { body } = await client.send({
            method: "POST",
            path: base + spec.pathSuffix,
            apiVersion,
            expect: [200],
            operation: spec.operation,
            resourceId: target.resourceId,
        });
        const keys: KeySet = {};
        const record = (body ?? {}) as Record<string, unknown>;
        for (const [field, output] of Object.entries(spec.fields)) {
            const value = record[field];
            if (output && typeof value === "string" && value !== "") keys[output] = value;
        }
        return keys;
    }

    // Logic Apps Standard: list every trigger (following nextLink), then ask each for its callback URL.
    const triggers: string[] = [];
    let next: string | undefined = `${base}/triggers`;
    while (next) {
        const page: { body: unknown } = await client.send({
            method: "GET",
            path: next,
            apiVersion,
            expect: [200],
            operation: spec.listOperation,
            resourceId: target.resourceId,
        });
        const body = (page.body ?? {}) as { value?: Array<{ name?: string }>; nextLink?: string };
        for (const trigger of body.value ?? []) if (trigger.name) triggers.push(trigger.name);
        next = body.nextLink || undefined;
    }
    const callbackUrls: Record<string, string> = {};
    for (const name of triggers) {
        const response = await client.send({
            method: "POST",
            path: `${base}/triggers/${encodeURIComponent(name)}/listCallbackUrl`,
            apiVersion,
            // 400: the trigger has no callback URL (not a request trigger); it is not an error here.
            expect: [200, 400],
            operation: spec.callbackOperation,
            resourceId: target.resourceId,
        });
        const value = (response.body as { value?: unknown } | undefined)?.value;
        if (response.status === 200 && typeof value === "string") callbackUrls[name] = value;
    }
    return { callbackUrls };
}
