/**
 * Azure Resource Manager's side of the emulator: the key operations of every catalog service, with
 * api-version checks, resource lookup, busy resources (409), long-running regenerates and the
 * services' own error shapes. Handlers supply each service's bodies.
 */
import { setTimeout as delay } from "node:timers/promises";
import { keyType as catalogKeyType } from "../../src/catalog";
import { armError, type EmulatorResponse, errors } from "../errors";
import type { FaultEffect } from "../faults";
import { HANDLERS, type HandlerContext, type ServiceHandler } from "../handlers";
import { type EmulatedResource, newKey, type ResourceStore } from "../state";
import { type OperationOptions, Operations } from "./operations";
import type { RouteMatch } from "./routes";

/** How the emulated ARM answers: long-running operations, busy resources, page sizes. */
export interface ArmPlaneOptions {
    /** Long-running regenerates (SignalR): how many polls until done, and the Retry-After they send. */
    lro?: {
        /** Status polls answered "InProgress" before "Succeeded"; 0 answers the regenerate with 200 at once. */
        pollsUntilDone?: number;
        /** Retry-After on the 202 and on in-progress polls; SignalR sends none (undefined). */
        retryAfterSeconds?: number;
        /** An operation nobody polls still completes after this long. */
        completeAfterMs?: number;
    };
    /** How long a synchronous regenerate keeps the resource busy (another regenerate meanwhile gets 409). */
    regenerateLatencyMs?: number;
    /** Logic Apps trigger list page size (to exercise nextLink). */
    triggersPageSize?: number;
}

export class ArmPlane {
    readonly operations = new Operations();

    constructor(
        private readonly store: ResourceStore,
        private readonly options: ArmPlaneOptions,
    ) {}

    private get lro(): OperationOptions {
        const lro = this.options.lro ?? {};
        return { pollsUntilDone: lro.pollsUntilDone ?? 2, retryAfterSeconds: lro.retryAfterSeconds, completeAfterMs: lro.completeAfterMs ?? 30_000 };
    }

    /** Answers a request for a route of a catalog service. `fault` is the operation fault that hit it, if any. */
    async serve(match: RouteMatch, url: URL, rawBody: string, base: string, fault?: FaultEffect): Promise<EmulatorResponse> {
        const { route } = match;
        const { entry, handler } = route;
        const apiVersion = url.searchParams.get("api-version");
        if (!apiVersion) return errors.missingApiVersion();
        if (!handler.apiVersions.includes(apiVersion)) return errors.unsupportedApiVersion(apiVersion, entry.resourceType, handler.apiVersions);

        if (route.kind === "parentResource") return this.parent(match, url, base);
        const resourceId = `/subscriptions/${match.subscriptionId}/resourceGroups/${match.resourceGroup}/providers/${entry.idTemplate.replace(/\{([^}]+)\}/g, (_, n: string) => match.names[n])}`;
        const resource = this.store.get(resourceId);
        if (!resource) {
            const last = entry.idTemplate.split("/").pop()!.replace(/[{}]/g, "");
            return entry.service.startsWith("apim")
                ? handler.error(404, "ResourceNotFound", `${entry.title} not found.`)
                : errors.resourceNotFound(entry.resourceType, match.names[last], match.resourceGroup);
        }
        const ctx: HandlerContext = { entry, resource, names: match.names, query: url.searchParams, path: url.pathname, base };
        if (resource.localAuthDisabled && route.kind !== "resource" && handler.localAuthDisabled) return handler.localAuthDisabled(ctx, route.kind);
        // A replica that lags behind: the read-back sees the keys as they were before the last regenerate.
        if (fault && "stale" in fault && READ_BACKS.has(route.kind)) ctx.resource = { ...resource, keys: { ...(resource.previousKeys ?? resource.keys) } };

        switch (route.kind) {
            case "resource":
                return {
                    status: 200,
                    body: handler.resourceBody?.(ctx) ?? { id: resource.id, name: resource.id.split("/").pop(), type: entry.resourceType, properties: {} },
                };
            case "listKeys":
                return handler.listKeys!(ctx);
            case "listTriggers":
                return handler.listTriggers!(ctx, this.options.triggersPageSize ?? 2);
            case "callbackUrl":
                return handler.callbackUrl!(ctx, match.names.triggerName, parseJson(rawBody));
            case "workflowCallbackUrl":
                return handler.workflowCallbackUrl!(ctx, parseJson(rawBody));
            case "regenerate":
                return this.regenerate(match, ctx, rawBody, fault);
        }
    }

    /**
     * The GET of a resource's parent (a Service Bus namespace, a Managed Redis cluster): it exists
     * while an emulated resource under it does, of whichever service.
     */
    private parent(match: RouteMatch, url: URL, base: string): EmulatorResponse {
        const { entry } = match.route;
        const parent = match.route.parent!;
        const template = parent.idTemplate;
        const parentId = `/subscriptions/${match.subscriptionId}/resourceGroups/${match.resourceGroup}/providers/${template.replace(/\{([^}]+)\}/g, (_, n: string) => match.names[n])}`;
        const children = this.store.list().filter((r) => r.id.toLowerCase().startsWith(`${parentId.toLowerCase()}/`));
        if (children.length === 0) {
            const segments = template.split("/");
            return errors.resourceNotFound(
                [segments[0], ...segments.slice(1).filter((_, i) => i % 2 === 0)].join("/"),
                match.names[segments.at(-1)!.replace(/[{}]/g, "")],
                match.resourceGroup,
            );
        }
        return { status: 200, body: parent.body({ entry, id: parentId, names: match.names, children, query: url.searchParams, base }) };
    }

    /** Answers a poll of a monitor URL; completion installs the new keys. `fault` may end it otherwise. */
    poll(path: string, fault?: FaultEffect): EmulatorResponse {
        if (fault && "operationEnds" in fault) {
            const ended = this.operations.end(path, fault.operationEnds, {
                code: fault.code ?? "InternalServerError",
                message: fault.message ?? "Injected by the emulator.",
            });
            if (ended) this.release(ended.resourceId);
        }
        const { response, operation, ended } = this.operations.poll(path, this.lro);
        if (operation && ended && operation.status === "Succeeded") this.install(operation.resourceId, operation.keyType, operation.keysWhenDone);
        return response;
    }

    private async regenerate(match: RouteMatch, ctx: HandlerContext, rawBody: string, fault?: FaultEffect): Promise<EmulatorResponse> {
        const { handler } = match.route;
        const { resource } = ctx;
        const keyType = requestedKeyType(handler, match, ctx, rawBody);
        if (typeof keyType !== "string") return keyType;
        if (resource.busy) return errors.conflict(resource.id);

        const lro = this.lro;
        if (handler.longRunning && lro.pollsUntilDone > 0) {
            const keysWhenDone = this.renewed(resource, keyType, handler);
            const operation = this.operations.start(
                { resourceId: resource.id, keyType, keysWhenDone, pollsLeft: lro.pollsUntilDone, endless: !!fault && "operationNeverEnds" in fault },
                (id) => monitorPaths(handler, ctx, id),
            );
            resource.busy = true;
            const version = ctx.query.get("api-version")!;
            const headers: Record<string, string> = {
                "Azure-AsyncOperation": `${ctx.base}${operation.monitors.status}?api-version=${version}`,
                Location: `${ctx.base}${operation.monitors.result}?api-version=${version}`,
            };
            if (lro.retryAfterSeconds !== undefined) headers["Retry-After"] = String(lro.retryAfterSeconds);
            // Nobody polling: it completes anyway after a while, as Azure's do.
            if (!operation.endless) {
                setTimeout(() => {
                    if (operation.status === "InProgress") {
                        operation.status = "Succeeded";
                        this.install(resource.id, keyType, keysWhenDone);
                    }
                }, lro.completeAfterMs).unref();
            }
            return handler.accepted ? { status: 202, body: handler.accepted(ctx, keyType, keysWhenDone), headers } : { status: 202, rawBody: "", headers };
        }

        resource.busy = true;
        try {
            if (this.options.regenerateLatencyMs) await delay(this.options.regenerateLatencyMs);
            this.install(resource.id, keyType, this.renewed(resource, keyType, handler));
        } finally {
            resource.busy = false;
        }
        return handler.regenerated(ctx, keyType);
    }

    /** The resource's keys with one key type renewed (not installed yet). */
    renewed(resource: EmulatedResource, keyType: string, handler: ServiceHandler = HANDLERS.get(resource.service)!): Record<string, string> {
        const effective = handler.effectiveKeyType?.(keyType) ?? keyType;
        return { ...resource.keys, [effective]: newKey(handler.keyFormat) };
    }

    /** Installs renewed keys: the keys that changed count a generation each. */
    install(resourceId: string, _keyType: string, keys: Record<string, string>): void {
        const resource = this.store.get(resourceId);
        if (!resource) return;
        if (Object.entries(keys).some(([name, value]) => resource.keys[name] !== value)) resource.previousKeys = { ...resource.keys };
        for (const [name, value] of Object.entries(keys)) {
            if (resource.keys[name] === value) continue;
            resource.generations[name] = (resource.generations[name] ?? 0) + 1;
            resource.generatedAt = { ...resource.generatedAt, [name]: Date.now() };
        }
        resource.keys = { ...keys };
        resource.busy = false;
    }

    private release(resourceId: string): void {
        const resource = this.store.get(resourceId);
        if (resource) resource.busy = false;
    }
}

/** The routes that read keys back: what a `stale` fault makes answer the keys before the last regenerate. */
const READ_BACKS = new Set<RouteMatch["route"]["kind"]>(["listKeys", "listTriggers", "callbackUrl", "workflowCallbackUrl"]);

function monitorPaths(handler: ServiceHandler, ctx: HandlerContext, id: string): { status: string; result: string } {
    if (handler.monitorPath) return handler.monitorPath(ctx, id);
    const sub = ctx.resource.id.split("/")[2];
    const namespace = ctx.entry.resourceType.split("/")[0];
    const base = `/subscriptions/${sub}/providers/${namespace}/locations/westus`;
    return { status: `${base}/operationStatuses/${id}`, result: `${base}/operationResults/${id}` };
}

/** The key type a regenerate request names, read as the service reads it, or the service's error. */
function requestedKeyType(handler: ServiceHandler, match: RouteMatch, ctx: HandlerContext, rawBody: string): string | EmulatorResponse {
    const how = handler.regenerateRequest;
    const allowed = ctx.entry.keyTypes.map((k) => k.wire ?? k.name);
    if ("path" in how) {
        const suffix = match.route.suffix ?? `/${match.names.keyKind}`;
        const found = Object.entries(how.path).find(([path]) => path.toLowerCase() === suffix.toLowerCase());
        return found ? found[1] : errors.badKeyType(suffix, allowed);
    }
    const body = parseJson(rawBody);
    if (body === INVALID) return handler.error(400, "InvalidRequestContent", "The request content is not valid JSON.");
    const value = body && typeof body === "object" ? (body as Record<string, unknown>)["body" in how ? how.body : how.bodyId] : undefined;
    if ("bodyId" in how) {
        const found = Object.entries(ctx.resource.keyIds).find(([, id]) => id === value);
        return found ? found[0] : handler.error(400, "InvalidRequestContent", `No key has the id '${String(value)}'.`);
    }
    const found = Object.entries(how.values).find(
        ([wire]) => typeof value === "string" && (how.caseSensitive ? wire === value : wire.toLowerCase() === value.toLowerCase()),
    );
    if (!found) return errors.badKeyType(value, Object.keys(how.values));
    // The handler's own map must name key types the catalog has; a mismatch is an emulator bug.
    catalogKeyType(ctx.entry, found[1]);
    return found[1];
}

const INVALID = Symbol("invalid JSON");

function parseJson(raw: string): unknown {
    if (!raw) return undefined;
    try {
        return JSON.parse(raw) as unknown;
    } catch {
        return INVALID;
    }
}

export { armError };
