import { KEY_ROLES, keyOutputsOf, PLAIN_VALUE_OUTPUTS, SECRET_OUTPUTS, type SecretOutputName } from "../catalog/lookup";
import type { ActiveKeys } from "./active";
import type { RotationInputs } from "./inputs";
import { type KeySet, ownedOutputs } from "./keySet";
import { propertiesFromState, type TargetProperties } from "./properties";
import type { TargetResource } from "./resourceId";
import { isRecord } from "./select";

/** The steps a rotation can stop at; the next deployment resumes there (see core/steps.ts). */
export type PendingStep = "regenerate" | "readBack" | "verify" | "store";
export const PENDING_STEPS: readonly PendingStep[] = ["regenerate", "readBack", "verify", "store"];

/** What the rotations so far did, kept in state across updates and refreshes. Holds no secret. */
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
    /**
     * Digests of the keys as last read, by key type (see core/digest.ts). While a rotation is pending
     * `regenerate` or `readBack`, they are the keys from before it: what tells a regenerate that
     * happened, and a read-back that lags, from one that did not.
     */
    keyDigests?: Record<string, string>;
    /** What the resource's GET told, read once (see core/properties.ts). */
    targetProperties?: TargetProperties;
    /** Key Vault: the version written last (`https://{vault}/secrets/{name}/{version}`), and the digest of the key it holds. */
    keyVaultSecretId?: string;
    keyVaultSecretVersion?: string;
    keyVaultKeyDigest?: string;
    /** What a refresh found changed outside this KeyRotation, until a deployment hands consumers the current keys. */
    externalChange?: string;
}

const STRING_FIELDS = [
    "rotatedAt",
    "rotatedKeyType",
    "activeKeyType",
    "previousKeyType",
    "pendingKeyType",
    "pendingStep",
    "verifiedAt",
    "keyVaultSecretId",
    "keyVaultSecretVersion",
    "keyVaultKeyDigest",
    "externalChange",
] as const;

/** What the state records of the Key Vault delivery, while there is one. */
const KEY_VAULT_FIELDS: ReadonlySet<string> = new Set(["keyVaultSecretId", "keyVaultSecretVersion", "keyVaultKeyDigest"]);

/** Inputs that are outputs too, as given. */
const INPUT_OUTPUTS = [
    "trigger",
    "apiVersion",
    "rotateEvery",
    "nextRotationAt",
    "rotationReason",
    "verify",
    "verifyTimeout",
    "keyVault",
    "outputKeys",
] as const;

/**
 * The full output set: the inputs, the rotation record, and the values this KeyRotation owns (see
 * {@link ownedOutputs}), with `activeKey` and friends for the active key type. With `outputKeys:
 * false`, no key, connection string or callback URL at all. Missing values are omitted, never
 * `undefined`: the provider host turns outputs into protobuf Structs, which reject undefined.
 */
export function buildOutputs(inputs: RotationInputs, target: TargetResource, rotation: RotationRecord | undefined, keys: KeySet): Record<string, unknown> {
    const outs: Record<string, unknown> = {
        resourceId: inputs.resourceId,
        resourceType: target.entry.resourceType,
        keyType: inputs.keyType,
    };
    for (const name of INPUT_OUTPUTS) {
        if (inputs[name] !== undefined && inputs[name] !== null && inputs[name] !== "") outs[name] = inputs[name];
    }
    for (const name of STRING_FIELDS) {
        // Without keyVault the secret is no longer kept current: no version of it is an output any more.
        if (rotation?.[name] !== undefined && (inputs.keyVault || !KEY_VAULT_FIELDS.has(name))) outs[name] = rotation[name];
    }
    if (rotation?.keyDigests && Object.keys(rotation.keyDigests).length > 0) outs.keyDigests = rotation.keyDigests;
    if (rotation?.targetProperties && Object.keys(rotation.targetProperties).length > 0) outs.targetProperties = rotation.targetProperties;
    if (inputs.keyVault) outs.keyVaultSecretUri = secretUri(inputs.keyVault.vaultUri, inputs.keyVault.secretName);
    const owned = ownedOutputs(target.entry, inputs.keyType);
    const secrets = new Set<string>(SECRET_OUTPUTS);
    for (const [name, value] of Object.entries(keys)) {
        if (value === undefined || !owned.has(name as SecretOutputName)) continue;
        if (inputs.outputKeys === false && secrets.has(name)) continue;
        outs[name] = value;
    }
    if (rotation?.activeKeyType && inputs.outputKeys !== false) {
        const active = keyOutputsOf(target.entry, rotation.activeKeyType);
        for (const role of KEY_ROLES) {
            const from = active[role];
            if (from && keys[from] !== undefined) outs[`active${role}`] = keys[from];
        }
    }
    return outs;
}

/** A secret's versionless URI: `https://{vault}/secrets/{name}`. */
export function secretUri(vaultUri: string, secretName: string): string {
    return `${vaultUri.replace(/\/+$/, "")}/secrets/${secretName}`;
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
    for (const name of STRING_FIELDS) {
        const value = state[name];
        if (typeof value === "string" && value !== "") (record as Record<string, string>)[name] = value;
    }
    if (record.pendingStep !== undefined && !PENDING_STEPS.includes(record.pendingStep)) delete record.pendingStep;
    if (isRecord(state.keyDigests)) {
        const digests = Object.entries(state.keyDigests).filter((e): e is [string, string] => typeof e[1] === "string");
        if (digests.length > 0) record.keyDigests = Object.fromEntries(digests);
    }
    const properties = propertiesFromState(state.targetProperties);
    if (properties) record.targetProperties = properties;
    return Object.keys(record).length > 0 ? record : undefined;
}
