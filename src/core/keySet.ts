/**
 * A service's key set: read from an ARM answer with the catalog's selectors, validated before it is
 * trusted (a 200 is not a key set), completed with the connection strings and endpoint the catalog
 * builds, and cut down to what one KeyRotation owns.
 */
import {
    CLOUD_SUFFIXES,
    type CloudName,
    type KeySetOutputName,
    keyOutputsOf,
    keySetOutputs,
    keyType,
    outputPrefix,
    pairOf,
    type SecretOutputName,
    type ServiceEntry,
    type Template,
} from "../catalog/lookup";
import type { TargetProperties } from "./properties";
import type { TargetResource } from "./resourceId";
import { isRecord, select } from "./select";

/** The values read from a service: keys, connection strings, callback URLs, username, endpoint. */
export type KeySet = Partial<Record<KeySetOutputName, string | Record<string, string>>>;

/** Why an answer is not a usable key set. Holds names of fields, never values. */
export class InvalidKeySetError extends Error {
    override readonly name = "InvalidKeySetError";
}

/** A key the service generated: at least 16 printable characters. */
const KEY = /^[\x21-\x7e]{16,1024}$/;
/** A key a user set by hand (API Management, a SAS rule's `key`): any printable run, 13 characters seen. */
const USER_SET_KEY = /^[\x21-\x7e]{1,1024}$/;

/** How strictly an answer's keys are checked: whose they are, and which one the service just made. */
export interface KeyValidation {
    /** The KeyRotation's keyType (canonical): the keys it owns are checked as keys; the others only as printable values. */
    owner?: string;
    /** The key type regenerated just before this answer: the service made it, so it must look like a key it makes. */
    regenerated?: string;
}

/** Describes an answer that is not a JSON object, without quoting it. */
export function describeNonObject(body: unknown): string | undefined {
    if (body === undefined || body === null || body === "") return "an empty body";
    if (typeof body === "string") {
        const start = body.trimStart();
        return start.startsWith("<") ? "an HTML or XML page, not JSON" : "a body that is not JSON";
    }
    if (!isRecord(body)) return `JSON that is not an object (${Array.isArray(body) ? "an array" : typeof body})`;
    return undefined;
}

/**
 * Reads the key set an answer holds and checks every field the catalog promises: each key a
 * printable string of 16 to 1024 characters, each connection string holding its own key. With
 * `keyTypeName`, only that key type's values are read and required (an answer that holds only the
 * regenerated key).
 */
export function keySetFromAnswer(entry: ServiceEntry, body: unknown, keyTypeName?: string, validation: KeyValidation = {}): KeySet {
    if (entry.readKeys.kind !== "listKeys") throw new Error(`${entry.service} has no key answer`);
    const notObject = describeNonObject(body);
    if (notObject) throw new InvalidKeySetError(`the answer is ${notObject}`);
    const { fields, optionalFields = {} } = entry.readKeys;
    const wanted = keyTypeName ? new Set<string>(Object.values(keyOutputsOf(entry, keyTypeName))) : undefined;
    const keys: KeySet = {};
    const missing: string[] = [];
    const invalid: string[] = [];
    const read = (selectors: Readonly<Partial<Record<KeySetOutputName, string>>>, required: boolean) => {
        for (const [output, selector] of Object.entries(selectors) as Array<[KeySetOutputName, string]>) {
            if (wanted && !wanted.has(output)) continue;
            const value = select(body, selector);
            if (value === undefined || value === null || value === "") {
                if (required) missing.push(output);
                continue;
            }
            if (typeof value !== "string") invalid.push(`${output} (not a string)`);
            else keys[output] = value;
        }
    };
    read(fields, true);
    read(optionalFields, false);
    const owned = validation.owner ? ownedOutputs(entry, validation.owner) : undefined;
    const regenerated = validation.regenerated ? keyOutputsOf(entry, validation.regenerated).Key : undefined;
    for (const [output, value] of Object.entries(keys) as Array<[KeySetOutputName, string]>) {
        // A key the service made is checked as one; a key a user may have set by hand, or one another
        // KeyRotation owns, only as a printable value: it is not this rotation's to judge.
        const made = output === regenerated || (!entry.userSetKeys && (!owned || owned.has(output)));
        if (output.endsWith("Key") && !(made ? KEY : USER_SET_KEY).test(value)) {
            invalid.push(`${output} (not a key: ${made ? "16" : "1"} to 1024 printable characters)`);
        }
        if (output.endsWith("ConnectionString")) {
            const key = keys[output.replace(/(Alias)?ConnectionString$/, "Key") as SecretOutputName];
            if (typeof key === "string" && !value.includes(key))
                invalid.push(`${output} (does not hold ${output.replace(/(Alias)?ConnectionString$/, "Key")})`);
        }
    }
    if (missing.length > 0 || invalid.length > 0) {
        const parts = [missing.length > 0 ? `lacks ${missing.join(", ")}` : "", invalid.length > 0 ? `has an invalid ${invalid.join(", ")}` : ""];
        const empty = Object.keys(keys).length === 0 && entry.readKeys.emptyMeans ? `: ${entry.readKeys.emptyMeans}` : "";
        throw new InvalidKeySetError(`the answer ${parts.filter(Boolean).join(" and ")}${empty}`);
    }
    return keys;
}

/** The key set a read made earlier, with the regenerated key type's values from its regenerate answer. */
export function mergeKeySets(before: KeySet, regenerated: KeySet): KeySet {
    return { ...before, ...regenerated };
}

/** Fills a catalog template: the target's names, `{key}`, `{endpoint}` and the cloud's suffixes. */
export function fillTemplate(template: Template, target: TargetResource, cloud: CloudName, key = "", endpoint = ""): string {
    return template.replace(/\{([^}]+)\}/g, (whole, name: string) => {
        if (name === "key") return key;
        if (name === "endpoint") return endpoint;
        if (name.startsWith("cloud:")) return CLOUD_SUFFIXES[cloud][name.slice(6) as keyof (typeof CLOUD_SUFFIXES)["public"]] ?? whole;
        return target.names[name] ?? whole;
    });
}

/**
 * Adds what the catalog builds rather than reads: connection strings from keys, the endpoint (from
 * the resource's properties where its GET gives it), and, where an account's endpoints are not on
 * the standard hosts (Storage on Azure DNS zone endpoints), those endpoints in its connection strings.
 */
export function completeKeySet(target: TargetResource, keys: KeySet, cloud: CloudName, properties?: TargetProperties): KeySet {
    const { entry } = target;
    const out: KeySet = { ...keys };
    if (out.endpoint === undefined) {
        if (properties?.endpoint !== undefined) out.endpoint = properties.endpoint;
        else if (typeof entry.endpoint === "string") out.endpoint = fillTemplate(entry.endpoint, target, cloud);
    }
    const endpoint = typeof out.endpoint === "string" ? out.endpoint : "";
    if (entry.connectionString) {
        const explicit = explicitEndpoints(target, cloud, properties);
        for (const k of entry.keyTypes) {
            const prefix = outputPrefix(k.name);
            const key = out[`${prefix}Key` as SecretOutputName];
            if (k.consumer && typeof key === "string")
                out[`${prefix}ConnectionString` as SecretOutputName] = fillTemplate(entry.connectionString, target, cloud, key, endpoint) + explicit;
        }
    }
    return out;
}

/**
 * `;BlobEndpoint=…;FileEndpoint=…` for an account whose endpoints are not the standard ones, as
 * `az storage account show-connection-string` writes them (the SDKs then call those hosts); empty
 * for an account on the standard hosts, whose connection string stays as short as before.
 */
function explicitEndpoints(target: TargetResource, cloud: CloudName, properties: TargetProperties | undefined): string {
    const read = target.entry.reads?.find((r) => r.endpoints)?.endpoints;
    const endpoints = properties?.endpoints;
    if (!read || !endpoints) return "";
    const standard = (service: string) => fillTemplate(read.standard.replace("{service}", service), target, cloud);
    const differs = Object.entries(endpoints).some(([service, url]) => url.replace(/\/*$/, "/").toLowerCase() !== standard(service).toLowerCase());
    if (!differs) return "";
    return Object.entries(read.connectionStringNames)
        .filter(([service]) => endpoints[service] !== undefined)
        .map(([service, name]) => `;${name}=${endpoints[service]}`)
        .join("");
}

/** Whether a key set holds every value the service always returns (a state written before a failed read lacks them). */
export function isCompleteKeySet(entry: ServiceEntry, keys: KeySet, ownedBy?: string): boolean {
    const owned = ownedBy ? ownedOutputs(entry, ownedBy) : undefined;
    return keySetOutputs(entry).required.every((name) => (owned && !owned.has(name)) || keys[name] !== undefined);
}

/**
 * The values a KeyRotation of this keyType owns, and so outputs: both keys of the pair it
 * alternates, or its one fixed key, with their connection strings; the callback URLs; the values
 * that are not secrets (username, endpoint). Keys another KeyRotation may rotate are not output,
 * so an output never holds a key revoked behind its back.
 */
export function ownedOutputs(entry: ServiceEntry, keyTypeName: string): Set<KeySetOutputName> {
    const owned = new Set<KeySetOutputName>(["callbackUrls", "callbackUrl", "username", "endpoint"]);
    const keyTypes = pairOf(entry, keyTypeName) ?? (entry.keyTypes.some((k) => k.name === keyTypeName) ? [keyType(entry, keyTypeName).name] : []);
    for (const name of keyTypes) for (const output of Object.values(keyOutputsOf(entry, name))) owned.add(output);
    return owned;
}
