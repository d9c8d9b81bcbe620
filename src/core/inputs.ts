import { ALTERNATE, alternatePairs, findKeyType, normalizeKeyTypeName, type ServiceEntry } from "../catalog";
import { editDistance } from "./nearest";
import { parseResourceId } from "./resourceId";
import { canonicalInterval, intervalProblem, planSchedule } from "./schedule";
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
}

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

    const { resourceId, keyType, trigger, apiVersion, rotateEvery, verify, verifyTimeout } = news;
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
