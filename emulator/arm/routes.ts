/**
 * The ARM routes of every catalog service, built from the catalog's own templates: the regenerate
 * operation(s), the key read-back, Logic Apps' trigger operations and the resource itself.
 */
import { CATALOG, regenerateOperation, type ServiceEntry } from "../../src/catalog";
import { HANDLERS, type ParentResource, type ServiceHandler } from "../handlers";

export type RouteKind = "regenerate" | "listKeys" | "listTriggers" | "callbackUrl" | "workflowCallbackUrl" | "resource" | "parentResource";

export interface Route {
    method: "GET" | "POST";
    pattern: RegExp;
    /** Placeholder names captured after subscription and resource group. */
    names: string[];
    operation: string;
    kind: RouteKind;
    entry: ServiceEntry;
    handler: ServiceHandler;
    /** The path suffix of a regenerate whose path names the key type (APIM, AI Search). */
    suffix?: string;
    /** A parent's GET: which parent. */
    parent?: ParentResource;
}

/** A request matched to its route: the route, the subscription, group and names from the path. */
export interface RouteMatch {
    route: Route;
    subscriptionId: string;
    resourceGroup: string;
    names: Record<string, string>;
    /** The path segments after the regenerate suffix's literal part (AI Search's key kind). */
    suffixValue?: string;
}

export function buildRoutes(): Route[] {
    const routes: Route[] = [];
    for (const entry of CATALOG) {
        const handler = HANDLERS.get(entry.service);
        if (!handler) throw new Error(`the emulator has no handler for catalog service ${entry.service}`);
        const prefix = "^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/";
        const template = (t: string) => ({
            regex: t
                .split("/")
                .map((s) => (/^\{.+\}$/.test(s) ? "([^/]+)" : escapeRegExp(s)))
                .join("/"),
            names: [...t.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
        });
        const ops = template(entry.operationsTemplate ?? entry.idTemplate);
        const route = (method: Route["method"], suffix: string, operation: string, kind: RouteKind, extra: Partial<Route> = {}, base = ops): Route => ({
            method,
            pattern: new RegExp(`${prefix}${base.regex}${suffix}$`, "i"),
            names: [...base.names, ...(extra.names ?? [])],
            operation,
            kind,
            entry,
            handler,
            suffix: extra.suffix,
            parent: extra.parent,
        });
        const paths = entry.regenerate.path;
        if (typeof paths === "string" && !paths.includes("{keyType}")) {
            routes.push(route("POST", escapeRegExp(paths), regenerateOperation(entry, entry.keyTypes[0].name), "regenerate"));
        } else if (typeof paths === "string") {
            // The key type is a path segment (AI Search's /regenerateAdminKey/{keyKind}).
            const [before] = paths.split("{keyType}");
            routes.push(
                route("POST", `${escapeRegExp(before)}([^/]+)`, regenerateOperation(entry, entry.keyTypes[0].name), "regenerate", { names: ["keyKind"] }),
            );
        } else {
            for (const [keyType, suffix] of Object.entries(paths)) {
                routes.push(route("POST", escapeRegExp(suffix), regenerateOperation(entry, keyType), "regenerate", { suffix }));
            }
        }
        const read = entry.readKeys;
        if (read.kind === "listKeys") {
            routes.push(route("POST", escapeRegExp(read.path), read.operation, "listKeys"));
        } else if (read.kind === "workflowCallbackUrl") {
            routes.push(route("POST", escapeRegExp(read.path), read.operation, "workflowCallbackUrl"));
        } else {
            routes.push(route("GET", "/triggers", read.listOperation, "listTriggers"));
            routes.push(route("POST", "/triggers/([^/]+)/listCallbackUrl", read.callbackOperation, "callbackUrl", { names: ["triggerName"] }));
        }
        routes.push(route("GET", "", handler.getOperation ?? `${entry.resourceType.split("/").pop()}_Get`, "resource", {}, template(entry.idTemplate)));
        for (const parent of handler.parents ?? []) {
            routes.push(route("GET", "", parent.operation, "parentResource", { parent }, template(parent.idTemplate)));
        }
    }
    return routes;
}

/** The route a request takes, or undefined. */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch | undefined {
    for (const route of routes) {
        if (route.method !== method) continue;
        const m = route.pattern.exec(path);
        if (!m) continue;
        const [subscriptionId, resourceGroup, ...values] = m.slice(1).map(decodeURIComponent);
        const names: Record<string, string> = {};
        route.names.forEach((name, i) => {
            names[name] = values[i];
        });
        return { route, subscriptionId, resourceGroup, names };
    }
    return undefined;
}

export function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
