import { targetChanged } from "./resourceId";
import { scheduledRotation } from "./schedule";
import { triggerChanged, UNKNOWN } from "./values";

export interface DiffDecision {
    /** Anything to do at all (an update or a replacement). */
    changes: boolean;
    /** Properties that force a replacement. */
    replaces: string[];
    /** Whether the update rotates the key (the trigger changed, or the schedule says it is due). */
    rotates: boolean;
    /** Properties that changed, for the engine's detailed view. */
    changed: string[];
}

/**
 * Decides what a deployment does, without calling Azure or reading the clock (check did, see
 * schedule.ts). A new resourceId replaces; a new trigger or a due schedule rotates in place;
 * anything else (keyType alone, apiVersion, rotateEvery) is an update that keeps the keys.
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

    for (const key of ["keyType", "apiVersion", "rotateEvery", "nextRotationAt", "rotationReason"] as const) {
        if (news[key] === UNKNOWN || (olds[key] ?? null) !== (news[key] ?? null)) changed.push(key);
    }
    return { changes: changed.length > 0, replaces, rotates, changed };
}
