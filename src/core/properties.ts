/**
 * What a resource's own GET tells that a rotation needs: the endpoint consumers call (where it
 * depends on the region), Storage's endpoints (Azure DNS zone endpoints are not on the standard
 * hosts), and whether its shared keys are turned off. Read once, before the first regenerate, and
 * kept in the state; read again by `pulumi refresh`, and when the state says the keys are off.
 */
import { ArmError } from "../arm/errors";
import type { ResourceRead, ServiceEntry } from "../catalog/lookup";
import type { ArmRequest } from "./armClient";
import { armPath, type TargetResource } from "./resourceId";
import type { RotationContext } from "./rotate";
import { isRecord, select } from "./select";

/** The properties a KeyRotation keeps in its state (`targetProperties`). Holds no secret. */
export interface TargetProperties {
    /** The endpoint consumers call, where the GET says it (`properties.endpoint`, a login server, a host name). */
    endpoint?: string;
    /** Storage: the account's endpoints by service (`blob`, `queue`, …), each `https://…/`. */
    endpoints?: Record<string, string>;
    /** Whether the resource lets shared keys in (`on`), or the setting that turns them off (`allowSharedKeyAccess: false`). Absent: not read. */
    sharedKeys?: "on" | { off: string };
}

/**
 * The reads a rotation needs: every one that gives an endpoint; one that only tells whether shared
 * keys are off only when the KeyRotation proves keys (it then fails before regenerating).
 */
export function readsNeeded(entry: ServiceEntry, verifies: boolean): ResourceRead[] {
    return (entry.reads ?? []).filter((read) => read.endpoint || read.endpoints || (read.sharedKeys && verifies));
}

/** Whether the recorded properties hold everything `reads` give (a state from before this version holds none). */
export function hasProperties(reads: readonly ResourceRead[], properties: TargetProperties | undefined): boolean {
    if (reads.length === 0) return true;
    if (!properties) return false;
    return reads.every(
        (read) =>
            (!read.endpoint || properties.endpoint !== undefined) &&
            (!read.endpoints || properties.endpoints !== undefined) &&
            (!read.sharedKeys || properties.sharedKeys !== undefined),
    );
}

/** GETs each resource of `reads` and takes what they say, every value validated. */
export async function readProperties(ctx: RotationContext, reads: readonly ResourceRead[]): Promise<TargetProperties> {
    const properties: TargetProperties = {};
    for (const read of reads) {
        const request: ArmRequest = {
            method: "GET",
            path: armPath(ctx.target, read.resource ?? ctx.target.entry.idTemplate),
            apiVersion: read.apiVersion ?? ctx.apiVersion,
            expect: [200],
            operation: read.operation,
            resourceId: ctx.target.resourceId,
            onTarget: read.resource === undefined,
        };
        const { body } = await ctx.client.send(request);
        const invalid = (why: string) =>
            new ArmError({ operation: read.operation, resourceId: ctx.target.resourceId, status: 200, code: "InvalidResource", armMessage: why });
        if (!isRecord(body)) throw invalid("the answer is not the resource (not a JSON object)");
        if (read.endpoint) {
            const value = select(body, read.endpoint);
            if (typeof value !== "string" || value === "" || /\s/.test(value)) throw invalid(`the resource has no ${read.endpoint}`);
            properties.endpoint = value;
        }
        if (read.endpoints) {
            const found = select(body, read.endpoints.selector);
            // Without them, the standard host names are used, as before endpoints were read.
            const value = found === undefined || found === null ? {} : found;
            if (!isRecord(value)) throw invalid(`the resource's ${read.endpoints.selector} is not an object`);
            const endpoints: Record<string, string> = {};
            for (const name of Object.keys(read.endpoints.connectionStringNames)) {
                const url = value[name];
                // Some kinds list only some services (a premium block blob account has no queue).
                if (url === undefined || url === null) continue;
                if (typeof url !== "string" || !isHttpsUrl(url)) throw invalid(`${read.endpoints.selector}.${name} is not an https URL`);
                endpoints[name] = url;
            }
            properties.endpoints = endpoints;
        }
        if (read.sharedKeys) {
            properties.sharedKeys = sharedKeysAreOff(read.sharedKeys.off, select(body, read.sharedKeys.selector)) ? { off: read.sharedKeys.setting } : "on";
        }
    }
    return properties;
}

function sharedKeysAreOff(off: NonNullable<ResourceRead["sharedKeys"]>["off"], value: unknown): boolean {
    if ("equals" in off)
        return typeof value === "string" && typeof off.equals === "string" ? value.toLowerCase() === off.equals.toLowerCase() : value === off.equals;
    return Array.isArray(value) && !value.some((mode) => typeof mode === "string" && mode.toLowerCase() === off.lacks.toLowerCase());
}

function isHttpsUrl(value: string): boolean {
    try {
        return new URL(value).protocol === "https:";
    } catch {
        return false;
    }
}

/** The properties as a state records them (`targetProperties`), or undefined when it has none that parse. */
export function propertiesFromState(value: unknown): TargetProperties | undefined {
    if (!isRecord(value)) return undefined;
    const properties: TargetProperties = {};
    if (typeof value.endpoint === "string") properties.endpoint = value.endpoint;
    if (isRecord(value.endpoints)) {
        properties.endpoints = Object.fromEntries(Object.entries(value.endpoints).filter((e): e is [string, string] => typeof e[1] === "string"));
    }
    if (value.sharedKeys === "on") properties.sharedKeys = "on";
    else if (isRecord(value.sharedKeys) && typeof value.sharedKeys.off === "string") properties.sharedKeys = { off: value.sharedKeys.off };
    return properties;
}

/** The setting's fix in words, for the resource's service: `set allowSharedKeyAccess to true`. */
export function enableSharedKeys(target: TargetResource): string | undefined {
    return target.entry.reads?.find((read) => read.sharedKeys)?.sharedKeys?.enable;
}
