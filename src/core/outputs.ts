import { KEY_ROLES, keyOutputsOf, PLAIN_VALUE_OUTPUTS, SECRET_OUTPUTS, type SecretOutputName } from "../catalog";
import type { ActiveKeys } from "./active";
import type { RotationInputs } from "./inputs";
import { type KeySet, ownedOutputs } from "./keySet";
import type { TargetResource } from "./resourceId";

/** The step a rotation must resume from on the next deployment. */
export type PendingStep = "regenerate" | "readBack" | "verify";

/** What the rotations so far did, kept in state across updates and refreshes. */
export interface RotationRecord extends ActiveKeys {
    /** When the last regenerate known to have taken effect finished. */
    rotatedAt?: string;
    rotatedKeyType?: string;
    /**
     * A key regenerated (or, with `regenerate`, maybe regenerated) that consumers have not been
     * moved to, and the step the next deployment resumes from.
     */
    pendingKeyType?: string;
    pendingStep?: PendingStep;
    /** When the active key was last proven to work on the data plane. */
    verifiedAt?: string;
}

const RECORD_FIELDS = ["rotatedAt", "rotatedKeyType", "activeKeyType", "previousKeyType", "pendingKeyType", "pendingStep", "verifiedAt"] as const;
const PENDING_STEPS: readonly PendingStep[] = ["regenerate", "readBack", "verify"];

/**
 * The full output set: the inputs, the rotation record, and the values this KeyRotation owns (see
 * {@link ownedOutputs}), with `activeKey` and friends for the active key type. Missing values are
 * omitted, never `undefined`: the provider host turns outputs into protobuf Structs, which reject
 * undefined.
 */
export function buildOutputs(inputs: RotationInputs, target: TargetResource, rotation: RotationRecord | undefined, keys: KeySet): Record<string, unknown> {
    const outs: Record<string, unknown> = {
        resourceId: inputs.resourceId,
        resourceType: target.entry.resourceType,
        keyType: inputs.keyType,
    };
    for (const name of ["trigger", "apiVersion", "rotateEvery", "nextRotationAt", "rotationReason", "verify", "verifyTimeout"] as const) {
        if (inputs[name] !== undefined && inputs[name] !== null && inputs[name] !== "") outs[name] = inputs[name];
    }
    for (const name of RECORD_FIELDS) if (rotation?.[name] !== undefined) outs[name] = rotation[name];
    const owned = ownedOutputs(target.entry, inputs.keyType);
    for (const [name, value] of Object.entries(keys)) if (value !== undefined && owned.has(name as SecretOutputName)) outs[name] = value;
    if (rotation?.activeKeyType) {
        const active = keyOutputsOf(target.entry, rotation.activeKeyType);
        for (const role of KEY_ROLES) {
            const from = active[role];
            if (from && keys[from] !== undefined) outs[`active${role}`] = keys[from];
        }
    }
    return outs;
}

/** The values held in a previous state, to carry over when nothing rotates. */
export function keysFromState(state: Record<string, unknown>): KeySet {
    const keys: KeySet = {};
    for (const name of [...SECRET_OUTPUTS, ...PLAIN_VALUE_OUTPUTS]) {
        // Derived from the others by buildOutputs, for the active key of the moment.
        if (name.startsWith("active")) continue;
        const value = state[name];
        if (typeof value === "string" || (value !== null && typeof value === "object")) {
            keys[name] = value as string | Record<string, string>;
        }
    }
    return keys;
}

/** The rotation record held in a previous state, if any (0.1 and 0.2 states included). */
export function rotationFromState(state: Record<string, unknown>): RotationRecord | undefined {
    const record: RotationRecord = {};
    for (const name of RECORD_FIELDS) {
        const value = state[name];
        if (typeof value === "string" && value !== "") (record as Record<string, string>)[name] = value;
    }
    if (record.pendingStep !== undefined && !PENDING_STEPS.includes(record.pendingStep)) delete record.pendingStep;
    return Object.keys(record).length > 0 ? record : undefined;
}
