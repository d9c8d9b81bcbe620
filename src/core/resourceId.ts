import { allServices, findService, type NameRule, type ServiceEntry } from "../catalog/lookup";
import { closest } from "./nearest";
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
    if (typeof resourceId !== "string") return parse(resourceId);
    // check, diff and each step parse the same ids again: a deployment's few hundred are kept.
    let result = parsed.get(resourceId);
    if (!result) {
        result = parse(resourceId);
        if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value as string);
        parsed.set(resourceId, result);
    }
    return result;
}

const parsed = new Map<string, ParseResult>();
const MAX_PARSED = 1000;

function parse(resourceId: string): ParseResult {
    if (typeof resourceId !== "string" || resourceId.trim() === "") {
        return { ok: false, reason: "is required: the ARM id of the resource whose key is rotated" };
    }
    if (resourceId.length > MAX_ID_LENGTH) {
        return { ok: false, reason: `is ${resourceId.length} characters long; ARM resource ids are at most ${MAX_ID_LENGTH}` };
    }
    if (/[\s?#%\\]/.test(resourceId) || [...resourceId].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
        return { ok: false, reason: `must be a bare ARM resource id (no spaces, query, fragment, % escapes or backslashes), like ${PREFIX_HINT}` };
    }
    const segments = resourceId.replace(/\/+$/, "").split("/");
    // A "." or ".." segment would be normalised away by the URL, sending the call to another resource.
    if (segments.some((s) => s === "." || s === "..")) {
        return { ok: false, reason: `must not hold "." or ".." segments; write the full id, like ${PREFIX_HINT}` };
    }
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
    if (!SUBSCRIPTION_ID.test(subscriptionId)) {
        return { ok: false, reason: `has subscription id "${subscriptionId}"; a subscription id is a GUID (00000000-0000-0000-0000-000000000000)` };
    }
    const groupProblem = nameProblem("resource group name", resourceGroupName, RESOURCE_GROUP_NAME);
    if (groupProblem) return { ok: false, reason: groupProblem };
    const rest = segments.slice(6);
    if (rest.length % 2 !== 1) {
        return { ok: false, reason: `is not an ARM resource id of the form ${PREFIX_HINT}: type and name segments do not pair up` };
    }
    const types = rest.filter((_, i) => i > 0 && i % 2 === 1);
    const resourceType = [rest[0], ...types].join("/");
    const entry = findService(resourceType);
    if (!entry) {
        return {
            ok: false,
            reason: `names a ${resourceType} resource, which is not supported${unsupportedHint(resourceType)}; supported types: ${supportedTypes()}`,
        };
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
        const rule = entry.nameRules[name];
        if (rule.oneOf) {
            const canonical = rule.oneOf.find((v) => v.toLowerCase() === value.toLowerCase());
            if (!canonical) {
                return { ok: false, reason: `has ${name} "${value}"; ${entry.title} supports ${rule.rule}` };
            }
            names[name] = canonical;
            continue;
        }
        const problem = nameProblem(`${entry.title} ${name}`, value, rule);
        if (problem) return { ok: false, reason: problem };
        names[name] = value;
    }
    return { ok: true, target: { resourceId, subscriptionId, resourceGroupName, entry, names } };
}

/** ARM's longest resource id. */
const MAX_ID_LENGTH = 2048;
const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RESOURCE_GROUP_NAME: NameRule = {
    pattern: /^[-\p{L}\p{N}._()]*[-\p{L}\p{N}_()]$/u,
    minLength: 1,
    maxLength: 90,
    rule: "1 to 90 letters, digits, underscores, hyphens, periods and parentheses, not ending with a period",
};

/** Why a name breaks its rule (naming the rule, with the value cut short), or undefined. */
function nameProblem(what: string, value: string, rule: NameRule): string | undefined {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    const broken =
        (rule.minLength !== undefined && value.length < rule.minLength) ||
        (rule.maxLength !== undefined && value.length > rule.maxLength) ||
        (rule.pattern !== undefined && !rule.pattern.test(value));
    if (!broken) return undefined;
    const length = value.length > (rule.maxLength ?? Number.POSITIVE_INFINITY) ? ` (${value.length} characters)` : "";
    return `has ${what} "${shown}"${length}; it must be ${rule.rule}`;
}

/** Where a resource type is close to a supported one, what to write instead. */
function unsupportedHint(resourceType: string): string {
    const lower = resourceType.toLowerCase();
    const children = allServices().filter((e) => e.resourceType.toLowerCase().startsWith(`${lower}/`));
    if (children.length === 0) {
        // A typo (`storageAcounts`, `Microsoft.Storge`, `queue` for `queues`): a few edits from a supported type.
        const near = closest(
            resourceType,
            allServices().map((e) => e.resourceType),
            Math.max(2, Math.round(resourceType.length / 10)),
        );
        return near ? ` (did you mean ${near}?)` : "";
    }
    // A segment that takes a few fixed values (APIM's tenant/access) is written out, once per value.
    const forms = children.flatMap((e) => {
        const rest = e.idTemplate.split("/").slice(resourceType.split("/").length * 2 - 1);
        let written = [""];
        for (const segment of rest) {
            const values = e.nameRules[/^\{(.+)\}$/.exec(segment)?.[1] ?? ""]?.oneOf ?? [segment];
            written = written.flatMap((w) => values.map((v) => `${w}/${v}`));
        }
        return written.map((w) => `…${w}`);
    });
    return `; its keys are rotated on ${forms.join(" or ")}`;
}

/** The supported resource types, for messages. */
export function supportedTypes(): string {
    return allServices()
        .map((e) => e.resourceType)
        .join(", ");
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
