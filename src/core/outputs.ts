import { SECRET_OUTPUTS } from "../catalog";
import { RotationInputs } from "./inputs";
import { TargetResource } from "./resourceId";
import { KeySet } from "./rotate";

/** What the last successful regenerate was, kept in state across updates and refreshes. */
export interface RotationRecord {
    rotatedAt: string;
    rotatedKeyType: string;
}

/**
 * The full output set. Missing values are omitted, never `undefined`: the provider host turns
 * outputs into protobuf Structs, which reject undefined.
 */
export function buildOutputs(
    inputs: RotationInputs,
    target: TargetResource,
    rotation: RotationRecord | undefined,
    keys: KeySet,
): Record<string, unknown> {
    const outs: Record<string, unknown> = {
        resourceId: inputs.resourceId,
        resourceType: target.entry.resourceType,
        keyType: inputs.keyType,
        trigger: inputs.trigger,
    };
    if (inputs.apiVersion) outs.apiVersion = inputs.apiVersion;
    if (rotation) Object.assign(outs, rotation);
    for (const name of SECRET_OUTPUTS) {
        if (keys[name] !== undefined) outs[name] = keys[name];
    }
    return outs;
}

/** The secret outputs held in a previous state, to carry over when nothing rotates. */
export function keysFromState(state: Record<string, unknown>): KeySet {
    const keys: KeySet = {};
    for (const name of SECRET_OUTPUTS) {
        const value = state[name];
        if (typeof value === "string" || (value !== null && typeof value === "object")) {
            keys[name] = value as string | Record<string, string>;
        }
    }
    return keys;
}

/** The rotation record held in a previous state, if any. */
export function rotationFromState(state: Record<string, unknown>): RotationRecord | undefined {
    const { rotatedAt, rotatedKeyType } = state;
    return typeof rotatedAt === "string" && typeof rotatedKeyType === "string" ? { rotatedAt, rotatedKeyType } : undefined;
}
