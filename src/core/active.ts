/**
 * Which key consumers should use. With a fixed keyType it is that key. With `Alternate` each rotation
 * regenerates the key nobody uses and makes it the active one; the key that was active stays valid
 * until the next rotation, so consumers get one full rotation interval to pick up the new key.
 */
import { ALTERNATE, type ServiceEntry } from "../catalog";

/** The key types after a rotation, or carried over when nothing rotates. */
export interface ActiveKeys {
    /** The key consumers should use now; absent where the key type is not a consumer key (Salt). */
    activeKeyType?: string;
    /** Alternate: the key that was active before the last rotation; still valid until the next one. */
    previousKeyType?: string;
}

/** What one rotation does: the key type to regenerate and the active keys afterwards. */
export interface RotationPlan extends ActiveKeys {
    regenerate: string;
}

function pair(entry: ServiceEntry): readonly [string, string] | undefined {
    return "between" in entry.alternate ? entry.alternate.between : undefined;
}

const other = (keys: readonly [string, string], keyType: string) => (keyType === keys[0] ? keys[1] : keys[0]);

/**
 * The rotation to perform. `before` is what the last deployment recorded (undefined on create): with
 * Alternate the key regenerated is the one that is not active, so the first rotation regenerates the
 * second key of the pair (Secondary) and the first (Primary, assumed in use) stays valid.
 */
export function planRotation(entry: ServiceEntry, keyType: string, before: ActiveKeys | undefined): RotationPlan {
    const keys = pair(entry);
    if (keyType !== ALTERNATE || !keys) return { regenerate: keyType, ...activeKeys(entry, keyType, undefined) };
    const active = before?.activeKeyType && keys.includes(before.activeKeyType) ? before.activeKeyType : keys[0];
    const next = other(keys, active);
    return { regenerate: next, activeKeyType: next, previousKeyType: active };
}

/**
 * The active keys when nothing rotates (an update of keyType alone, a refresh): with a fixed key type
 * it is that key; with Alternate the recorded active key stays active.
 */
export function activeKeys(entry: ServiceEntry, keyType: string, before: (ActiveKeys & { rotatedKeyType?: string }) | undefined): ActiveKeys {
    const keys = pair(entry);
    if (!keys) return {};
    if (keyType !== ALTERNATE) return keys.includes(keyType) ? { activeKeyType: keyType } : {};
    const recorded = [before?.activeKeyType, before?.rotatedKeyType].find((k): k is string => !!k && keys.includes(k));
    const active = recorded ?? keys[0];
    return { activeKeyType: active, previousKeyType: other(keys, active) };
}
