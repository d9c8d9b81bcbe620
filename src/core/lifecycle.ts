/**
 * What create, update and refresh do, step by step: regenerate, read back, prove, and move
 * consumers; and what the state records when a step fails, so the next deployment resumes there.
 * I/O comes through the {@link Runtime} the provider gives (ARM client, probes, clock).
 */

import { redact } from "../arm/errors";
import { keyOutputsOf, outputPrefix, pairOf, type SecretOutputName, type ServiceEntry } from "../catalog";
import { activeKeys, planRotation, type RecordedKeys } from "./active";
import { diffInputs } from "./diff";
import { DEFAULT_VERIFY_TIMEOUT_MS, parseVerifyTimeout, type RotationInputs, verifies } from "./inputs";
import type { KeySet } from "./keySet";
import { KeyedMutex } from "./lock";
import { buildOutputs, keysFromState, type RotationRecord, rotationFromState } from "./outputs";
import { parseResourceId, type TargetResource, targetKey } from "./resourceId";
import { type RotationContext, RotationStepError, readKeys, rotateKey } from "./rotate";

/** What a proof of a key found (see src/probe). */
export interface ProofResult {
    accepted: boolean;
    /** What the data plane answered last, without any secret. */
    answer: string;
    /** No answer came at all: the data plane may be out of reach from here. */
    unreachable: boolean;
    /** The answer neither accepted nor refused the key (a 400 or 404): the probe may not fit this resource. */
    inconclusive?: boolean;
    attempts: number;
    elapsedMs: number;
    /** The probe in words: method, URL template, scheme. */
    probe: string;
    /** Why no probe could be sent at all (the key set lacks what the probe signs with, say): nothing was asked of the data plane. */
    notSent?: string;
}

/** The provider's I/O, given to the lifecycle. */
export interface Runtime {
    context(inputs: RotationInputs, resource: TargetResource, signWith?: string): RotationContext;
    /** Proves the key of `keyType` in `keys` works on the data plane, trying until `deadlineMs`. */
    prove(resource: TargetResource, keys: KeySet, keyType: string, deadlineMs: number): Promise<ProofResult>;
    /** Remembers every secret value read, so no message carries it. */
    remember(keys: KeySet): void;
    now(): Date;
}

const PROVIDER_KEY = "__provider";
const rotations = new KeyedMutex();

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
    return rotate(rt, id, inputs, undefined);
}

/**
 * Rotates again when the trigger changed or the schedule is due; resumes an unfinished rotation
 * (regenerates again when it may not have happened, reads the keys back, proves the new key);
 * reads the keys a new keyType owns; otherwise keeps the outputs and calls nothing.
 */
export async function updateRotation(rt: Runtime, id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<Record<string, unknown>> {
    rt.remember(keysFromState(olds));
    const decision = diffInputs(olds, news);
    const record = rotationFromState(olds) ?? {};
    if (decision.rotates || record.pendingStep === "regenerate") return rotate(rt, id, news, olds);
    const inputs = news as unknown as RotationInputs;
    const resource = target(inputs);
    const carried = { ...record, ...activeKeys(resource.entry, inputs.keyType, recorded(olds)) };
    const { pendingKeyType, pendingStep, ...done } = record;
    if (pendingStep === "readBack" || pendingStep === "verify") {
        // The key regenerated before the deployment failed becomes active now, once read (and proven).
        const pair = pairOf(resource.entry, inputs.keyType);
        const next =
            pair && pendingKeyType && pair.includes(pendingKeyType) ? { activeKeyType: pendingKeyType, previousKeyType: other(pair, pendingKeyType) } : {};
        return readAndActivate(rt, id, news, inputs, resource, olds, { ...done, ...carried, pendingKeyType: undefined, pendingStep: undefined, ...next }, true);
    }
    const moves = carried.activeKeyType !== undefined && carried.activeKeyType !== olds.activeKeyType && verifies(resource.entry, inputs.verify);
    if (decision.resumes || moves) return readAndActivate(rt, id, news, inputs, resource, olds, carried, false);
    return buildOutputs(inputs, resource, carried, keysFromState(olds));
}

/**
 * `pulumi refresh`: the current keys. An unfinished rotation stays for the next deployment; the
 * active key stays the one consumers hold. Throws what reading throws (the provider decides what
 * a 404 means).
 */
export async function refreshRotation(rt: Runtime, props: Record<string, unknown>): Promise<Record<string, unknown>> {
    const inputs = props as unknown as RotationInputs;
    const resource = target(inputs);
    const record = { ...rotationFromState(props), ...activeKeys(resource.entry, inputs.keyType, recorded(props)) };
    const keys = await readKeys(rt.context(inputs, resource, record.activeKeyType));
    rt.remember(keys);
    return buildOutputs(inputs, resource, record, keys);
}

async function rotate(rt: Runtime, id: string, props: Record<string, unknown>, olds: Record<string, unknown> | undefined): Promise<Record<string, unknown>> {
    const inputs = props as unknown as RotationInputs;
    const resource = target(inputs);
    const plan = planRotation(resource.entry, inputs.keyType, recorded(olds));
    return rotations.run(targetKey(resource), async () => {
        let keys: KeySet;
        try {
            keys = await rotateKey(rt.context(inputs, resource, plan.activeKeyType), plan.regenerate);
        } catch (error) {
            if (!(error instanceof RotationStepError)) throw error;
            if (error.happened === "no") throw error.cause;
            throw interrupted(rt, id, props, inputs, resource, olds, plan.regenerate, error);
        }
        rt.remember(keys);
        const record: RotationRecord = {
            rotatedAt: rt.now().toISOString(),
            rotatedKeyType: plan.regenerate,
            activeKeyType: plan.activeKeyType,
            previousKeyType: plan.previousKeyType,
        };
        return activate(rt, id, props, inputs, resource, olds, record, keys, true);
    });
}

/** Reads the keys, then records `record` through {@link activate}. */
async function readAndActivate(
    rt: Runtime,
    id: string,
    props: Record<string, unknown>,
    inputs: RotationInputs,
    resource: TargetResource,
    olds: Record<string, unknown>,
    record: RotationRecord,
    regenerated: boolean,
): Promise<Record<string, unknown>> {
    return rotations.run(targetKey(resource), async () => {
        const keys = await readKeys(rt.context(inputs, resource, record.activeKeyType));
        rt.remember(keys);
        return activate(rt, id, props, inputs, resource, olds, record, keys, regenerated);
    });
}

/**
 * Records `record`, whose active key consumers are about to be moved to. When the KeyRotation
 * verifies and that key is new to them (a key they did not hold, or one just regenerated), it is
 * proven first; if Azure does not accept it in time, consumers stay on the key they hold and the
 * state records the rotation as pending verification.
 */
async function activate(
    rt: Runtime,
    id: string,
    props: Record<string, unknown>,
    inputs: RotationInputs,
    resource: TargetResource,
    olds: Record<string, unknown> | undefined,
    record: RotationRecord,
    keys: KeySet,
    regenerated: boolean,
): Promise<Record<string, unknown>> {
    const candidate = record.activeKeyType;
    const held = activeKeys(resource.entry, inputs.keyType, recorded(olds)).activeKeyType;
    const isNew = candidate !== undefined && (candidate !== (olds?.activeKeyType ?? held) || (regenerated && record.rotatedKeyType === candidate));
    if (!candidate || !isNew || !verifies(resource.entry, inputs.verify)) return buildOutputs(inputs, resource, record, keys);
    // The key has changed on Azure by now: a probe that cannot even be sent is a failed proof, recorded as pending like any other.
    const proof = await rt.prove(resource, keys, candidate, parseVerifyTimeout(inputs.verifyTimeout) ?? DEFAULT_VERIFY_TIMEOUT_MS).catch(
        (error: unknown): ProofResult => ({
            accepted: false,
            unreachable: false,
            attempts: 0,
            elapsedMs: 0,
            probe: "its probe",
            answer: "",
            notSent: error instanceof Error ? error.message : String(error),
        }),
    );
    if (proof.accepted) return buildOutputs(inputs, resource, { ...record, verifiedAt: rt.now().toISOString() }, keys);

    const pair = pairOf(resource.entry, inputs.keyType);
    const stay = pair ? activeKeys(resource.entry, inputs.keyType, recorded(olds)) : { activeKeyType: candidate };
    const pending: RotationRecord = { ...record, ...stay, verifiedAt: stringOf(olds?.verifiedAt), pendingKeyType: candidate, pendingStep: "verify" };
    const properties = withProvider(buildOutputs(inputs, resource, pending, keys), props);
    const seconds = Math.round(proof.elapsedMs / 1000);
    const consumers = pair
        ? `Consumers stay on the ${stay.activeKeyType} key, which still works.`
        : `Consumers of the ${candidate} key need the new one; it is recorded, but not proven to work.`;
    const unreachable = proof.unreachable
        ? ` The data plane could not be reached from where \`pulumi up\` runs: behind a private endpoint or a firewall? ` +
          "Set `verify: false` on this KeyRotation to rotate without proving the key."
        : proof.inconclusive
          ? " That answer neither accepts nor refuses a key, and waiting does not change it: the probe may not fit this resource. " +
            "Set `verify: false` on this KeyRotation to rotate without proving the key."
          : "";
    throw new RotationIncompleteError(
        id,
        properties,
        `the new ${candidate} key is in place, but ${resource.entry.title} has not accepted it yet: ${
            proof.notSent !== undefined
                ? `its probe could not be sent (${proof.notSent}).`
                : `${proof.probe} ${proof.unreachable ? "got" : "answered"} ${proof.answer} (${proof.attempts} ${proof.attempts === 1 ? "probe" : "probes"} over ${seconds} s).`
        } ${consumers} ` + `The rotation is recorded; run \`pulumi up\` again to prove the key again and then move consumers.${unreachable}`,
    );
}

/** The state and message of a rotation that happened (or may have) but whose keys were not read. */
function interrupted(
    rt: Runtime,
    id: string,
    props: Record<string, unknown>,
    inputs: RotationInputs,
    resource: TargetResource,
    olds: Record<string, unknown> | undefined,
    regenerated: string,
    error: RotationStepError,
): RotationIncompleteError {
    const previous = rotationFromState(olds ?? {});
    const happened = error.happened === "yes";
    const record: RotationRecord = {
        ...(happened
            ? { rotatedAt: rt.now().toISOString(), rotatedKeyType: regenerated }
            : { rotatedAt: previous?.rotatedAt, rotatedKeyType: previous?.rotatedKeyType }),
        // Consumers stay on the key they hold: nothing moves them to a key that was not read back.
        ...activeKeys(resource.entry, inputs.keyType, recorded(olds)),
        verifiedAt: previous?.verifiedAt,
        pendingKeyType: regenerated,
        pendingStep: happened ? "readBack" : "regenerate",
    };
    // Keep the values known to be current: everything but the regenerated key's.
    const known: KeySet = olds ? keysFromState(olds) : {};
    for (const name of Object.values(keyOutputsOf(resource.entry, regenerated))) delete known[name];
    // Callback URLs carry a signature made with a key: gone too when that key is the one regenerated.
    if (signsCallbackUrls(resource.entry, record.activeKeyType, regenerated)) {
        delete known.callbackUrl;
        delete known.callbackUrls;
    }
    const properties = withProvider(buildOutputs(inputs, resource, record, known), props);
    const cause = error.message;
    const message = happened
        ? `the ${regenerated} key was regenerated but reading the keys back failed: ${cause}. The rotation is recorded; ` +
          "consumers stay on the key they have. Fix the cause and run `pulumi up` again: it reads the keys back without regenerating."
        : `the regenerate of the ${regenerated} key may have taken effect but could not be confirmed: ${cause}. ` +
          `The state records it as pending; the next \`pulumi up\` regenerates the ${regenerated} key again and reads the keys back` +
          `${pairOf(resource.entry, inputs.keyType) ? " (it is not the key consumers use)" : ""}.`;
    return new RotationIncompleteError(id, properties, message);
}

/**
 * Whether regenerating `regenerated` invalidates the callback URLs a state holds: Logic Apps
 * Standard signs them with the primary key, Consumption with the key consumers hold
 * (`activeKeyType`); NotSpecified is taken to be either.
 */
function signsCallbackUrls(entry: ServiceEntry, activeKeyType: string | undefined, regenerated: string): boolean {
    const signer = entry.readKeys.kind === "callbackUrls" ? "Primary" : entry.readKeys.kind === "workflowCallbackUrl" ? activeKeyType : undefined;
    return signer !== undefined && (regenerated === signer || regenerated === "NotSpecified");
}

/** The credential a probe of `keyType` signs with, from a key set. */
export function credentialOf(
    entry: ServiceEntry,
    keys: KeySet,
    keyType: string,
): { key?: string; connectionString?: string; username?: string; endpoint?: string } {
    const outputs = keyOutputsOf(entry, keyType);
    const value = (name: SecretOutputName | undefined) => (name && typeof keys[name] === "string" ? (keys[name] as string) : undefined);
    return {
        key: value(outputs.Key) ?? value(`${outputPrefix(keyType)}Key` as SecretOutputName),
        connectionString: value(outputs.ConnectionString),
        username: typeof keys.username === "string" ? keys.username : undefined,
        endpoint: typeof keys.endpoint === "string" ? keys.endpoint : undefined,
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

const other = (pair: readonly [string, string], keyType: string) => (pair[0] === keyType ? pair[1] : pair[0]);
const stringOf = (value: unknown) => (typeof value === "string" ? value : undefined);
