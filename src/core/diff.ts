import { isCompleteKeySet } from "./keySet";
import { keysFromState, rotationFromState } from "./outputs";
import { parseResourceId, targetChanged } from "./resourceId";
import { scheduledRotation } from "./schedule";
import { isRecord } from "./select";
import { triggerChanged, UNKNOWN } from "./values";

export interface DiffDecision {
    /** Anything to do at all (an update or a replacement). */
    changes: boolean;
    /** Properties that force a replacement. */
    replaces: string[];
    /** Whether the update rotates the key (the trigger changed, or the schedule says it is due). */
    rotates: boolean;
    /**
     * Whether the state is unfinished: a rotation stopped part way, the keys were never read (a
     * failed read-back, a state from before this version), a refresh found a key changed outside,
     * or Key Vault does not hold the active key. The update completes it.
     */
    resumes: boolean;
    /** Properties that changed, for the engine's detailed view. */
    changed: string[];
}

/** Inputs compared one by one; any change is an update (that rotates nothing by itself). */
const COMPARED = ["keyType", "apiVersion", "rotateEvery", "nextRotationAt", "rotationReason", "verify", "verifyTimeout", "keyVault", "outputKeys"] as const;

/**
 * Decides what a deployment does, without calling Azure or reading the clock (check did, see
 * schedule.ts). A new resourceId replaces; a new trigger or a due schedule rotates in place; an
 * unfinished state is completed; anything else (keyType alone, apiVersion, rotateEvery, the Key
 * Vault delivery) is an update that regenerates nothing.
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

    for (const key of COMPARED) {
        if (containsUnknown(news[key]) || JSON.stringify(olds[key] ?? null) !== JSON.stringify(news[key] ?? null)) changed.push(key);
    }
    const resumes = unfinished(olds, typeof news.keyType === "string" && news.keyType !== UNKNOWN ? news.keyType : undefined, news.outputKeys);
    return { changes: changed.length > 0 || resumes, replaces, rotates, resumes, changed };
}

/**
 * Whether a recorded state (outputs) holds an unfinished rotation, lacks keys that a KeyRotation
 * of `keyType` (the recorded one by default) owns, or holds a change a refresh found: the update
 * completes it. With `outputKeys: false` the state holds digests, not keys.
 */
export function unfinished(state: Record<string, unknown>, keyType: unknown = state.keyType, outputKeys: unknown = state.outputKeys): boolean {
    const record = rotationFromState(state);
    if (record?.pendingStep || record?.externalChange) return true;
    if (keyVaultBehind(state)) return true;
    // Only a state this provider wrote (it always records resourceType) can lack keys; inputs carry none.
    if (typeof state.resourceType !== "string" || typeof state.resourceId !== "string" || typeof keyType !== "string") return false;
    if (outputKeys === false) return false;
    const parsed = parseResourceId(state.resourceId);
    return parsed.ok && !isCompleteKeySet(parsed.target.entry, keysFromState(state), keyType);
}

/**
 * Whether this deployment must write Key Vault although nothing rotates: the delivery is new or
 * changed (another vault, secret, content), or the secret does not hold the active key.
 */
export function keyVaultDue(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
    if (!isRecord(news.keyVault)) return false;
    return JSON.stringify(olds.keyVault ?? null) !== JSON.stringify(news.keyVault) || keyVaultBehind(olds);
}

/** A state with a Key Vault delivery whose latest version does not hold the active key (never written, or the key changed since). */
function keyVaultBehind(state: Record<string, unknown>): boolean {
    if (!isRecord(state.keyVault)) return false;
    const record = rotationFromState(state);
    const active = record?.activeKeyType;
    if (!record?.keyVaultSecretId) return true;
    return active !== undefined && record.keyDigests?.[active] !== undefined && record.keyVaultKeyDigest !== record.keyDigests[active];
}

function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    return isRecord(value) && Object.values(value).some(containsUnknown);
}
