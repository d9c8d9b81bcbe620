/**
 * The KeyRotation provider, loaded by package name inside Pulumi's dynamic-provider host (see
 * keyRotation.ts). Each method is a few lines over the pure core; credentials and endpoints are
 * read here, in the provider process, at run time. Every error leaving it is redacted.
 */
import { randomUUID } from "node:crypto";
import { type AzureConfiguration, type ConfigGetter, resolveConfiguration } from "./arm/configuration";
import { isArmError, redact, rememberSecret } from "./arm/errors";
import { keyOutputsOf, pairOf, SECRET_OUTPUTS } from "./catalog";
import { activeKeys, planRotation, type RecordedKeys } from "./core/active";
import type { ArmClient } from "./core/armClient";
import { diffInputs } from "./core/diff";
import { type CheckFailure, checkInputs, type RotationInputs } from "./core/inputs";
import type { KeySet } from "./core/keySet";
import { KeyedMutex } from "./core/lock";
import { buildOutputs, keysFromState, type RotationRecord, rotationFromState } from "./core/outputs";
import { parseResourceId, type TargetResource, targetKey } from "./core/resourceId";
import { type RotationContext, RotationStepError, readKeys, rotateKey } from "./core/rotate";

const PROVIDER_KEY = "__provider";

let client: ArmClient | undefined;
let configured: { configuration?: AzureConfiguration; error?: unknown } | undefined;
const rotations = new KeyedMutex();

/** The stack config as Pulumi's dynamic-provider host hands it over: every key, namespaced. */
export interface ConfigureRequest {
    /** Reads a value by its full key, e.g. `azure-native:clientId`; secrets arrive unwrapped. */
    config: { get(key: string): string | undefined };
}

/**
 * Called once per process by Pulumi's host, before any other method, with the whole stack config:
 * reads the `azure-native:*` settings users already have (see arm/configuration). A mistake fails
 * here and in every later call, so nothing falls back to another identity.
 */
export async function configure(request: ConfigureRequest): Promise<void> {
    client = undefined;
    configured = resolve((key) => request.config.get(key));
    return guarded(async () => void configuration());
}

/** Pure and small (no SDK): safe to load with check and diff. */
function resolve(config: ConfigGetter): NonNullable<typeof configured> {
    try {
        return { configuration: resolveConfiguration(config) };
    } catch (error) {
        return { error };
    }
}

/**
 * The configuration in effect. Without `configure` (state written by 0.1, whose serialized provider
 * has none) it comes from the environment alone, as it did then.
 */
function configuration(): AzureConfiguration {
    configured ??= resolve(() => undefined);
    if (configured.error) throw configured.error;
    return configured.configuration!;
}

/**
 * The process's ARM client, created on first use. Loaded here, not at the top: check and diff
 * (every preview, every resource of every `pulumi up`) never need axios or @azure/identity, which
 * are most of this package's start-up time and memory.
 */
function armClient(): ArmClient {
    if (!client) {
        const { createCredential, TokenCache } = require("./arm/credential") as typeof import("./arm/credential");
        const { AxiosArmClient } = require("./arm/client") as typeof import("./arm/client");
        const resolved = configuration();
        const authority = resolved.credential.kind === "managedIdentity" ? "the managed identity endpoint" : resolved.settings.authorityHost;
        const tokens = new TokenCache(createCredential(resolved), resolved.settings.scope, { authority, source: resolved.source });
        client = new AxiosArmClient({ endpoint: resolved.settings.endpoint, tokens });
    }
    return client;
}

/** Replaces the ARM client (tests and embedding); undefined goes back to the configured one. */
export function useArmClient(replacement: ArmClient | undefined): void {
    client = replacement;
}

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

/** Validates and normalizes the inputs (no call to Azure); a configuration mistake fails here too. */
export async function check(olds: Record<string, unknown>, news: Record<string, unknown>) {
    return guarded(async () => {
        // A configuration mistake shows in preview, before anything is called.
        configuration();
        const { inputs, failures } = checkInputs(news, olds ?? {});
        return { inputs, failures: failures as CheckFailure[] };
    });
}

/** Whether the inputs call for a rotation (an update) or a new target (a replacement); never calls Azure. */
export async function diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const decision = diffInputs(olds, news);
    return { changes: decision.changes, replaces: decision.replaces, deleteBeforeReplace: false };
}

/** Rotates the key of a new KeyRotation and outputs the current key set. */
export async function create(inputs: Record<string, unknown>) {
    const id = randomUUID();
    return guarded(async () => ({ id, outs: await rotate(id, inputs, undefined) }));
}

/**
 * Rotates again when the trigger changed or the schedule is due; completes an unfinished rotation
 * (regenerates again when it may not have happened, reads the keys back when they are missing);
 * otherwise keeps the outputs and calls nothing.
 */
export async function update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    return guarded(async () => {
        rememberKeys(keysFromState(olds));
        const decision = diffInputs(olds, news);
        const record = rotationFromState(olds);
        if (decision.rotates || record?.pendingStep === "regenerate") return { outs: await rotate(id, news, olds) };
        const inputs = news as unknown as RotationInputs;
        const resource = target(inputs);
        if (decision.resumes) return { outs: await readBack(inputs, resource, olds) };
        return { outs: buildOutputs(inputs, resource, carriedOver(resource, inputs, olds), keysFromState(olds)) };
    });
}

/**
 * `pulumi refresh`: reads the current keys. Only a 404 for the target itself drops the KeyRotation
 * from the state; any other failure, an invalid answer included, fails the refresh and the state
 * keeps what it had.
 */
export async function read(id: string, props: Record<string, unknown>) {
    return guarded(async () => {
        const inputs = props as unknown as RotationInputs;
        const resource = target(inputs);
        try {
            const record = { ...rotationFromState(props), ...carriedOver(resource, inputs, props) };
            const keys = await readKeys(context(inputs, resource, record.activeKeyType));
            rememberKeys(keys);
            return { id, props: buildOutputs(inputs, resource, record, keys) };
        } catch (error) {
            if (isArmError(error) && error.status === 404 && error.onTarget) return { id: "", props: {} };
            throw error;
        }
    });
}

/** What the state recorded, as the one rule for the key in use reads it. */
function recorded(state: Record<string, unknown> | undefined): RecordedKeys | undefined {
    return state ? { ...rotationFromState(state), keyType: state.keyType } : undefined;
}

/** The last rotation's record, with the active key recomputed for the current keyType. */
function carriedOver(resource: TargetResource, inputs: RotationInputs, state: Record<string, unknown>): RotationRecord | undefined {
    const record = rotationFromState(state);
    if (!record) return undefined;
    return { ...record, ...activeKeys(resource.entry, inputs.keyType, recorded(state)) };
}

/** Completes a rotation whose regenerate took effect but whose keys were never read (or a state that lacks them). */
async function readBack(inputs: RotationInputs, resource: TargetResource, olds: Record<string, unknown>): Promise<Record<string, unknown>> {
    const record = rotationFromState(olds) ?? {};
    const { pendingKeyType, pendingStep: _, ...done } = record;
    const pair = pairOf(resource.entry, inputs.keyType);
    // The key regenerated before the read-back failed becomes active now, as it would have then.
    const active =
        pair && pendingKeyType && pair.includes(pendingKeyType)
            ? { activeKeyType: pendingKeyType, previousKeyType: pair[0] === pendingKeyType ? pair[1] : pair[0] }
            : activeKeys(resource.entry, inputs.keyType, recorded(olds));
    const keys = await rotations.run(targetKey(resource), () => readKeys(context(inputs, resource, active.activeKeyType)));
    rememberKeys(keys);
    return buildOutputs(inputs, resource, { ...done, ...active }, keys);
}

async function rotate(id: string, props: Record<string, unknown>, olds: Record<string, unknown> | undefined): Promise<Record<string, unknown>> {
    const inputs = props as unknown as RotationInputs;
    const resource = target(inputs);
    const before = recorded(olds);
    const plan = planRotation(resource.entry, inputs.keyType, before);
    return rotations.run(targetKey(resource), async () => {
        try {
            const keys = await rotateKey(context(inputs, resource, plan.activeKeyType), plan.regenerate);
            rememberKeys(keys);
            const rotation: RotationRecord = {
                rotatedAt: new Date().toISOString(),
                rotatedKeyType: plan.regenerate,
                activeKeyType: plan.activeKeyType,
                previousKeyType: plan.previousKeyType,
            };
            return buildOutputs(inputs, resource, rotation, keys);
        } catch (error) {
            if (!(error instanceof RotationStepError)) throw error;
            if (error.happened === "no") throw error.cause;
            throw incomplete(id, props, inputs, resource, olds, plan.regenerate, error);
        }
    });
}

/** The state and message of a rotation that happened (or may have) but did not finish. */
function incomplete(
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
            ? { rotatedAt: new Date().toISOString(), rotatedKeyType: regenerated }
            : { rotatedAt: previous?.rotatedAt, rotatedKeyType: previous?.rotatedKeyType }),
        // Consumers stay on the key they hold: nothing moves them to a key that was not read back.
        ...activeKeys(resource.entry, inputs.keyType, recorded(olds)),
        pendingKeyType: regenerated,
        pendingStep: happened ? "readBack" : "regenerate",
    };
    // Keep the values known to be current: everything but the regenerated key's.
    const known: KeySet = olds ? keysFromState(olds) : {};
    for (const name of Object.values(keyOutputsOf(resource.entry, regenerated))) delete known[name];
    const properties = buildOutputs(inputs, resource, record, known);
    // The host does not add __provider to these properties; without it the next deployment cannot load us.
    properties[PROVIDER_KEY] = props[PROVIDER_KEY];
    const cause = error.message;
    const message = happened
        ? `the ${regenerated} key was regenerated but reading the keys back failed: ${cause}. The rotation is recorded; ` +
          "consumers stay on the key they have. Fix the cause and run `pulumi up` again: it reads the keys back without regenerating."
        : `the regenerate of the ${regenerated} key may have taken effect but could not be confirmed: ${cause}. ` +
          `The state records it as pending; the next \`pulumi up\` regenerates the ${regenerated} key again and reads the keys back` +
          `${pairOf(resource.entry, inputs.keyType) ? " (it is not the key consumers use)" : ""}.`;
    return new RotationIncompleteError(id, properties, message);
}

function context(inputs: RotationInputs, resource: TargetResource, signWith?: string): RotationContext {
    return { client: armClient(), target: resource, apiVersion: inputs.apiVersion || resource.entry.defaultApiVersion, cloud: configuration().cloud, signWith };
}

function target(inputs: RotationInputs): TargetResource {
    const parsed = parseResourceId(inputs.resourceId);
    // check rejects these before any call; this guards state written by hand or by another version.
    if (!parsed.ok) throw new Error(`resourceId ${parsed.reason}`);
    return parsed.target;
}

/** Every key, connection string and callback URL read is a secret no later message may carry. */
function rememberKeys(keys: KeySet): void {
    for (const name of SECRET_OUTPUTS) {
        const value = keys[name];
        if (typeof value === "string") rememberSecretValue(value);
        else if (value) for (const url of Object.values(value)) rememberSecretValue(url);
    }
}

/** Remembers a secret value, and the signature inside it when it is a URL (a callback URL's `sig`). */
function rememberSecretValue(value: string): void {
    rememberSecret(value);
    if (!value.startsWith("https://")) return;
    try {
        rememberSecret(new URL(value).searchParams.get("sig") ?? undefined);
    } catch {
        // Not a URL after all: remembered whole above.
    }
}

/**
 * Runs a provider method so that no error leaves it holding a secret: its message and stack are
 * redacted. The host prints a failed check, diff or read as `${error}: ${error.stack}`: the error
 * reads as its name and the stack as its message, so that prints `ConfigurationError: <message>`,
 * once (a stack of frames would only point into this package).
 */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
        return await work();
    } catch (error) {
        throw sanitized(error);
    }
}

function sanitized(error: unknown): Error {
    const safe = error instanceof Error ? error : new Error(String(error));
    const message = redact(safe.message);
    try {
        safe.message = message;
        Object.defineProperty(safe, "stack", { value: message, configurable: true, writable: true });
        Object.defineProperty(safe, "toString", { value: () => safe.name, configurable: true, writable: true });
    } catch {
        return Object.assign(new Error(message), { name: safe.name });
    }
    return safe;
}
