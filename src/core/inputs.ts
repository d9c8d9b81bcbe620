import { parseResourceId } from "./resourceId";

/**
 * The value Pulumi's engine puts in place of an input that is not known yet (during preview).
 * Mirrors `@pulumi/pulumi/runtime/rpc` unknownValue; the core does not load the SDK.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The checked inputs of a KeyRotation, as they reach create, update and diff. */
export interface RotationInputs {
    resourceId: string;
    keyType: string;
    trigger: string | number;
    apiVersion?: string;
}

export interface CheckFailure {
    property: string;
    reason: string;
}

const API_VERSION = /^(\d{4})-(\d{2})-(\d{2})(-[a-z]+)?$/i;

/**
 * Validates and normalises inputs before anything is called. Every failure names its property;
 * unknown (preview) values are let through and checked again when they are known.
 */
export function checkInputs(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
    const failures: CheckFailure[] = [];
    const inputs: Record<string, unknown> = { ...news };
    const fail = (property: string, reason: string) => failures.push({ property, reason: `${property} ${reason}` });

    const { resourceId, keyType, trigger, apiVersion } = news;
    let keyTypes: readonly string[] | undefined;
    if (resourceId !== UNKNOWN) {
        if (typeof resourceId !== "string") {
            fail("resourceId", "is required: the ARM id of the resource whose key is rotated");
        } else {
            const parsed = parseResourceId(resourceId);
            if (parsed.ok) keyTypes = parsed.target.entry.keyTypes;
            else fail("resourceId", parsed.reason);
        }
    }

    if (keyType !== UNKNOWN) {
        if (typeof keyType !== "string" || keyType.trim() === "") {
            fail("keyType", `is required${keyTypes ? `: one of ${keyTypes.join(", ")}` : ""}`);
        } else if (keyTypes) {
            const canonical = keyTypes.find((k) => k.toLowerCase() === keyType.trim().toLowerCase());
            if (canonical) inputs.keyType = canonical;
            else fail("keyType", `"${keyType}" is not a key type of this resource; use one of ${keyTypes.join(", ")}`);
        }
    }

    if (trigger !== UNKNOWN) {
        const valid =
            (typeof trigger === "string" && trigger.trim() !== "") || (typeof trigger === "number" && Number.isFinite(trigger));
        if (!valid) fail("trigger", "is required: a string or number; change it to rotate the key");
    }

    if (apiVersion !== undefined && apiVersion !== null && apiVersion !== UNKNOWN) {
        const m = typeof apiVersion === "string" ? API_VERSION.exec(apiVersion) : null;
        const month = m ? Number(m[2]) : 0;
        const day = m ? Number(m[3]) : 0;
        if (!m || month < 1 || month > 12 || day < 1 || day > 31) {
            fail("apiVersion", `"${String(apiVersion)}" is not an ARM api-version (YYYY-MM-DD, optionally -preview)`);
        }
    }
    if (apiVersion === null) delete inputs.apiVersion;
    return { inputs, failures };
}

/** The trigger as compared between deployments: 7 and "7" are the same trigger. */
export function triggerValue(trigger: unknown): string {
    return String(trigger);
}
