/**
 * The KeyRotation provider, loaded by package name inside Pulumi's dynamic-provider host (see
 * keyRotation.ts). Each method is a few lines over the pure core; credentials and endpoints are
 * read here, in the provider process, at run time.
 */
import { randomUUID } from "node:crypto";
import { type AzureConfiguration, type ConfigGetter, resolveConfiguration } from "./arm/configuration";
import { isArmError } from "./arm/errors";
import { activeKeys, planRotation } from "./core/active";
import type { ArmClient } from "./core/armClient";
import { diffInputs } from "./core/diff";
import { type CheckFailure, checkInputs, type RotationInputs } from "./core/inputs";
import { KeyedMutex } from "./core/lock";
import { buildOutputs, keysFromState, type RotationRecord, rotationFromState } from "./core/outputs";
import { parseResourceId, type TargetResource, targetKey } from "./core/resourceId";
import { readKeys, regenerateKey } from "./core/rotate";

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
    configuration();
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
        const tokens = new TokenCache(createCredential(resolved), resolved.settings.scope);
        client = new AxiosArmClient({ endpoint: resolved.settings.endpoint, tokens });
    }
    return client;
}

/** Replaces the ARM client (tests and embedding); undefined goes back to the configured one. */
export function useArmClient(replacement: ArmClient | undefined): void {
    client = replacement;
}

/**
 * A regenerate succeeded but the keys could not be read back. Pulumi's host turns an error with
 * `id` and `properties` into ErrorResourceInitFailed, so the state records the rotation; a refresh
 * then fills in the keys.
 */
export class RotationIncompleteError extends Error {
    /** Always `"RotationIncompleteError"`. */
    override readonly name = "RotationIncompleteError";
    /** Why reading back failed; the host reports them with ErrorResourceInitFailed. */
    readonly reasons: string[];
    /**
     * Wraps a read-back failure after a successful regenerate.
     *
     * @param id The KeyRotation's id, so the engine records it.
     * @param properties The outputs known without the keys (the rotation record, `__provider` included).
     * @param cause The read-back failure.
     */
    constructor(
        /** The KeyRotation's id. */
        readonly id: string,
        /** The outputs the state records: the rotation happened, the keys are not known yet. */
        readonly properties: Record<string, unknown>,
        cause: unknown,
    ) {
        const reason = cause instanceof Error ? cause.message : String(cause);
        super(`the key was regenerated but reading the keys back failed; run \`pulumi refresh\` to record them. ${reason}`);
        this.reasons = [reason];
    }
}

/** Validates and normalizes the inputs (no call to Azure); a configuration mistake fails here too. */
export async function check(olds: Record<string, unknown>, news: Record<string, unknown>) {
    // A configuration mistake shows in preview, before anything is called.
    configuration();
    const { inputs, failures } = checkInputs(news, olds ?? {});
    return { inputs, failures: failures as CheckFailure[] };
}

/** Whether the inputs call for a rotation (an update) or a new target (a replacement); never calls Azure. */
export async function diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const decision = diffInputs(olds, news);
    return { changes: decision.changes, replaces: decision.replaces, deleteBeforeReplace: false };
}

/** Rotates the key of a new KeyRotation and outputs the current key set. */
export async function create(inputs: Record<string, unknown>) {
    const id = randomUUID();
    return { id, outs: await rotate(id, inputs, undefined) };
}

/** Rotates again when the trigger changed or the schedule is due; otherwise keeps the outputs. */
export async function update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    if (diffInputs(olds, news).rotates) return { outs: await rotate(id, news, rotationFromState(olds)) };
    const inputs = news as unknown as RotationInputs;
    const resource = target(inputs);
    return { outs: buildOutputs(inputs, resource, carriedOver(resource, inputs, olds), keysFromState(olds)) };
}

/** `pulumi refresh`: reads the current keys; a deleted target drops the KeyRotation from the state. */
export async function read(id: string, props: Record<string, unknown>) {
    const inputs = props as unknown as RotationInputs;
    const resource = target(inputs);
    try {
        const keys = await readKeys(armClient(), resource, apiVersion(inputs, resource));
        return { id, props: buildOutputs(inputs, resource, carriedOver(resource, inputs, props), keys) };
    } catch (error) {
        // The target is gone: report the rotation gone too, so the engine drops it from state.
        if (isArmError(error) && error.status === 404) return { id: "", props: {} };
        throw error;
    }
}

/** The last rotation's record, with the active key recomputed for the current keyType. */
function carriedOver(resource: TargetResource, inputs: RotationInputs, state: Record<string, unknown>): RotationRecord | undefined {
    const record = rotationFromState(state);
    if (!record) return undefined;
    return { rotatedAt: record.rotatedAt, rotatedKeyType: record.rotatedKeyType, ...activeKeys(resource.entry, inputs.keyType, record) };
}

async function rotate(id: string, props: Record<string, unknown>, before: RotationRecord | undefined): Promise<Record<string, unknown>> {
    const inputs = props as unknown as RotationInputs;
    const resource = target(inputs);
    const version = apiVersion(inputs, resource);
    const plan = planRotation(resource.entry, inputs.keyType, before);
    return rotations.run(targetKey(resource), async () => {
        await regenerateKey(armClient(), resource, plan.regenerate, version);
        const rotation: RotationRecord = {
            rotatedAt: new Date().toISOString(),
            rotatedKeyType: plan.regenerate,
            activeKeyType: plan.activeKeyType,
            previousKeyType: plan.previousKeyType,
        };
        try {
            const keys = await readKeys(armClient(), resource, version);
            return buildOutputs(inputs, resource, rotation, keys);
        } catch (error) {
            const known = buildOutputs(inputs, resource, rotation, {});
            // The host does not add __provider to these properties; without it a refresh cannot load us.
            known[PROVIDER_KEY] = props[PROVIDER_KEY];
            throw new RotationIncompleteError(id, known, error);
        }
    });
}

function target(inputs: RotationInputs): TargetResource {
    const parsed = parseResourceId(inputs.resourceId);
    // check rejects these before any call; this guards state written by hand or by another version.
    if (!parsed.ok) throw new Error(`resourceId ${parsed.reason}`);
    return parsed.target;
}

function apiVersion(inputs: RotationInputs, resource: TargetResource): string {
    return inputs.apiVersion || resource.entry.defaultApiVersion;
}
