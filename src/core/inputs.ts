import { ALTERNATE, alternatePairs, findKeyType, keyOutputsOf, normalizeKeyTypeName, type ServiceEntry } from "../catalog/lookup";
import { editDistance, closest as nearest } from "./nearest";
import { parseResourceId } from "./resourceId";
import { canonicalInterval, intervalProblem, parseInterval, planSchedule } from "./schedule";
import { UNKNOWN } from "./values";

export { triggerValue, UNKNOWN } from "./values";

/** The checked inputs of a KeyRotation, as they reach create, update and diff. */
export interface RotationInputs {
    resourceId: string;
    /** A key type of the service in its canonical spelling, or "Alternate". */
    keyType: string;
    trigger?: string | number;
    apiVersion?: string;
    /** "30d", "12h": rotate when a deployment runs this long after the last rotation. */
    rotateEvery?: string;
    /** Set by check: when the next scheduled rotation is due. */
    nextRotationAt?: string;
    /** Set by check: why the last rotation happened. */
    rotationReason?: string;
    /** Prove the new key works before consumers move to it; the default is on where the service has a probe. */
    verify?: boolean;
    /** How long verification may take: "30s", "5m" (10 s to 60 min; 5 min by default). */
    verifyTimeout?: string;
    /** Where each proven key is written (see {@link KeyVaultInputs}). */
    keyVault?: KeyVaultInputs;
    /** False: no key or other secret value in outputs or state. True by default. */
    outputKeys?: boolean;
}

/** The checked Key Vault delivery: the vault's origin-normalised URI, the secret, what it holds. */
export interface KeyVaultInputs {
    /** `https://{vault}.{suffix}/`, lower-case, with one trailing slash. */
    vaultUri: string;
    secretName: string;
    /** Set by check to the service's default when not given. */
    content: "connectionString" | "key";
    /** A whole number of hours or days ("90d"), as rotateEvery. */
    expiresAfter?: string;
    tags?: Record<string, string>;
}

/** The inputs a program can give; anything else is refused by check, naming the closest of these. */
export const INPUT_NAMES = ["resourceId", "keyType", "trigger", "apiVersion", "rotateEvery", "verify", "verifyTimeout", "keyVault", "outputKeys"] as const;
/** Inputs check itself sets (the schedule's), and the host's own. */
const INTERNAL_INPUTS = new Set(["nextRotationAt", "rotationReason", "__provider"]);

/** Key Vault's host name suffix in each cloud: where a vaultUri may point. */
export const KEY_VAULT_SUFFIX_BY_CLOUD = { public: "vault.azure.net", usgovernment: "vault.usgovcloudapi.net", china: "vault.azure.cn" } as const;
/** Key Vault's host name suffixes, of every cloud. */
export const KEY_VAULT_SUFFIXES = Object.values(KEY_VAULT_SUFFIX_BY_CLOUD);
const KEY_VAULT_FIELDS = ["vaultUri", "secretName", "content", "expiresAfter", "tags"];
/** Key Vault allows 15 tags on a secret; the provider writes three of its own. */
export const KEY_VAULT_PROVIDER_TAGS = ["keyType", "resourceId", "rotatedAt"] as const;
const MAX_KEY_VAULT_TAGS = 15;

export interface CheckFailure {
    property: string;
    reason: string;
}

const API_VERSION = /^(\d{4})-(\d{2})-(\d{2})(-[a-z]+)?$/i;

/**
 * Validates and normalises inputs before anything is called. Every failure names its property;
 * unknown (preview) values are let through and checked again when they are known. `olds` are the
 * previous deployment's inputs (empty on create); with `now` they decide the schedule inputs.
 */
export function checkInputs(
    news: Record<string, unknown>,
    olds: Record<string, unknown> = {},
    now: number = Date.now(),
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
    const failures: CheckFailure[] = [];
    const inputs: Record<string, unknown> = { ...news };
    const fail = (property: string, reason: string) => failures.push({ property, reason: `${property} ${reason}` });

    for (const name of Object.keys(news)) {
        if ((INPUT_NAMES as readonly string[]).includes(name) || INTERNAL_INPUTS.has(name) || news[name] === undefined) continue;
        const near = closest(name, INPUT_NAMES);
        fail(name, `is not an input of KeyRotation${near ? ` (did you mean "${near}"?)` : ""}; its inputs are ${INPUT_NAMES.join(", ")}`);
    }

    const { resourceId, keyType, trigger, apiVersion, rotateEvery, verify, verifyTimeout, keyVault, outputKeys } = news;
    let entry: ServiceEntry | undefined;
    if (resourceId !== UNKNOWN) {
        if (typeof resourceId !== "string") {
            fail("resourceId", "is required: the ARM id of the resource whose key is rotated");
        } else {
            const parsed = parseResourceId(resourceId);
            if (parsed.ok) entry = parsed.target.entry;
            else fail("resourceId", parsed.reason);
        }
    }

    if (keyType !== UNKNOWN && entry) {
        const checked = checkKeyType(entry, keyType);
        if ("failure" in checked) fail("keyType", checked.failure);
        else inputs.keyType = checked.keyType;
    } else if (keyType !== UNKNOWN && keyType !== undefined && keyType !== null && (typeof keyType !== "string" || keyType.trim() === "")) {
        fail("keyType", "must be a key type name, e.g. Primary, Secondary or Alternate");
    }

    if (trigger !== UNKNOWN && trigger !== undefined && trigger !== null) {
        const valid = (typeof trigger === "string" && trigger.trim() !== "") || (typeof trigger === "number" && Number.isFinite(trigger));
        if (!valid) fail("trigger", "must be a non-empty string or a finite number; change it to rotate the key");
    }
    if (trigger === null) delete inputs.trigger;

    if (apiVersion !== undefined && apiVersion !== null && apiVersion !== UNKNOWN) {
        const m = typeof apiVersion === "string" ? API_VERSION.exec(apiVersion) : null;
        const month = m ? Number(m[2]) : 0;
        const day = m ? Number(m[3]) : 0;
        if (!m || month < 1 || month > 12 || day < 1 || day > 31) {
            fail("apiVersion", `"${String(apiVersion)}" is not an ARM api-version (YYYY-MM-DD, optionally -preview)`);
        }
    }
    if (apiVersion === null) delete inputs.apiVersion;

    const problem = intervalProblem(rotateEvery);
    if (problem) fail("rotateEvery", problem);
    else if (typeof rotateEvery === "string" && rotateEvery !== UNKNOWN) inputs.rotateEvery = canonicalInterval(rotateEvery);
    if (rotateEvery === null) delete inputs.rotateEvery;

    if (verify !== undefined && verify !== null && verify !== UNKNOWN) {
        if (typeof verify !== "boolean") fail("verify", "must be true or false");
        else if (verify && entry && "refused" in entry.verify) {
            fail("verify", `cannot be true for ${aTitle(entry)}: ${entry.verify.refused}; leave verify unset (or false) to rotate without proving the key`);
        }
    }
    if (verify === null) delete inputs.verify;
    const timeoutProblem = verifyTimeoutProblem(verifyTimeout);
    if (timeoutProblem) fail("verifyTimeout", timeoutProblem);
    else if (typeof verifyTimeout === "string" && verifyTimeout !== UNKNOWN) inputs.verifyTimeout = verifyTimeout.replace(/\s+/g, "").toLowerCase();
    if (verifyTimeout === null) delete inputs.verifyTimeout;

    if (outputKeys !== undefined && outputKeys !== null && outputKeys !== UNKNOWN && typeof outputKeys !== "boolean")
        fail("outputKeys", "must be true or false");
    if (outputKeys === null) delete inputs.outputKeys;
    if (keyVault === null) delete inputs.keyVault;
    else if (keyVault !== undefined && keyVault !== UNKNOWN) {
        const checked = checkKeyVault(keyVault, entry, typeof inputs.keyType === "string" ? inputs.keyType : undefined, inputs.rotateEvery);
        for (const failure of checked.failures) failures.push(failure);
        if (checked.keyVault) inputs.keyVault = checked.keyVault;
    }

    // The schedule's own inputs are never taken from the program, only from the last deployment.
    delete inputs.nextRotationAt;
    delete inputs.rotationReason;
    if (failures.length === 0) {
        const schedule = planSchedule(olds, inputs, now);
        if (schedule.nextRotationAt !== undefined) inputs.nextRotationAt = schedule.nextRotationAt;
        if (schedule.rotationReason !== undefined) inputs.rotationReason = schedule.rotationReason;
    }
    return { inputs, failures };
}

/**
 * A key type as written (any casing; the service's own names such as `key1`, `PrimaryKey` or
 * `Primary Key`; `Alternate`), in its canonical name, or why it is refused.
 */
export function checkKeyType(entry: ServiceEntry, keyType: unknown): { keyType: string } | { failure: string } {
    const pairs = Object.keys(alternatePairs(entry));
    const refusal = "refused" in entry.alternate ? `${ALTERNATE} is not possible: ${entry.alternate.refused}` : undefined;
    const names = entry.keyTypes.map((k) => k.name);
    const choices = [...pairs, ...names].join(", ");
    if (keyType === undefined || keyType === null) {
        if (pairs.includes(ALTERNATE)) return { keyType: ALTERNATE };
        return { failure: `is required for ${aTitle(entry)}: one of ${choices}${refusal ? `; ${refusal}` : ""}` };
    }
    if (typeof keyType !== "string" || keyType.trim() === "") {
        return { failure: `must be one of ${choices}${refusal ? `; ${refusal}` : ""}` };
    }
    const written = normalizeKeyTypeName(keyType);
    const pair = pairs.find((p) => normalizeKeyTypeName(p) === written);
    if (pair) return { keyType: pair };
    if (written.startsWith(normalizeKeyTypeName(ALTERNATE))) {
        if (refusal) return { failure: `"${keyType}" cannot be used for ${aTitle(entry)}: ${refusal}` };
        return { failure: `"${keyType}" is not a key type of this resource; use one of ${choices}` };
    }
    const found = findKeyType(entry, keyType);
    if (found) return { keyType: found.name };
    const near = [...pairs, ...names].find((name) => editDistance(normalizeKeyTypeName(name), written) <= 2);
    return {
        failure: `"${keyType}" is not a key type of ${aTitle(entry)}${near ? ` (did you mean "${near}"?)` : ""}; use one of ${choices}`,
    };
}

/** The name among `names` closest to `written` (ignoring case), if any is close enough to be a typo. */
export function closest(written: string, names: readonly string[]): string | undefined {
    return nearest(written, names, (name) => Math.max(2, Math.floor(name.length / 4)));
}

/**
 * The Key Vault delivery, checked: an https URI on a Key Vault host of a known cloud (origin only),
 * a secret name Key Vault takes, a content the service has, an interval, at most 15 tags with the
 * provider's. Every failure names its property (`keyVault.vaultUri`, ...). Unknown values pass.
 */
export function checkKeyVault(
    value: unknown,
    entry: ServiceEntry | undefined,
    keyType: string | undefined,
    rotateEvery: unknown,
): { keyVault?: KeyVaultInputs; failures: CheckFailure[] } {
    const failures: CheckFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property: `keyVault.${property}`, reason: `keyVault.${property} ${reason}` });
    if (typeof value !== "object" || Array.isArray(value)) {
        failures.push({ property: "keyVault", reason: "keyVault must be an object: { vaultUri, secretName, content?, expiresAfter?, tags? }" });
        return { failures };
    }
    const given = value as Record<string, unknown>;
    for (const name of Object.keys(given)) {
        if (KEY_VAULT_FIELDS.includes(name) || given[name] === undefined) continue;
        const near = closest(name, KEY_VAULT_FIELDS);
        fail(name, `is not a field of keyVault${near ? ` (did you mean "${near}"?)` : ""}; its fields are ${KEY_VAULT_FIELDS.join(", ")}`);
    }
    const { vaultUri, secretName, content, expiresAfter, tags } = given;
    const unknown = [vaultUri, secretName, content, expiresAfter, tags].includes(UNKNOWN);

    let uri: string | undefined;
    if (vaultUri !== UNKNOWN) {
        const problem = vaultUriProblem(vaultUri);
        if (problem) fail("vaultUri", problem);
        else uri = `https://${new URL(vaultUri as string).hostname.toLowerCase()}/`;
    }
    if (secretName !== UNKNOWN && (typeof secretName !== "string" || !/^[0-9a-zA-Z-]{1,127}$/.test(secretName))) {
        fail("secretName", `${JSON.stringify(secretName ?? null)} is not a Key Vault secret name: 1 to 127 letters, digits and hyphens`);
    }

    let held: "connectionString" | "key" | undefined;
    // A keyType unknown at preview is checked with the update: until then, what no key type of the service has is refused.
    const keyTypeUnknown = keyType === UNKNOWN;
    if (entry && keyTypeUnknown) {
        const hasConnectionString = entry.keyTypes.some((k) => keyOutputsOf(entry, k.name).ConnectionString);
        if (entry.readKeys.kind !== "listKeys") {
            failures.push({
                property: "keyVault",
                reason: `keyVault cannot be used for ${aTitle(entry)}: its key is never returned, only callback URLs signed with it`,
            });
        } else if (content === "connectionString" && !hasConnectionString) {
            fail("content", `cannot be "connectionString" for ${aTitle(entry)}: it has no connection string; use "key"`);
        } else if (content !== undefined && content !== null && content !== UNKNOWN && content !== "key" && content !== "connectionString") {
            fail("content", `must be "connectionString" or "key", not ${JSON.stringify(content)}`);
        }
    } else if (entry) {
        const keyTypes = keyType ? (alternatePairs(entry)[keyType] ?? [keyType]) : [];
        const outputs = keyTypes.map((k) => keyOutputsOf(entry, k));
        if (entry.readKeys.kind !== "listKeys") {
            failures.push({
                property: "keyVault",
                reason: `keyVault cannot be used for ${aTitle(entry)}: its key is never returned, only callback URLs signed with it`,
            });
        } else if (keyType && outputs.some((o) => !o.Key)) {
            failures.push({ property: "keyVault", reason: `keyVault cannot be used with keyType ${keyType}: consumers never hold that key` });
        } else {
            const hasConnectionString = outputs.length > 0 && outputs.every((o) => o.ConnectionString);
            if (content === undefined || content === null) held = hasConnectionString ? "connectionString" : "key";
            else if (content === "key") held = "key";
            else if (content === "connectionString") {
                if (hasConnectionString || keyTypes.length === 0) held = "connectionString";
                else fail("content", `cannot be "connectionString" for ${aTitle(entry)}: it has no connection string; use "key"`);
            } else if (content !== UNKNOWN) fail("content", `must be "connectionString" or "key", not ${JSON.stringify(content)}`);
        }
    } else if (content !== undefined && content !== null && content !== UNKNOWN && content !== "key" && content !== "connectionString") {
        fail("content", `must be "connectionString" or "key", not ${JSON.stringify(content)}`);
    }

    let expires: string | undefined;
    if (expiresAfter !== undefined && expiresAfter !== null && expiresAfter !== UNKNOWN) {
        const problem = intervalProblem(expiresAfter);
        if (problem) fail("expiresAfter", problem);
        else {
            expires = canonicalInterval(expiresAfter as string);
            const every = parseInterval(rotateEvery);
            if (every !== undefined && parseInterval(expires)! < every) {
                fail(
                    "expiresAfter",
                    `"${expires}" is shorter than rotateEvery "${String(rotateEvery)}": the latest version would expire before the next rotation writes a new one`,
                );
            }
        }
    }

    let tagValues: Record<string, string> | undefined;
    if (tags !== undefined && tags !== null && tags !== UNKNOWN) {
        if (typeof tags !== "object" || Array.isArray(tags)) fail("tags", "must be an object of strings");
        else {
            tagValues = {};
            // In name order: the same tags written in another order are the same delivery, not a change.
            for (const [name, tag] of Object.entries(tags as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
                if (tag === UNKNOWN) continue;
                if (typeof tag !== "string") fail(`tags.${name}`, "must be a string");
                else if (name.length > 512 || tag.length > 256)
                    fail(`tags.${name}`, "is too long: Key Vault takes tag names of 512 and values of 256 characters at most");
                else if (KEY_VAULT_PROVIDER_TAGS.some((own) => own.toLowerCase() === name.toLowerCase()))
                    fail(`tags.${name}`, `is a tag the provider writes itself (${KEY_VAULT_PROVIDER_TAGS.join(", ")})`);
                else tagValues[name] = tag;
            }
            const count = Object.keys(tags).length + KEY_VAULT_PROVIDER_TAGS.length;
            if (count > MAX_KEY_VAULT_TAGS) {
                fail(
                    "tags",
                    `has ${Object.keys(tags).length} tags; Key Vault takes ${MAX_KEY_VAULT_TAGS} on a secret, ${KEY_VAULT_PROVIDER_TAGS.length} of them the provider's`,
                );
            }
        }
    }

    if (failures.length > 0 || unknown || keyTypeUnknown || !uri || typeof secretName !== "string") return { failures };
    const keyVault: KeyVaultInputs = { vaultUri: uri, secretName, content: held ?? (content === "key" ? "key" : "connectionString") };
    if (expires) keyVault.expiresAfter = expires;
    if (tagValues && Object.keys(tagValues).length > 0) keyVault.tags = tagValues;
    return { keyVault, failures };
}

/** Why a vaultUri is not one a Key Vault client may send a token to, or undefined. */
function vaultUriProblem(value: unknown): string | undefined {
    const example = "https://{vault}.vault.azure.net/";
    if (typeof value !== "string" || value.trim() === "") return `is required: the vault's URI, ${example}`;
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return `"${value}" is not a URI; write the vault's URI, ${example}`;
    }
    if (url.protocol !== "https:") return `"${value}" must use https: Key Vault tokens go over https only (${example})`;
    if (url.username || url.password || url.port || url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) {
        return `"${value}" must be the vault's URI alone, ${example}, without port, path, query or credentials`;
    }
    const host = url.hostname.toLowerCase();
    const suffix = KEY_VAULT_SUFFIXES.find((s) => host.endsWith(`.${s}`));
    if (!suffix) return `"${value}" is not on a Key Vault host (${KEY_VAULT_SUFFIXES.map((s) => `*.${s}`).join(", ")})`;
    const name = host.slice(0, -suffix.length - 1);
    if (!/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/.test(name) || name.includes("--")) {
        return `"${value}" does not name a vault: a vault name is 3 to 24 letters, digits and single hyphens, starting with a letter`;
    }
    return undefined;
}

/**
 * A checked Key Vault delivery whose vault is in another cloud than the one configured
 * (`azure-native:environment`): its token would come from this cloud's sign-in, which that vault
 * refuses. Found in check, naming the property, before anything is regenerated.
 */
export function keyVaultCloudProblem(keyVault: unknown, cloud: keyof typeof KEY_VAULT_SUFFIX_BY_CLOUD): CheckFailure | undefined {
    const vaultUri = (keyVault as { vaultUri?: unknown } | undefined)?.vaultUri;
    if (typeof vaultUri !== "string" || vaultUri === UNKNOWN) return undefined;
    const host = vaultUri.replace(/^https:\/\//, "").replace(/\/$/, "");
    const suffix = KEY_VAULT_SUFFIX_BY_CLOUD[cloud];
    if (host.endsWith(`.${suffix}`)) return undefined;
    const other = (Object.keys(KEY_VAULT_SUFFIX_BY_CLOUD) as Array<keyof typeof KEY_VAULT_SUFFIX_BY_CLOUD>).find((c) =>
        host.endsWith(`.${KEY_VAULT_SUFFIX_BY_CLOUD[c]}`),
    );
    return {
        property: "keyVault.vaultUri",
        reason:
            `keyVault.vaultUri "${vaultUri}" is a vault of the ${other ?? "another"} cloud, and this stack signs in to the ${cloud} cloud ` +
            `(azure-native:environment): its vaults are *.${suffix}. Use a vault of the ${cloud} cloud, or set azure-native:environment.`,
    };
}

const TIMEOUT = /^\s*(\d+)\s*([sm])\s*$/i;
/** The default time verification may take. */
export const DEFAULT_VERIFY_TIMEOUT_MS = 5 * 60_000;

/** `verifyTimeout` in milliseconds ("30s", "5m"), or undefined when it is not such a duration or out of range. */
export function parseVerifyTimeout(value: unknown): number | undefined {
    const m = typeof value === "string" ? TIMEOUT.exec(value) : null;
    if (!m) return undefined;
    const ms = Number(m[1]) * (m[2].toLowerCase() === "m" ? 60_000 : 1_000);
    return ms >= 10_000 && ms <= 60 * 60_000 ? ms : undefined;
}

function verifyTimeoutProblem(value: unknown): string | undefined {
    if (value === undefined || value === null || value === UNKNOWN || parseVerifyTimeout(value) !== undefined) return undefined;
    return `"${String(value)}" is not a duration from 10s to 60m: use whole seconds or minutes, e.g. "90s" or "5m"`;
}

/** Whether a KeyRotation proves new keys: as asked, else where the service has a probe that is on by default. */
export function verifies(entry: ServiceEntry, verify: unknown): boolean {
    if ("refused" in entry.verify) return false;
    return typeof verify === "boolean" ? verify : !entry.verify.offByDefault;
}

/** The service's title with its article: "an Event Grid topic", "a Storage account". */
function aTitle(entry: ServiceEntry): string {
    return `${/^[aeiou]/i.test(entry.title) ? "an" : "a"} ${entry.title}`;
}
