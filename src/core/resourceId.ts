import { CATALOG, findService, type ServiceEntry } from "../catalog";
import { UNKNOWN } from "./values";

/** A parsed, validated target resource. */
export interface TargetResource {
    /** The id as the user gave it. */
    readonly resourceId: string;
    readonly subscriptionId: string;
    readonly resourceGroupName: string;
    readonly entry: ServiceEntry;
    /** Template placeholder → value (canonical spelling where the rule lists the values). */
    readonly names: Readonly<Record<string, string>>;
}

export type ParseResult = { ok: true; target: TargetResource } | { ok: false; reason: string };

const PREFIX_HINT = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/{namespace}/{type}/{name}";

/**
 * Parses an ARM resource id and finds its service in the catalog. Segments are matched from the
 * `providers` segment on, so ids that hold `subscriptions` twice (APIM subscriptions) parse right.
 */
export function parseResourceId(resourceId: string): ParseResult {
    if (typeof resourceId !== "string" || resourceId.trim() === "") {
        return { ok: false, reason: "is required: the ARM id of the resource whose key is rotated" };
    }
    if (/[\s?#]/.test(resourceId)) {
        return { ok: false, reason: `must be a bare ARM resource id (no spaces, query or fragment), like ${PREFIX_HINT}` };
    }
    const segments = resourceId.replace(/\/+$/, "").split("/");
    const ok =
        segments.length >= 9 &&
        segments[0] === "" &&
        segments[1].toLowerCase() === "subscriptions" &&
        segments[3].toLowerCase() === "resourcegroups" &&
        segments[5].toLowerCase() === "providers" &&
        segments.slice(1).every((s) => s !== "");
    if (!ok) {
        return { ok: false, reason: `is not an ARM resource id of the form ${PREFIX_HINT}` };
    }
    const [subscriptionId, resourceGroupName] = [segments[2], segments[4]];
    const rest = segments.slice(6);
    if (rest.length % 2 !== 1) {
        return { ok: false, reason: `is not an ARM resource id of the form ${PREFIX_HINT}: type and name segments do not pair up` };
    }
    const types = rest.filter((_, i) => i > 0 && i % 2 === 1);
    const resourceType = [rest[0], ...types].join("/");
    const entry = findService(resourceType);
    if (!entry) {
        return { ok: false, reason: `names a ${resourceType} resource, which is not supported; supported types: ${supportedTypes()}` };
    }
    const template = entry.idTemplate.split("/");
    if (template.length !== rest.length) {
        return { ok: false, reason: `does not match ${entry.resourceType} ids (${entry.idTemplate} after providers/)` };
    }
    const names: Record<string, string> = {};
    for (let i = 0; i < template.length; i++) {
        const placeholder = /^\{(.+)\}$/.exec(template[i]);
        if (!placeholder) continue; // literal segments already matched through the resource type
        const name = placeholder[1];
        const value = rest[i];
        const rule = entry.nameRules?.[name];
        if (rule?.oneOf) {
            const canonical = rule.oneOf.find((v) => v.toLowerCase() === value.toLowerCase());
            if (!canonical) {
                return { ok: false, reason: `has ${name} "${value}"; ${entry.title} supports ${rule.oneOf.join(" or ")}` };
            }
            names[name] = canonical;
            continue;
        }
        if (rule?.maxLength !== undefined && value.length > rule.maxLength) {
            return { ok: false, reason: `has a ${name} longer than ${rule.maxLength} characters` };
        }
        if (rule?.pattern && !rule.pattern.test(value)) {
            return { ok: false, reason: `has ${name} "${value}", which does not match ${rule.pattern}` };
        }
        names[name] = value;
    }
    return { ok: true, target: { resourceId, subscriptionId, resourceGroupName, entry, names } };
}

/** The supported resource types, for messages. */
export function supportedTypes(): string {
    return CATALOG.map((e) => e.resourceType).join(", ");
}

/** Fills a catalog template with the target's names and prefixes the subscription and group. */
export function armPath(target: TargetResource, template: string, suffix = ""): string {
    const filled = template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(target.names[name]));
    return (
        `/subscriptions/${encodeURIComponent(target.subscriptionId)}` +
        `/resourceGroups/${encodeURIComponent(target.resourceGroupName)}/providers/${filled}${suffix}`
    );
}

/** The path under which the key operations live. */
export function operationsPath(target: TargetResource): string {
    return armPath(target, target.entry.operationsTemplate ?? target.entry.idTemplate);
}

/** A case-insensitive identity for a target: ARM ids are case-insensitive. */
export function targetKey(target: TargetResource): string {
    return armPath(target, target.entry.idTemplate).toLowerCase();
}

/** True when two resource ids name the same resource (ARM compares ids case-insensitively). */
export function sameResourceId(a: string, b: string): boolean {
    return a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();
}

/** Whether a deployment targets another resource than before (so the KeyRotation is replaced). */
export function targetChanged(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
    const [oldId, newId] = [olds.resourceId, news.resourceId];
    return newId === UNKNOWN || typeof oldId !== "string" || typeof newId !== "string" || !sameResourceId(oldId, newId);
}
