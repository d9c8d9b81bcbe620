import type { ServiceEntry } from "../../src/catalog";
import type { EmulatorResponse } from "../errors";
import type { EmulatedResource, KeyFormat } from "../state";

/** What a handler sees of one request. */
export interface HandlerContext {
    entry: ServiceEntry;
    resource: EmulatedResource;
    /** Template placeholder → value, from the request path. */
    names: Record<string, string>;
    query: URLSearchParams;
    /** The request path, without the query. */
    path: string;
    /** The origin the client called, e.g. https://127.0.0.1:8443 or https://management.azure.com. */
    base: string;
}

/**
 * How a regenerate request names its key: the body field and its values (compared as the service
 * does), or the path. Written from the service's specification and examples, independently of
 * the package's catalog, so that a wrong catalog entry fails against the emulator.
 */
export type RegenerateRequest =
    | { body: string; values: Readonly<Record<string, string>>; caseSensitive?: boolean }
    | { bodyId: string }
    | { path: Readonly<Record<string, string>> };

/**
 * One emulated service: its api-versions, key format, error shape and the bodies it answers with,
 * in the shapes of the official examples. The generic parts (routing, auth, api-version, busy
 * resources, long-running operations, faults) live in arm/armPlane.ts.
 */
export interface ServiceHandler {
    readonly service: string;
    readonly apiVersions: readonly string[];
    /**
     * Whether the service answers a regenerate with 202 and an operation to follow, as its spec
     * says: the emulator's own reading, not the catalog's (which may also accept a 202 that the
     * service does not send).
     */
    readonly longRunning: boolean;
    readonly keyFormat: KeyFormat;
    /** Builds an error body in this service's shape. */
    readonly error: (status: number, code: string, message: string) => EmulatorResponse;
    /** How the regenerate request names the key type (body field values → the catalog's key type names). */
    readonly regenerateRequest: RegenerateRequest;
    /** The answer to a regenerate that completed synchronously. */
    regenerated(ctx: HandlerContext, keyType: string): EmulatorResponse;
    /**
     * Long-running regenerates: the body of the 202 (SignalR's holds the new key set); without it
     * the 202 has no body. Called with the keys the operation will install, before it completes.
     */
    accepted?(ctx: HandlerContext, keyType: string, keysWhenDone: Record<string, string>): unknown;
    /** Where the long-running operation's monitors live (opaque to clients); defaults to the provider's location. */
    monitorPath?(ctx: HandlerContext, operationId: string): { status: string; result: string };
    /** The answer to the key read-back (listKeys / listSecrets / listCredentials). */
    listKeys?(ctx: HandlerContext): EmulatorResponse;
    /** Logic Apps: the trigger list and one trigger's callback URL. */
    listTriggers?(ctx: HandlerContext, pageSize: number): EmulatorResponse;
    callbackUrl?(ctx: HandlerContext, triggerName: string, body: unknown): EmulatorResponse;
    /** Logic Apps Consumption: the workflow's callback URL, signed with the key type the body names. */
    workflowCallbackUrl?(ctx: HandlerContext, body: unknown): EmulatorResponse;
    /** The key type a regenerate actually renews (Logic Apps' NotSpecified means Primary). */
    effectiveKeyType?(keyType: string): string;
    /**
     * What the service's ARM answers to a key operation (`regenerate`, `listKeys`, …) when shared
     * keys are disabled on the resource. Absent where ARM keeps serving keys then (Storage, Cosmos
     * DB, the SAS rules): only the data plane refuses them.
     */
    localAuthDisabled?(ctx: HandlerContext, operation: string): EmulatorResponse;
    /**
     * The resource's GET body in the shape of the service's official example at the api-version
     * asked, with the properties consumers and the provider read: endpoints and host names, the
     * local-auth setting (reflecting `localAuthDisabled`), network rules (reflecting `firewall`).
     */
    resourceBody?(ctx: HandlerContext): unknown;
    /** The spec's operation id of the resource's GET (default `{type}_Get`): what the request log and faults name. */
    readonly getOperation?: string;
    /**
     * The GETs of the resource's parents, where a setting or an endpoint is the parent's (a Service
     * Bus rule's namespace holds `disableLocalAuth`, a Managed Redis database's cluster its host name).
     */
    readonly parents?: readonly ParentResource[];
    /**
     * Why the service has no setting that turns shared keys off (Relay, Notification Hubs, Event Grid
     * namespaces, Logic Apps, API Management): createResource refuses `localAuthDisabled` then.
     */
    readonly noLocalAuthSwitch?: string;
    /** Why the service has no network rules for its data plane (Maps): createResource refuses `firewall` then. */
    readonly noFirewall?: string;
}

/** What a parent's GET sees: its id and names, the emulated resources under it, the request. */
export interface ParentContext {
    entry: ServiceEntry;
    /** The parent's resource id, as the request spelled it. */
    id: string;
    /** Template placeholder → value, from the request path (the parent's names). */
    names: Record<string, string>;
    /** The emulated resources under the parent (a namespace's rules, of any of its entities); at least one. */
    children: EmulatedResource[];
    query: URLSearchParams;
    base: string;
}

/** A parent resource the emulator serves a GET for while an emulated resource lives under it. */
export interface ParentResource {
    /** Its id template after `/providers/`, e.g. `Microsoft.ServiceBus/namespaces/{namespaceName}`. */
    readonly idTemplate: string;
    /** The spec's operation id of its GET, e.g. `Namespaces_Get`. */
    readonly operation: string;
    body(ctx: ParentContext): unknown;
}
