import { keyOutputsOf, SECRET_OUTPUTS } from "../catalog";
import type { ActiveKeys } from "./active";
import type { RotationInputs } from "./inputs";
import type { TargetResource } from "./resourceId";
import type { KeySet } from "./rotate";

/** What the last successful regenerate was, kept in state across updates and refreshes. */
export interface RotationRecord extends ActiveKeys {
    rotatedAt: string;
    rotatedKeyType: string;
}

/**
 * The full output set. Missing values are omitted, never `undefined`: the provider host turns
 * outputs into protobuf Structs, which reject undefined.
 */
export function buildOutputs(inputs: RotationInputs, target: TargetResource, rotation: RotationRecord | undefined, keys: KeySet): Record<string, unknown> {
    const outs: Record<string, unknown> = {
        resourceId: inputs.resourceId,
        resourceType: target.entry.resourceType,
        keyType: inputs.keyType,
    };
    for (const name of ["trigger", "apiVersion", "rotateEvery", "nextRotationAt", "rotationReason"] as const) {
        if (inputs[name] !== undefined && inputs[name] !== null && inputs[name] !== "") outs[name] = inputs[name];
    }
    if (rotation) {
        for (const [name, value] of Object.entries(rotation)) if (value !== undefined) outs[name] = value;
    }
    const active = rotation?.activeKeyType ? keyOutputsOf(target.entry, rotation.activeKeyType) : {};
    const all: KeySet = { ...keys };
    if (active.key) all.activeKey = keys[active.key];
    if (active.connectionString) all.activeConnectionString = keys[active.connectionString];
    for (const name of SECRET_OUTPUTS) {
        if (all[name] !== undefined) outs[name] = all[name];
    }
    return outs;
}

/** The secret outputs held in a previous state, to carry over when nothing rotates. */
export function keysFromState(state: Record<string, unknown>): KeySet {
    const keys: KeySet = {};
    for (const name of SECRET_OUTPUTS) {
        // Derived from the others by buildOutputs, for the active key of the moment.
        if (name === "activeKey" || name === "activeConnectionString") continue;
        const value = state[name];
        if (typeof value === "string" || (value !== null && typeof value === "object")) {
            keys[name] = value as string | Record<string, string>;
        }
    }
    return keys;
}

/** The rotation record held in a previous state, if any. */
export function rotationFromState(state: Record<string, unknown>): RotationRecord | undefined {
    const { rotatedAt, rotatedKeyType, activeKeyType, previousKeyType } = state;
    if (typeof rotatedAt !== "string" || typeof rotatedKeyType !== "string") return undefined;
    const record: RotationRecord = { rotatedAt, rotatedKeyType };
    if (typeof activeKeyType === "string") record.activeKeyType = activeKeyType;
    if (typeof previousKeyType === "string") record.previousKeyType = previousKeyType;
    return record;
}
