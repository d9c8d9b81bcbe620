/**
 * The KeyRotation provider, loaded by package name inside Pulumi's dynamic-provider host (see
 * keyRotation.ts). Each method is a few lines over the pure core; credentials and endpoints are
 * read here, in the provider process, at run time. Every error leaving it is redacted.
 */
import { type AzureConfiguration, type ConfigGetter, resolveConfiguration } from "./arm/configuration";
import { isArmError, redact, rememberSecret } from "./arm/errors";
import { pairOf, SECRET_OUTPUTS } from "./catalog/lookup";
import type { ArmClient } from "./core/armClient";
import { claimedKeyTypes, claims, conflictMessage, secretConflictMessage } from "./core/claims";
import { diffInputs } from "./core/diff";
import { type CheckFailure, checkInputs, keyVaultCloudProblem } from "./core/inputs";
import type { KeySet } from "./core/keySet";
import type { Runtime } from "./core/lifecycle";
import { secretUri } from "./core/outputs";
import { parseResourceId, targetChanged, targetKey } from "./core/resourceId";

/**
 * What create, update and refresh run on, loaded with the first of them: a preview (check and
 * diff only) loads none of it.
 */
const lifecycle = () => require("./core/lifecycle") as typeof import("./core/lifecycle");

let client: ArmClient | undefined;
let credential: import("@azure/identity").TokenCredential | undefined;
let configured: { configuration?: AzureConfiguration; error?: unknown } | undefined;

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
    credential = undefined;
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
        const { TokenCache } = require("./arm/credential") as typeof import("./arm/credential");
        const { AxiosArmClient } = require("./arm/client") as typeof import("./arm/client");
        const resolved = configuration();
        const authority = resolved.credential.kind === "managedIdentity" ? "the managed identity endpoint" : resolved.settings.authorityHost;
        const tokens = new TokenCache(credentialFor(), resolved.settings.scope, { authority, source: resolved.source });
        client = new AxiosArmClient({ endpoint: resolved.settings.endpoint, tokens });
    }
    return client;
}

/** The process's one credential: ARM's tokens and Key Vault's come from the same sign-in chain, each for its own audience. */
function credentialFor(): import("@azure/identity").TokenCredential {
    if (!credential) {
        const { createCredential } = require("./arm/credential") as typeof import("./arm/credential");
        credential = createCredential(configuration());
    }
    return credential;
}

/** Replaces the ARM client (tests and embedding); undefined goes back to the configured one. */
export function useArmClient(replacement: ArmClient | undefined): void {
    client = replacement;
}

/** Validates and normalizes the inputs (no call to Azure); a configuration mistake fails here too. */
export async function check(olds: Record<string, unknown>, news: Record<string, unknown>) {
    return guarded(async () => {
        // A configuration mistake shows in preview, before anything is called.
        const { cloud } = configuration();
        const { inputs, failures } = checkInputs(news, olds ?? {});
        const elsewhere = failures.length === 0 ? keyVaultCloudProblem(inputs.keyVault, cloud) : undefined;
        if (elsewhere) failures.push(elsewhere);
        return { inputs, failures: failures as CheckFailure[] };
    });
}

/**
 * Whether the inputs call for a rotation (an update) or a new target (a replacement); never calls
 * Azure. It also claims the KeyRotation's keys for this deployment: two KeyRotations of one
 * program on the same key pair would revoke each other's keys, so the second one fails here, in
 * preview already, or before it regenerates anything.
 */
export async function diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    return guarded(async () => {
        claimKeys(id, olds, news);
        const decision = diffInputs(olds, news);
        return { changes: decision.changes, replaces: decision.replaces, deleteBeforeReplace: false };
    });
}

/** Claims the keys of an existing KeyRotation (its target and keyType known), refusing a second holder. */
function claimKeys(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): void {
    if (typeof news.resourceId !== "string" || typeof news.keyType !== "string") return;
    // A new target replaces the KeyRotation: this one is deleted, the replacement claims the target when it is created.
    if (targetChanged(olds, news)) return;
    const parsed = parseResourceId(news.resourceId);
    if (!parsed.ok) return; // check reports it
    const resource = parsed.target;
    if (!resource.entry.keyTypes.some((k) => k.name === news.keyType) && !pairOf(resource.entry, news.keyType)) return;
    const claim = { id, keyTypes: claimedKeyTypes(resource, news.keyType, olds.activeKeyType), keyType: news.keyType };
    const conflict = claims.claim(targetKey(resource), claim);
    if (conflict) throw new Error(conflictMessage(resource, claim, conflict));
    // The Key Vault secret it writes (checked inputs: the vault's URI normalised, the name as Key Vault takes it).
    const kv = news.keyVault as { vaultUri?: unknown; secretName?: unknown } | undefined;
    if (kv && typeof kv.vaultUri === "string" && typeof kv.secretName === "string" && kv.vaultUri.startsWith("https://")) {
        const uri = secretUri(kv.vaultUri, kv.secretName);
        const held = claims.claimSecret(uri, { id, resourceId: news.resourceId });
        if (held) throw new Error(secretConflictMessage(uri, held));
    }
}

/** Rotates the key of a new KeyRotation and outputs the current key set. */
export async function create(inputs: Record<string, unknown>) {
    // node:crypto is loaded here, not at the top: a preview never needs it.
    const id = (require("node:crypto") as typeof import("node:crypto")).randomUUID();
    return guarded(async () => ({ id, outs: await lifecycle().createRotation(runtime, id, inputs) }));
}

/** Rotates, resumes an unfinished rotation, or keeps the outputs (see core/lifecycle). */
export async function update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    return guarded(async () => ({ outs: await lifecycle().updateRotation(runtime, id, olds, news) }));
}

/**
 * `pulumi refresh`: reads the current keys. Only a 404 for the target itself drops the KeyRotation
 * from the state; any other failure, an invalid answer included, fails the refresh and the state
 * keeps what it had.
 */
export async function read(id: string, props: Record<string, unknown>) {
    return guarded(async () => {
        try {
            return { id, props: await lifecycle().refreshRotation(runtime, props) };
        } catch (error) {
            if (isArmError(error) && error.status === 404 && error.onTarget) return { id: "", props: {} };
            throw error;
        }
    });
}

/** The I/O the lifecycle runs on: this process's ARM client and configuration, the probes, the clock. */
const runtime: Runtime = {
    context: (inputs, resource, signWith) => ({
        client: armClient(),
        target: resource,
        apiVersion: inputs.apiVersion || resource.entry.defaultApiVersion,
        cloud: configuration().cloud,
        signWith,
    }),
    prove: async (resource, keys, keyType, deadlineMs, options = {}) => {
        const spec = resource.entry.verify;
        if ("refused" in spec) throw new Error(`${resource.entry.title} has no probe`);
        const { describeProbe, verifyKey } = require("./probe/probe") as typeof import("./probe/probe");
        const { credentialOf } = lifecycle();
        const credential = credentialOf(resource.entry, keys, keyType, options.properties);
        if (!credential.key) throw new Error(`the ${keyType} key was not read back, so it cannot be proven`);
        const signWith = { ...credential, key: credential.key };
        const other = options.control ? credentialOf(resource.entry, keys, options.control, options.properties) : undefined;
        const control = other?.key ? { ...other, key: other.key } : undefined;
        const result = await verifyKey(spec, resource, configuration().cloud, signWith, { deadlineMs, control });
        return { ...result, probe: describeProbe(spec, resource, configuration().cloud, signWith) };
    },
    store: async (request) => {
        const { keyVault } = require("./keyVault/client") as typeof import("./keyVault/client");
        return keyVault(configuration(), credentialFor).setSecret(request);
    },
    claims,
    remember: rememberKeys,
    now: () => new Date(),
};

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
