/**
 * The ARM requests of one rotation of a target's Primary key, as plain data for the floor contenders
 * (B and B', see contenders/floor.ts), derived from the same catalog entry the package follows.
 * B' makes the package's requests (`package`); B keeps the classic regenerate-then-read-back
 * (`readBack`), as the Azure SDK script does.
 */

import { DEFAULT_POLL } from "../src/arm/lro";
import { keyType, regeneratePath } from "../src/catalog";
import { armPath, operationsPath, parseResourceId } from "../src/core/resourceId";

/** One rotation's requests; paths are under the ARM endpoint, without the query. */
export interface FloorPlan {
    apiVersion: string;
    regenerate: {
        path: string;
        /** The JSON body, or "" for none. */
        body: string;
        /** Statuses that mean it was accepted. */
        status: number[];
        /** A 201/202 is followed through Azure-AsyncOperation (else Location) until it ends. */
        longRunning: boolean;
    };
    /** The POST that reads the keys back; absent when the keys are taken from the regenerate answer. */
    readBack?: string;
    /** A GET of the resource for its endpoint, where the catalog says the endpoint is only there. */
    endpoint?: string;
    /** The shortest wait before a status poll, whatever Retry-After says (the package's pacing). */
    minPollDelayMs: number;
}

export type PlanMode = "package" | "readBack";

/**
 * The plan for rotating `resourceId`'s Primary key. `package`: the requests this package makes
 * (the key set from the regenerate answer where the catalog says it holds one, the package's poll
 * pacing); `readBack`: always read the keys back and poll as soon as Retry-After allows.
 */
export function floorPlan(resourceId: string, mode: PlanMode): FloorPlan {
    const parsed = parseResourceId(resourceId);
    if (!parsed.ok) throw new Error(`bench target ${resourceId}: ${parsed.reason}`);
    const { target } = parsed;
    const { entry } = target;
    const { regenerate, readKeys } = entry;
    if (regenerate.body?.value === "keyId" || readKeys.kind !== "listKeys" || readKeys.paged) {
        throw new Error(`${entry.service}: the floor contenders rotate only services read back with one listKeys call`);
    }
    const primary = keyType(entry, "Primary");
    const base = operationsPath(target);
    const fromAnswer = mode === "package" && regenerate.answer === "keySet";
    const plan: FloorPlan = {
        apiVersion: entry.defaultApiVersion,
        regenerate: {
            path: base + regeneratePath(entry, "Primary"),
            body: regenerate.body ? JSON.stringify({ [regenerate.body.field]: primary.wire ?? primary.name }) : "",
            status: [...regenerate.successStatus],
            longRunning: regenerate.longRunning,
        },
        minPollDelayMs: mode === "package" ? DEFAULT_POLL.minPollDelayMs : 0,
    };
    // Absent, not undefined: the plan travels in a resource's inputs, as a protobuf Struct.
    if (!fromAnswer) plan.readBack = base + readKeys.path;
    const endpointRead = entry.reads?.find((read) => read.endpoint);
    if (endpointRead) plan.endpoint = armPath(target, endpointRead.resource ?? entry.idTemplate);
    return plan;
}
