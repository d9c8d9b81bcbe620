/**
 * What create, update and refresh do: each picks where the sequence of steps (core/steps.ts)
 * starts, and what it plans; a step that stops becomes a {@link RotationIncompleteError} whose
 * properties the engine records, so the next deployment resumes at `pendingStep`.
 */

import { redact } from "../arm/errors";
import { keyOutputsOf, outputPrefix, pairOf, type SecretOutputName, type ServiceEntry } from "../catalog/lookup";
import { type ActiveKeys, activeKeys, planRotation, type RecordedKeys } from "./active";
import { diffInputs, keyVaultDue } from "./diff";
import { keyDigests } from "./digest";
import { type RotationInputs, verifies } from "./inputs";
import { completeKeySet, type KeySet } from "./keySet";
import { KeyedMutex } from "./lock";
import { buildOutputs, keysFromState, type RotationRecord, rotationFromState } from "./outputs";
import { readProperties, readsNeeded, type TargetProperties } from "./properties";
import { parseResourceId, type TargetResource, targetKey } from "./resourceId";
import { readKeys } from "./rotate";
import { outputsOf, type RotationState, type Run, type Runtime, runSteps, type Step, StepStopped } from "./steps";

export type { ProofResult, ProveOptions, Runtime, StoreRequest, StoreResult } from "./steps";

const PROVIDER_KEY = "__provider";
/** Azure refuses to regenerate two keys of one resource at once: every rotation of one target runs alone. */
const rotations = new KeyedMutex();

export { claims } from "./claims";

/**
 * A rotation stopped part way. Pulumi's host turns an error with `id` and `properties` into
 * ErrorResourceInitFailed, so the state records what happened (`pendingKeyType`, `pendingStep`)
 * and the next `pulumi up` resumes it.
 */
export class RotationIncompleteError extends Error {
    /** Always `"RotationIncompleteError"`. */
    override readonly name = "RotationIncompleteError";
    /** Why the rotation stopped; the host reports them with ErrorResourceInitFailed. */
    readonly reasons: string[];
    /**
     * Wraps the failure of a rotation that happened, or may have.
     *
     * @param id The KeyRotation's id, so the engine records it.
     * @param properties The outputs the state records: the rotation record and the keys known to be current (`__provider` included).
     * @param message What happened and what the next deployment does.
     */
    constructor(
        /** The KeyRotation's id. */
        readonly id: string,
        /** The outputs the state records. */
        readonly properties: Record<string, unknown>,
        message: string,
    ) {
        super(redact(message));
        this.reasons = [this.message];
    }
}

/** Rotates the key of a new KeyRotation and returns its outputs. */
export async function createRotation(rt: Runtime, id: string, inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const checked = inputs as unknown as RotationInputs;
    const resource = target(checked);
    const held = activeKeys(resource.entry, checked.keyType, undefined);
    const plan = planRotation(resource.entry, checked.keyType, undefined);
    return run({ rt, id, inputs: checked, target: resource, held, plan, verifies: verifies(resource.entry, checked.verify) }, inputs, "look", {
        record: {},
        keys: {},
        fresh: false,
        regenerated: false,
    });
}

/**
 * An update: rotates when the trigger changed or the schedule is due; resumes an unfinished
 * rotation where it stopped; completes a state that lacks something (keys a new keyType owns, a
 * key to prove, a Key Vault version to write, a change a refresh found); else keeps the outputs and
 * calls nothing.
 */
export async function updateRotation(rt: Runtime, id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<Record<string, unknown>> {
    const known = keysFromState(olds);
    rt.remember(known);
    const inputs = news as unknown as RotationInputs;
    const resource = target(inputs);
    const { entry } = resource;
    const decision = diffInputs(olds, news);
    const record = rotationFromState(olds) ?? {};
    const held = activeKeys(entry, inputs.keyType, recorded(olds));
    const base = { rt, id, inputs, target: resource, olds, held, verifies: verifies(entry, inputs.verify) };
    const state: RotationState = { record: { ...record, ...held }, keys: known, fresh: false, regenerated: false };

    if (decision.rotates) {
        return run({ ...base, plan: planRotation(entry, inputs.keyType, recorded(olds)) }, news, "look", { ...state, before: record.keyDigests });
    }
    const pending = record.pendingStep;
    if (pending) {
        const key = record.pendingKeyType;
        const pair = pairOf(entry, inputs.keyType);
        // The key regenerated before the deployment stopped becomes active once read (and proven, and stored).
        const plan: Run["plan"] =
            pair && key && pair.includes(key)
                ? { activeKeyType: key, previousKeyType: pair[0] === key ? pair[1] : pair[0] }
                : activeKeys(entry, inputs.keyType, recorded(olds));
        // A regenerate left unconfirmed is resumed only while its key is this KeyRotation's (a new keyType may have let
        // it go: another KeyRotation may own it now); else the keys are read, and the rotation ends where consumers are.
        const resends = pending === "regenerate" && key !== undefined && (pair ?? [inputs.keyType]).includes(key);
        const from: Step = resends ? "look" : "readBack";
        return run({ ...base, plan: resends ? { ...plan, regenerate: key } : plan }, news, from, {
            ...state,
            regenerated: pending === "readBack" || pending === "verify",
            before: resends || pending === "readBack" ? record.keyDigests : undefined,
        });
    }
    // Consumers moved to another key by a new keyType: it is proven, and a callback URL signed with the key (Logic
    // Apps Consumption) is read again, signed with the new one: the URL of the key before is not what the state says.
    const signsWithActive = entry.readKeys.kind === "workflowCallbackUrl";
    const moves = held.activeKeyType !== undefined && held.activeKeyType !== olds.activeKeyType && (base.verifies || signsWithActive);
    if (decision.resumes || moves || keyVaultDue(olds, news)) return run({ ...base, plan: held }, news, "readBack", state);
    return buildOutputs(inputs, resource, state.record, known);
}

/**
 * `pulumi refresh`: the current keys, and the resource's properties read again. A key this
 * KeyRotation owns that changed since the last deployment is reported in `externalChange` (the
 * next `pulumi up` hands consumers the current key, and writes it to Key Vault). An unfinished
 * rotation stays for the next deployment; the active key stays the one consumers hold. Throws what
 * reading throws (the provider decides what a 404 means).
 */
export async function refreshRotation(rt: Runtime, props: Record<string, unknown>): Promise<Record<string, unknown>> {
    const inputs = props as unknown as RotationInputs;
    const resource = target(inputs);
    const recordBefore = rotationFromState(props) ?? {};
    const record: RotationRecord = { ...recordBefore, ...activeKeys(resource.entry, inputs.keyType, recorded(props)) };
    const ctx = { ...rt.context(inputs, resource, record.activeKeyType), keyType: inputs.keyType, verifies: verifies(resource.entry, inputs.verify) };
    // The keys first: their 404 is the target's own, which tells the provider the KeyRotation is gone.
    let keys: KeySet = await readKeys({ ...ctx, properties: record.targetProperties });
    rt.remember(keys);
    const reads = readsNeeded(resource.entry, verifies(resource.entry, inputs.verify));
    if (reads.length > 0) {
        const properties: TargetProperties = await readProperties(ctx, reads);
        record.targetProperties = properties;
        if (properties.endpoint !== undefined && properties.endpoint !== keys.endpoint) {
            const { endpoint: _old, ...rest } = keys;
            keys = completeKeySet(resource, rest, ctx.cloud, properties);
        }
    }
    // While a regenerate is unconfirmed, the digests are the keys from before it: they stay, as the next deployment's reference.
    if (record.pendingStep !== "regenerate" && record.pendingStep !== "readBack") {
        const digests = keyDigests(resource, keys);
        const change = externalChange(resource, inputs, record, digests, rt.now());
        if (change) record.externalChange = change;
        // verifiedAt tells when the active key was proven: a key regenerated since is another, never proven.
        const active = record.activeKeyType;
        if (active && record.keyDigests?.[active] !== undefined && digests[active] !== undefined && digests[active] !== record.keyDigests[active]) {
            delete record.verifiedAt;
        }
        if (Object.keys(digests).length > 0) record.keyDigests = digests;
    }
    return buildOutputs(inputs, resource, record, keys);
}

/** Runs the steps of one KeyRotation alone on its target, and turns a stop into what the engine records. */
async function run(base: Run, props: Record<string, unknown>, from: Step, state: RotationState): Promise<Record<string, unknown>> {
    return rotations.run(targetKey(base.target), async () => {
        try {
            return outputsOf(base, await runSteps(base, from, state));
        } catch (error) {
            if (!(error instanceof StepStopped)) throw error;
            throw new RotationIncompleteError(base.id, withProvider(outputsOf(base, error.state), props), error.message);
        }
    });
}

/**
 * What a refresh found changed outside this KeyRotation: keys it owns whose digests differ from the
 * recorded ones. Undefined when nothing did (or nothing was recorded to compare with).
 */
function externalChange(
    resource: TargetResource,
    inputs: RotationInputs,
    record: RotationRecord,
    digests: Record<string, string>,
    now: Date,
): string | undefined {
    const before = record.keyDigests;
    if (!before) return undefined;
    const owned = pairOf(resource.entry, inputs.keyType) ?? [inputs.keyType];
    const changed = owned.filter((k) => before[k] !== undefined && digests[k] !== undefined && before[k] !== digests[k]);
    if (changed.length === 0) return undefined;
    const active = record.activeKeyType;
    const which = changed.map((k) => (k === active ? `${k} (the active key, which consumers use)` : k)).join(" and ");
    const next = inputs.keyVault ? "hands consumers the current key and writes it to Key Vault" : "hands consumers the current key";
    return (
        `refresh at ${now.toISOString()} found the ${which} regenerated outside this KeyRotation (by hand, a script, or another stack's KeyRotation)` +
        `${changed.includes(active ?? "") ? `: consumers hold a revoked key until the next \`pulumi up\`, which ${next}` : ""}.`
    );
}

/** The credential a probe of `keyType` signs with, from a key set (and the resource's recorded properties). */
export function credentialOf(
    entry: ServiceEntry,
    keys: KeySet,
    keyType: string,
    properties?: TargetProperties,
): { key?: string; connectionString?: string; username?: string; endpoint?: string; endpoints?: Record<string, string> } {
    const outputs = keyOutputsOf(entry, keyType);
    const value = (name: SecretOutputName | undefined) => (name && typeof keys[name] === "string" ? (keys[name] as string) : undefined);
    return {
        key: value(outputs.Key) ?? value(`${outputPrefix(keyType)}Key` as SecretOutputName),
        connectionString: value(outputs.ConnectionString),
        username: typeof keys.username === "string" ? keys.username : undefined,
        endpoint: typeof keys.endpoint === "string" ? keys.endpoint : properties?.endpoint,
        endpoints: properties?.endpoints,
    };
}

/** What the state recorded, as the one rule for the key in use reads it. */
function recorded(state: Record<string, unknown> | undefined): RecordedKeys | undefined {
    return state ? { ...rotationFromState(state), keyType: state.keyType } : undefined;
}

/** The KeyRotation's target, parsed again from its (checked) inputs. */
export function target(inputs: RotationInputs): TargetResource {
    const parsed = parseResourceId(inputs.resourceId);
    // check rejects these before any call; this guards state written by hand or by another version.
    if (!parsed.ok) throw new Error(`resourceId ${parsed.reason}`);
    return parsed.target;
}

/** The host does not add __provider to an error's properties; without it the next deployment cannot load the provider. */
function withProvider(properties: Record<string, unknown>, props: Record<string, unknown>): Record<string, unknown> {
    properties[PROVIDER_KEY] = props[PROVIDER_KEY];
    return properties;
}

export type { ActiveKeys };
