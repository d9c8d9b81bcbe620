/**
 * A rotation as one explicit sequence of steps:
 *
 *   look → regenerate → readBack → verify → store → activate
 *
 * Each step is a function of the rotation's state that returns the next state; it does its work
 * only when the state says there is some, and its rules live in it (a regenerate that may have
 * happened is looked at before it is sent again; a read-back that still holds the key from before
 * is read again; a key refused is told from a firewall by the key that still works). A step that
 * cannot finish stops the rotation with {@link StepStopped}: the state then records `pendingStep`,
 * which is simply where the next deployment's sequence resumes. I/O comes through the
 * {@link Runtime} the provider gives.
 */
import { isArmError } from "../arm/errors";
import { keyOutputsOf, pairOf, type ServiceEntry } from "../catalog/lookup";
import type { ActiveKeys } from "./active";
import { type Claims, claimedKeyTypes, conflictMessage, secretConflictMessage } from "./claims";
import { keyDigest, keyDigests, keyValue } from "./digest";
import { DEFAULT_VERIFY_TIMEOUT_MS, type KeyVaultInputs, parseVerifyTimeout, type RotationInputs } from "./inputs";
import type { KeySet } from "./keySet";
import { buildOutputs, type PendingStep, type RotationRecord, rotationFromState, secretUri } from "./outputs";
import { hasProperties, isServiceHost, notServiceHost, readProperties, readsNeeded, type TargetProperties } from "./properties";
import { type TargetResource, targetKey } from "./resourceId";
import { keysFromAnswer, type RotationContext, readKeys, regenerateKey } from "./rotate";
import { parseInterval } from "./schedule";

/** The steps, in order. */
export const STEPS = ["look", "regenerate", "readBack", "verify", "store", "activate"] as const;
export type Step = (typeof STEPS)[number];

/** What a proof of a key found (see src/probe). */
export interface ProofResult {
    accepted: boolean;
    /** What the data plane answered last, without any secret. */
    answer: string;
    /** No answer came at all: the data plane may be out of reach from here. */
    unreachable: boolean;
    /** The answer neither accepted nor refused the key (a 400 or 404): the probe may not fit this resource. */
    inconclusive?: boolean;
    /**
     * Refused for a reason waiting cannot change: `sharedKeys` (the answer says shared keys are
     * turned off) or `network` (the key that still works was refused too: a firewall or network
     * rule in front of the data plane).
     */
    blocked?: "sharedKeys" | "network" | "clock";
    /** With `network`: what the data plane answered the key that still works. */
    controlAnswer?: string;
    /** How far this machine's clock is ahead of the data plane's, when it said. */
    clockSkewMs?: number;
    attempts: number;
    elapsedMs: number;
    /** The probe in words: method, URL template, scheme. */
    probe: string;
    /** Why no probe could be sent at all (the key set lacks what the probe signs with, say): nothing was asked of the data plane. */
    notSent?: string;
}

/** How a key is proven: until when, the key that still works (to tell a firewall from propagation), the resource's properties. */
export interface ProveOptions {
    /** A key type of the set that works now (the one consumers hold): refused too, the cause is not propagation. */
    control?: string;
    properties?: TargetProperties;
}

/** One Key Vault write: a new version of the secret. */
export interface StoreRequest {
    /** The vault's URI, `https://{vault}.vault.azure.net/`. */
    vaultUri: string;
    secretName: string;
    value: string;
    contentType: string;
    tags: Record<string, string>;
    /** The version's `attributes.exp`. */
    expiresOn?: Date;
}

/** What Key Vault answered a write: the new version's id. */
export interface StoreResult {
    /** `https://{vault}/secrets/{name}/{version}`. */
    id: string;
    version: string;
}

/** The provider's I/O, given to the steps. */
export interface Runtime {
    context(inputs: RotationInputs, resource: TargetResource, signWith?: string): RotationContext;
    /** Proves the key of `keyType` in `keys` works on the data plane, trying until `deadlineMs`. */
    prove(resource: TargetResource, keys: KeySet, keyType: string, deadlineMs: number, options?: ProveOptions): Promise<ProofResult>;
    /** Writes a new version of a Key Vault secret. */
    store?(request: StoreRequest): Promise<StoreResult>;
    /** Which KeyRotation holds which keys, in this process (one per deployment). */
    claims?: Claims;
    /** Remembers every secret value read, so no message carries it. */
    remember(keys: KeySet): void;
    now(): Date;
    /** Waits between reads of a lagging answer (tests make it instant). */
    sleep?(ms: number): Promise<void>;
}

/** One KeyRotation's run: what it was given, and what it plans. Fixed while the steps run. */
export interface Run {
    rt: Runtime;
    id: string;
    inputs: RotationInputs;
    target: TargetResource;
    /** The previous deployment's outputs (none on create). */
    olds?: Record<string, unknown>;
    /** The key consumers hold before this run, and the one before it. */
    held: ActiveKeys;
    /** The key to regenerate (none when the run only completes or delivers), and the active keys once done. */
    plan: ActiveKeys & { regenerate?: string };
    verifies: boolean;
}

/** The rotation as it moves through the steps. */
export interface RotationState {
    /** What the state records (never a key). */
    record: RotationRecord;
    /** The key set as this run knows it (from the last state, a read, or a regenerate's answer). */
    keys: KeySet & { ids?: Record<string, string> };
    /** Whether {@link keys} was read or answered in this run, after any regenerate. */
    fresh: boolean;
    /** A key was regenerated (in this run or one that stopped) and consumers are not on it yet: it is proven before they move. */
    regenerated: boolean;
    /** The key changed on Azure in this run (a regenerate sent, or found to have happened): a failure after it is recorded. */
    changed?: boolean;
    /** The candidate key was proven in this run. */
    verified?: boolean;
    /** The digests from before a regenerate whose read-back has not confirmed it yet (see the read-back's rule). */
    before?: Record<string, string>;
    /** The candidate key was proven in the run that stopped at `store`, and it has not changed since. */
    proven?: boolean;
}

/** A step that could not finish. The state it carries, with `pendingStep`, is what the deployment records. */
export class StepStopped extends Error {
    override readonly name = "StepStopped";
    constructor(
        readonly step: PendingStep,
        readonly state: RotationState,
        message: string,
    ) {
        super(message);
    }
}

/** How many times a read-back that still holds the key from before is read again, and the waits before each. */
export const LAGGING_READS_MS = [2_000, 5_000, 10_000];

/** Runs the steps from `from` to the end and returns the state reached. */
export async function runSteps(run: Run, from: Step, state: RotationState): Promise<RotationState> {
    let current = state;
    for (const step of STEPS.slice(STEPS.indexOf(from))) current = await STEP[step](run, current);
    return current;
}

/** The outputs of a state: the record with the keys it knows, cut to what this KeyRotation outputs. */
export function outputsOf(run: Run, state: RotationState): Record<string, unknown> {
    return buildOutputs(run.inputs, run.target, state.record, state.keys);
}

const STEP: Readonly<Record<Step, (run: Run, state: RotationState) => Promise<RotationState>>> = {
    look,
    regenerate,
    readBack,
    verify,
    store,
    activate,
};

/**
 * Before anything is regenerated: this KeyRotation may regenerate the key (no other one of this
 * deployment holds it); what the resource says about itself is known (read once, and again while
 * it says shared keys are off); a KeyRotation that proves keys stops here when shared keys are
 * off; and the digest of the key about to change is known, so that the steps after can tell
 * whether it did.
 */
async function look(run: Run, state: RotationState): Promise<RotationState> {
    const keyType = run.plan.regenerate;
    if (keyType === undefined) return state;
    const { entry } = run.target;
    claim(run);

    let record = (await withProperties(run, state, run.verifies)).record;
    const off = record.targetProperties?.sharedKeys;
    if (run.verifies && off !== undefined && off !== "on") throw new Error(sharedKeysOffMessage(run, off.off, "the resource's own properties say so"));

    // The key's value before the regenerate, as a digest; App Configuration also needs each key's id. A rotation
    // that stopped at read-back recorded the digests from before its regenerate, not the key it made: that key is
    // the one a replica behind answers after this regenerate, so it is read now, or a lagging read-back is taken
    // for the new key (and a key this regenerate revoked recorded as current).
    const needsIds = entry.regenerate.body?.value === "keyId";
    const unconfirmed = state.record.pendingStep === "readBack";
    if (entry.readKeys.kind === "listKeys" && (needsIds || unconfirmed || record.keyDigests?.[keyType] === undefined)) {
        const keys = await readKeys(context(run, { ...state, record }));
        run.rt.remember(keys);
        record = { ...record, keyDigests: keyDigests(run.target, keys) };
        return { ...state, record, keys, fresh: true, before: record.keyDigests };
    }
    return { ...state, record, before: state.before ?? record.keyDigests };
}

/**
 * Regenerates the planned key. Rule: a regenerate that may have happened (the state says
 * `pendingStep: regenerate`) is not sent again blindly: the keys are read first, and a key that
 * differs from its digest before means it did happen; the rotation completes without another.
 */
async function regenerate(run: Run, state: RotationState): Promise<RotationState> {
    const keyType = run.plan.regenerate;
    if (keyType === undefined) return state;
    const ctx = context(run, state);
    // The key's digest as the run that may have regenerated it recorded it, before it did.
    const before = run.olds ? rotationFromState(run.olds)?.keyDigests?.[keyType] : undefined;
    if (state.record.pendingStep === "regenerate" && before !== undefined) {
        const keys = state.fresh ? state.keys : await readKeys(ctx);
        run.rt.remember(keys);
        const now = keyValue(run.target.entry, keys, keyType);
        if (now !== undefined && keyDigest(run.target, keyType, now) !== before) {
            return { ...state, record: regenerated(run, state.record, keyType), keys, fresh: true, regenerated: true, changed: true, before: undefined };
        }
    }
    let answer: Awaited<ReturnType<typeof regenerateKey>>;
    try {
        answer = await regenerateKey(ctx, keyType, state.keys);
    } catch (error) {
        if (!(isArmError(error) && error.mayHaveSucceeded)) throw error;
        const stopped = withoutKey(run, state, keyType, "regenerate");
        throw new StepStopped(
            "regenerate",
            stopped,
            `the regenerate of the ${keyType} key may have taken effect but could not be confirmed: ${error.message}. ` +
                `The state records it as pending; the next \`pulumi up\` reads the keys first: if the ${keyType} key changed, the rotation ` +
                `happened and is completed without another regenerate; if not, the ${keyType} key is regenerated again` +
                `${pairOf(run.target.entry, run.inputs.keyType) ? " (it is not the key consumers use)" : ""}.`,
        );
    }
    const record = regenerated(run, state.record, keyType);
    // What this run read before is from before the regenerate now.
    const next: RotationState = { ...state, record, regenerated: true, changed: true, fresh: false };
    try {
        // An answer holding only the regenerated key completes a set read in this run, never one from the last state (it may be stale).
        const keys = await keysFromAnswer({ ...ctx, regenerated: keyType }, keyType, answer, state.fresh ? state.keys : undefined);
        if (keys) return { ...next, keys, fresh: true, before: undefined };
    } catch (error) {
        throw stoppedAtReadBack(run, next, keyType, error);
    }
    return { ...next, fresh: false };
}

/**
 * Reads the key set, unless this run already has it fresh. Rule: after a regenerate, an answer
 * whose regenerated key is the one from before is not the new key set (a replica behind): it is
 * read again, a few times, and the rotation then stops as pending read-back.
 */
async function readBack(run: Run, state: RotationState): Promise<RotationState> {
    if (state.fresh) return { ...state, record: { ...state.record, keyDigests: keyDigests(run.target, state.keys) } };
    const keyType = run.plan.regenerate ?? state.record.pendingKeyType;
    // A state from before this version has no properties: they are read once, and recorded.
    state = await withProperties(run, state, false).catch((error: unknown) => {
        if (state.changed && keyType) throw stoppedAtReadBack(run, state, keyType, error);
        throw error;
    });
    const ctx = { ...context(run, state), regenerated: state.before ? keyType : undefined };
    const stale = (keys: KeySet) => {
        const before = keyType ? state.before?.[keyType] : undefined;
        const now = keyType ? keyValue(run.target.entry, keys, keyType) : undefined;
        return before !== undefined && now !== undefined && keyDigest(run.target, keyType!, now) === before;
    };
    let keys: KeySet;
    try {
        keys = await readKeys(ctx);
        run.rt.remember(keys);
        for (const wait of LAGGING_READS_MS) {
            if (!stale(keys)) break;
            await (run.rt.sleep ?? sleep)(wait);
            keys = await readKeys(ctx);
            run.rt.remember(keys);
        }
    } catch (error) {
        // Nothing changed in this run: the state stays as it was (pending, if it was).
        if (!state.changed || !keyType) throw error;
        throw stoppedAtReadBack(run, state, keyType, error);
    }
    if (stale(keys)) {
        const seconds = Math.round(LAGGING_READS_MS.reduce((a, b) => a + b, 0) / 1000);
        throw stoppedAtReadBack(
            run,
            state,
            keyType!,
            `${operationOf(run.target.entry)} still answers the ${keyType} key from before the regenerate (${LAGGING_READS_MS.length + 1} reads over ${seconds} s): ` +
                "a replica behind, so that key is not recorded as the new one",
        );
    }
    const digests = keyDigests(run.target, keys);
    // A rotation that stopped at store was proven; it stays proven while its key is the one recorded (a refresh
    // that found a key changed records the new digests, and says so in externalChange: then it is proven again).
    const candidate = run.plan.activeKeyType;
    const proven =
        state.record.pendingStep === "store" &&
        !state.record.externalChange &&
        candidate !== undefined &&
        digests[candidate] === state.record.keyDigests?.[candidate];
    return { ...state, record: { ...state.record, keyDigests: digests }, keys, fresh: true, before: undefined, proven };
}

/**
 * Proves the key consumers are about to move to, when it is new to them (one they did not hold,
 * or one just regenerated). Not accepted in time: consumers stay on the key they hold, and the
 * rotation stops as pending verification. Rules: a key refused while the key that still works is
 * refused too is not propagating (a firewall, or shared keys turned off); the answer says which.
 */
async function verify(run: Run, state: RotationState): Promise<RotationState> {
    const candidate = run.plan.activeKeyType;
    if (!candidate || !run.verifies || state.proven) return state;
    // What consumers hold: the active key the last deployment recorded (a new fixed keyType is not held yet).
    const holds = typeof run.olds?.activeKeyType === "string" ? run.olds.activeKeyType : run.held.activeKeyType;
    const isNew = candidate !== holds || (state.regenerated && (state.record.rotatedKeyType === candidate || state.record.pendingKeyType === candidate));
    if (!isNew) return state;
    const deadline = parseVerifyTimeout(run.inputs.verifyTimeout) ?? DEFAULT_VERIFY_TIMEOUT_MS;
    const pair = pairOf(run.target.entry, run.inputs.keyType) ?? pairOf(run.target.entry, "Alternate");
    const control = pair?.find((k) => k !== candidate);
    const properties = state.record.targetProperties;
    // A recorded endpoint (read while verify was off) is sent a key only on the service's own hosts.
    const { cloud } = run.rt.context(run.inputs, run.target);
    const elsewhere =
        properties?.endpoint !== undefined && !isServiceHost(run.target.entry.service, cloud, properties.endpoint)
            ? new Error(`the resource's endpoint ${properties.endpoint} ${notServiceHost(run.target.entry.service, cloud)}`)
            : undefined;
    // The key has changed on Azure by now: a probe that cannot even be sent is a failed proof, recorded as pending like any other.
    const proof = await (elsewhere ? Promise.reject(elsewhere) : run.rt.prove(run.target, state.keys, candidate, deadline, { control, properties })).catch(
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
    if (proof.accepted) return { ...state, verified: true, record: { ...state.record, verifiedAt: run.rt.now().toISOString() } };

    const pairOfKeyType = pairOf(run.target.entry, run.inputs.keyType);
    // A fixed keyType: consumers stay on the key they hold where it is another (a new keyType moves them, and nothing
    // regenerated that key: it still works); where it is the candidate, the regenerate revoked it and they need the new one.
    const stays = pairOfKeyType !== undefined || (holds !== undefined && holds !== candidate);
    const stay = pairOfKeyType ? run.held : { activeKeyType: stays ? holds : candidate, previousKeyType: undefined };
    const record: RotationRecord = { ...state.record, ...stay, pendingKeyType: candidate, pendingStep: "verify" };
    const stopped = { ...state, record };
    const seconds = Math.round(proof.elapsedMs / 1000);
    const consumers = stays
        ? `Consumers stay on the ${stay.activeKeyType} key, which still works.`
        : `Consumers of the ${candidate} key need the new one; it is recorded, but not proven to work.`;
    const what =
        proof.notSent !== undefined
            ? `its probe could not be sent (${proof.notSent}).`
            : `${proof.probe} ${proof.unreachable ? "got" : "answered"} ${proof.answer} (${proof.attempts} ${proof.attempts === 1 ? "probe" : "probes"} over ${seconds} s).`;
    const off = properties?.sharedKeys !== undefined && properties.sharedKeys !== "on" ? properties.sharedKeys.off : undefined;
    if (proof.blocked === "sharedKeys") {
        const known = settingOf(run.target.entry);
        const setting = off ?? known ?? "a setting that turns shared keys off";
        // Recorded as off (the properties said on when they were read): the next look reads the setting again before it regenerates.
        const recorded = known ? { ...stopped, record: { ...record, targetProperties: { ...properties, sharedKeys: { off: known } } } } : stopped;
        throw new StepStopped("verify", recorded, `${sharedKeysOffMessage(run, setting, `its data plane answered: ${proof.answer}`)} ${consumers}`);
    }
    const advice =
        proof.blocked === "clock"
            ? ` This machine's clock is ${Math.round(Math.abs(proof.clockSkewMs ?? 0) / 60_000)} minutes ${(proof.clockSkewMs ?? 0) > 0 ? "ahead of" : "behind"} the service's ` +
              "(its Date header), and signed requests carry the time: correct the clock (NTP) and run `pulumi up` again."
            : proof.blocked
              ? ` The key that still works (${control}) was refused too${proof.controlAnswer ? ` (${proof.controlAnswer})` : ""}, so this is not a new key ` +
                "that has not reached every region yet: network access to the data plane is blocked from where `pulumi up` runs (a firewall, " +
                "network rules, public network access off, or a private endpoint). Allow this network, run `pulumi up` where the data plane " +
                "can be reached (KEY_ROTATION_DATA_PLANE_PROXY, or HTTPS_PROXY, names a proxy for the probes), or set `verify: false` on this KeyRotation to rotate without proving the key."
              : proof.unreachable
                ? " The data plane could not be reached from where `pulumi up` runs: behind a private endpoint or a firewall? " +
                  "Set `verify: false` on this KeyRotation to rotate without proving the key."
                : proof.inconclusive
                  ? " That answer neither accepts nor refuses a key, and waiting does not change it: the probe may not fit this resource. " +
                    "Set `verify: false` on this KeyRotation to rotate without proving the key."
                  : "";
    throw new StepStopped(
        "verify",
        stopped,
        `the new ${candidate} key is in place, but ${run.target.entry.title} has not accepted it yet: ${what} ${consumers} ` +
            `The rotation is recorded; run \`pulumi up\` again to prove the key again and then move consumers.${advice}`,
    );
}

/**
 * Writes the key consumers are about to move to into Key Vault, as a new version of the secret,
 * when the secret does not hold it yet (a rotation, a key changed outside, another secret or
 * content). A refused write stops the rotation as pending `store`: the version before stays the
 * latest, and the next deployment writes it without regenerating again.
 */
async function store(run: Run, state: RotationState): Promise<RotationState> {
    const kv = run.inputs.keyVault;
    const candidate = run.plan.activeKeyType;
    if (!kv || !candidate) return state;
    const { entry } = run.target;
    const key = keyValue(entry, state.keys, candidate);
    const outputs = keyOutputsOf(entry, candidate);
    const value = kv.content === "key" ? key : outputs.ConnectionString ? state.keys[outputs.ConnectionString] : undefined;
    if (key === undefined || typeof value !== "string") {
        throw new Error(`the ${candidate} key's ${kv.content === "key" ? "value" : "connection string"} was not read, so it cannot be written to Key Vault`);
    }
    const digest = keyDigest(run.target, candidate, key);
    const uri = secretUri(kv.vaultUri, kv.secretName);
    const written = state.record.keyVaultKeyDigest === digest && state.record.keyVaultSecretId?.startsWith(`${uri}/`) && !keyVaultChanged(run);
    if (written) return state;
    if (!run.rt.store) throw new Error("this provider has no Key Vault client");
    claimSecret(run);
    const rotatedAt = state.record.rotatedAt ?? run.rt.now().toISOString();
    const expiresAfter = parseInterval(kv.expiresAfter);
    try {
        const result = await run.rt.store({
            vaultUri: kv.vaultUri,
            secretName: kv.secretName,
            value,
            contentType: `${entry.title} ${kv.content === "key" ? "key" : "connection string"}`,
            tags: { ...kv.tags, keyType: candidate, resourceId: tagValue(run.target.resourceId), rotatedAt },
            expiresOn: expiresAfter === undefined ? undefined : new Date(run.rt.now().getTime() + expiresAfter),
        });
        return {
            ...state,
            record: { ...state.record, keyVaultSecretId: result.id, keyVaultSecretVersion: result.version, keyVaultKeyDigest: digest },
        };
    } catch (error) {
        const stay = pairOf(entry, run.inputs.keyType) ? run.held : {};
        // The secret's latest version is not known to hold this delivery (a write for another content, tags
        // or expiry was refused): without the digest, the next deployment writes it, whatever its key.
        const { keyVaultKeyDigest: _written, ...kept } = state.record;
        const record: RotationRecord = { ...kept, ...stay, pendingKeyType: candidate, pendingStep: "store" };
        const cause = (error instanceof Error ? error.message : String(error)).replace(/\.+$/, "");
        const pair = pairOf(entry, run.inputs.keyType);
        // A fixed keyType regenerates the key consumers use: the version before holds a revoked key.
        const consumers =
            pair && candidate !== run.held.activeKeyType
                ? ` Consumers stay on the ${run.held.activeKeyType} key, which still works; the secret's latest version stays the one before.`
                : !pair && state.regenerated
                  ? ` The secret's latest version still holds the ${candidate} key from before the regenerate, which no longer works: consumers that read it fail until the write succeeds.`
                  : " The secret's latest version stays the one before.";
        throw new StepStopped(
            "store",
            { ...state, record },
            `the ${candidate} key is in place${state.verified || state.proven ? " and proven" : ""}, but writing it to Key Vault failed: ${cause}.${consumers} ` +
                "The rotation is recorded; fix the cause and run `pulumi up` again: it writes the key without regenerating.",
        );
    }
}

/** Key Vault's longest tag value (longer ones refuse the whole write: 400 BadParameter "Property has invalid value"). */
export const KEY_VAULT_TAG_VALUE_MAX = 256;

/**
 * A value as a Key Vault tag takes it: a resource id can be longer than a tag value may be (a rule of a
 * queue in a long resource group); its end, after "…", still names the resource.
 */
function tagValue(value: string): string {
    return value.length <= KEY_VAULT_TAG_VALUE_MAX ? value : `…${value.slice(-(KEY_VAULT_TAG_VALUE_MAX - 1))}`;
}

/** Moves consumers to the planned key, and ends any pending rotation and any change a refresh reported. */
async function activate(run: Run, state: RotationState): Promise<RotationState> {
    const { pendingKeyType: _key, pendingStep: _step, externalChange: _change, verifiedAt, ...record } = state.record;
    // verifiedAt is about the active key: it stays only while that key is the one proven.
    const unproven = (run.plan.activeKeyType !== run.held.activeKeyType || state.regenerated) && !state.verified && !state.proven;
    return {
        ...state,
        record: { ...record, ...(unproven ? {} : { verifiedAt }), activeKeyType: run.plan.activeKeyType, previousKeyType: run.plan.previousKeyType },
    };
}

/**
 * The state with the resource's properties known: read when the state lacks what the reads give,
 * or says shared keys are off (a setting that may have changed since).
 */
async function withProperties(run: Run, state: RotationState, verifies: boolean): Promise<RotationState> {
    const reads = readsNeeded(run.target.entry, verifies);
    const recorded = state.record.targetProperties;
    const off = recorded?.sharedKeys !== undefined && recorded.sharedKeys !== "on";
    if (reads.length === 0 || (hasProperties(reads, recorded) && !off)) return state;
    const read = await readProperties(context(run, state), reads);
    return { ...state, record: { ...state.record, targetProperties: { ...recorded, ...read } } };
}

/** The ARM context of this run, with what the state knows of the resource. */
function context(run: Run, state: RotationState): RotationContext {
    return {
        // Logic Apps Consumption signs what it reads with the key consumers get: the planned one.
        ...run.rt.context(run.inputs, run.target, run.plan.activeKeyType ?? run.held.activeKeyType),
        properties: state.record.targetProperties,
        keyType: run.inputs.keyType,
        verifies: run.verifies,
    };
}

/** Claims the keys this KeyRotation regenerates; refuses when another KeyRotation of this deployment holds one of them. */
function claim(run: Run): void {
    const mine = { id: run.id, keyTypes: claimedKeyTypes(run.target, run.inputs.keyType, run.olds?.activeKeyType), keyType: run.inputs.keyType };
    const conflict = run.rt.claims?.claim(targetKey(run.target), mine);
    if (conflict) throw new Error(conflictMessage(run.target, mine, conflict));
    claimSecret(run);
}

/** Claims the Key Vault secret this KeyRotation writes; refuses when another KeyRotation of this deployment writes it. */
function claimSecret(run: Run): void {
    const kv = run.inputs.keyVault;
    if (!kv) return;
    const uri = secretUri(kv.vaultUri, kv.secretName);
    const conflict = run.rt.claims?.claimSecret(uri, { id: run.id, resourceId: run.target.resourceId });
    if (conflict) throw new Error(secretConflictMessage(uri, conflict));
}

function sharedKeysOffMessage(run: Run, setting: string, how: string): string {
    const title = run.target.entry.title;
    const enable = settingFix(run.target.entry);
    return (
        `${title} ${run.target.resourceId} has its shared keys turned off (${setting}; ${how}): no key works on its data plane, ` +
        `so a new key could not be proven and consumers could not use it. ${enable ? `To rotate its keys, ${enable};` : "Turn shared keys on;"} ` +
        "or remove this KeyRotation (use Microsoft Entra ID instead of keys); or set `verify: false` to rotate the keys anyway."
    );
}

function settingOf(entry: ServiceEntry): string | undefined {
    return entry.reads?.find((r) => r.sharedKeys)?.sharedKeys?.setting;
}

function settingFix(entry: ServiceEntry): string | undefined {
    return entry.reads?.find((r) => r.sharedKeys)?.sharedKeys?.enable;
}

/** The record once `keyType` is known to have been regenerated. */
function regenerated(run: Run, record: RotationRecord, keyType: string): RotationRecord {
    return { ...record, rotatedAt: run.rt.now().toISOString(), rotatedKeyType: keyType, pendingKeyType: keyType };
}

/**
 * The state of a rotation whose regenerate may have happened, or did but was not read back, stopped
 * at `step`: consumers stay on the key they hold, and of the key set only the values known to be
 * current stay (never the regenerated key's, nor callback URLs it signed: what this run knows of
 * them is from before the regenerate).
 */
function withoutKey(run: Run, state: RotationState, keyType: string, step: "regenerate" | "readBack"): RotationState {
    const { entry } = run.target;
    const keys: KeySet = { ...state.keys };
    for (const name of Object.values(keyOutputsOf(entry, keyType))) delete keys[name];
    if (signsCallbackUrls(entry, run.held.activeKeyType, keyType)) {
        delete keys.callbackUrl;
        delete keys.callbackUrls;
    }
    delete (keys as { ids?: unknown }).ids;
    const record: RotationRecord = { ...state.record, ...run.held, pendingKeyType: keyType, pendingStep: step };
    return { ...state, record, keys, fresh: false };
}

function stoppedAtReadBack(run: Run, state: RotationState, keyType: string, error: unknown): StepStopped {
    const cause = error instanceof Error ? error.message : String(error);
    return new StepStopped(
        "readBack",
        withoutKey(run, state, keyType, "readBack"),
        `the ${keyType} key was regenerated but reading the keys back failed: ${cause}. The rotation is recorded; ` +
            "consumers stay on the key they have. Fix the cause and run `pulumi up` again: it reads the keys back without regenerating.",
    );
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

/** Whether the Key Vault delivery differs from the last deployment's (another vault, secret, content, expiry or tags). */
function keyVaultChanged(run: Run): boolean {
    return JSON.stringify(normalized(run.olds?.keyVault)) !== JSON.stringify(normalized(run.inputs.keyVault));
}

function normalized(value: unknown): unknown {
    if (!value || typeof value !== "object") return value ?? null;
    const kv = value as KeyVaultInputs;
    return [kv.vaultUri, kv.secretName, kv.content, kv.expiresAfter ?? null, Object.entries(kv.tags ?? {}).sort()];
}

function operationOf(entry: ServiceEntry): string {
    return entry.readKeys.kind === "listKeys" ? entry.readKeys.operation : "the key read-back";
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
