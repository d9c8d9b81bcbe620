/**
 * Which key consumers use, decided by one rule everywhere (create, update, refresh, upgrade).
 *
 * With a fixed keyType it is that key. With `Alternate` each rotation regenerates the key nobody
 * uses and makes it the active one; the key that was active stays valid until the next rotation, so
 * consumers get one full rotation interval to pick up the new key.
 */
import { pairOf, type ServiceEntry } from "../catalog/lookup";

/** The key types after a rotation, or carried over when nothing rotates. */
export interface ActiveKeys {
    /** The key consumers should use now; absent where the key type is not a consumer key (Salt). */
    activeKeyType?: string;
    /** Alternate: the key that was active before the last rotation; still valid until the next one. */
    previousKeyType?: string;
}

/** What a previous deployment recorded, as far as the rule needs it (0.1's state has only keyType and rotatedKeyType). */
export interface RecordedKeys {
    keyType?: unknown;
    activeKeyType?: unknown;
    rotatedKeyType?: unknown;
}

/** What one rotation does: the key type to regenerate and the active keys once it is done. */
export interface RotationPlan extends ActiveKeys {
    regenerate: string;
}

const other = (keys: readonly [string, string], keyType: string) => (keyType === keys[0] ? keys[1] : keys[0]);

/**
 * The key of a pair that consumers hold now: the active key the state recorded; in a state from
 * before Alternate (0.1, a fixed keyType and no active key), the fixed key type it rotated, which is
 * what its consumers were given; else the first of the pair (Primary), assumed in use.
 */
export function keyInUse(pair: readonly [string, string], recorded: RecordedKeys | undefined): string {
    for (const candidate of [recorded?.activeKeyType, recorded?.keyType, recorded?.rotatedKeyType]) {
        if (typeof candidate === "string" && pair.includes(candidate)) return candidate;
    }
    return pair[0];
}

/**
 * The rotation to perform: with a fixed key type, that key; with Alternate (or AlternateReadOnly),
 * the key of the pair that is not in use, which then becomes active.
 */
export function planRotation(entry: ServiceEntry, keyType: string, recorded: RecordedKeys | undefined): RotationPlan {
    const pair = pairOf(entry, keyType);
    if (!pair) return { regenerate: keyType, ...activeKeys(entry, keyType, undefined) };
    const inUse = keyInUse(pair, recorded);
    const next = other(pair, inUse);
    return { regenerate: next, activeKeyType: next, previousKeyType: inUse };
}

/** The active keys when nothing rotates (an update of keyType alone, a refresh): the key in use stays active. */
export function activeKeys(entry: ServiceEntry, keyType: string, recorded: RecordedKeys | undefined): ActiveKeys {
    const pair = pairOf(entry, keyType);
    if (!pair) return entry.keyTypes.some((k) => k.name === keyType && k.consumer) ? { activeKeyType: keyType } : {};
    const active = keyInUse(pair, recorded);
    return { activeKeyType: active, previousKeyType: other(pair, active) };
}
