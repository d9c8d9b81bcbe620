import { isCompleteKeySet } from "./keySet";
import { keysFromState, rotationFromState } from "./outputs";
import { parseResourceId, targetChanged } from "./resourceId";
import { scheduledRotation } from "./schedule";
import { triggerChanged, UNKNOWN } from "./values";

export interface DiffDecision {
    /** Anything to do at all (an update or a replacement). */
    changes: boolean;
    /** Properties that force a replacement. */
    replaces: string[];
    /** Whether the update rotates the key (the trigger changed, or the schedule says it is due). */
    rotates: boolean;
    /**
     * Whether the state is unfinished: a rotation stopped part way, or the keys were never read
     * (a failed read-back, a state from before this version). The update completes it.
     */
    resumes: boolean;
    /** Properties that changed, for the engine's detailed view. */
    changed: string[];
}

/**
 * Decides what a deployment does, without calling Azure or reading the clock (check did, see
 * schedule.ts). A new resourceId replaces; a new trigger or a due schedule rotates in place; an
 * unfinished state is completed; anything else (keyType alone, apiVersion, rotateEvery) is an
 * update that keeps the keys.
 */
export function diffInputs(olds: Record<string, unknown>, news: Record<string, unknown>): DiffDecision {
    const changed: string[] = [];
    const replaces: string[] = [];

    if (targetChanged(olds, news)) {
        changed.push("resourceId");
        replaces.push("resourceId");
    }

    const triggered = triggerChanged(olds, news);
    if (triggered) changed.push("trigger");
    const rotates = triggered || scheduledRotation(olds, news);

    for (const key of ["keyType", "apiVersion", "rotateEvery", "nextRotationAt", "rotationReason", "verify", "verifyTimeout"] as const) {
        if (news[key] === UNKNOWN || (olds[key] ?? null) !== (news[key] ?? null)) changed.push(key);
    }
    const resumes = unfinished(olds, typeof news.keyType === "string" && news.keyType !== UNKNOWN ? news.keyType : undefined);
    return { changes: changed.length > 0 || resumes, replaces, rotates, resumes, changed };
}

/**
 * Whether a recorded state (outputs) holds an unfinished rotation, or lacks keys that a KeyRotation
 * of `keyType` (the recorded one by default) owns: a failed read-back, a state from before this
 * version, or a keyType that now owns another key.
 */
export function unfinished(state: Record<string, unknown>, keyType: unknown = state.keyType): boolean {
    if (rotationFromState(state)?.pendingStep) return true;
    // Only a state this provider wrote (it always records resourceType) can lack keys; inputs carry none.
    if (typeof state.resourceType !== "string" || typeof state.resourceId !== "string" || typeof keyType !== "string") return false;
    const parsed = parseResourceId(state.resourceId);
    return parsed.ok && !isCompleteKeySet(parsed.target.entry, keysFromState(state), keyType);
}
