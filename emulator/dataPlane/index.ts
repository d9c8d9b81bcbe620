/**
 * The services' own data planes, on their real host names (reached through the emulator's CONNECT
 * proxy): one module per authentication scheme, a router from host name to resource, and the keys
 * each resource accepts now. A key generated less than `keyPropagationMs` ago is refused like a
 * wrong one, as Azure's propagation delay looks to a client; the key it replaced is refused at once.
 */
import { parseResourceId } from "../../src/core/resourceId";
import type { EmulatorResponse } from "../errors";
import { HANDLERS } from "../handlers";
import { type EmulatedResource, type ResourceStore, settingsScope } from "../state";
import { serveCognitive, serveMaps, serveSearch } from "./apiKey";
import { serveApimSas } from "./apimSas";
import { serveAppConfig } from "./appConfigHmac";
import { serveAcr } from "./basicAcr";
import { serveBatch } from "./batchSharedKey";
import { serveCosmos } from "./cosmosMaster";
import { serveAcs } from "./hmacAcs";
import { serveJwt } from "./jwt";
import { networkRefusal } from "./network";
import { DataPlaneRouter, type Scheme } from "./router";
import { serveSbSas } from "./sbSas";
import { serveStorage } from "./storageSharedKey";
import type { DataPlaneRequest, DataPlaneTarget, UsableKey } from "./types";

/** Key types that are not shared keys a client presents (SignalR's Salt, Storage's Kerberos keys). */
const NOT_CLIENT_KEYS = new Set(["Salt", "Kerb1", "Kerb2"]);

export class DataPlane {
    readonly router: DataPlaneRouter;

    constructor(
        private readonly store: ResourceStore,
        /** The emulator's default propagation delay; read at each request. */
        private readonly defaultPropagationMs: () => number,
    ) {
        this.router = new DataPlaneRouter(store, (resource) => this.usableKeys(resource));
    }

    /** Whether a key type of a resource is still propagating: generated less than its propagation delay ago. */
    propagating(resource: EmulatedResource, keyType: string, now = Date.now()): boolean {
        const wait = resource.keyPropagationMs ?? this.defaultPropagationMs();
        return wait > 0 && now - (resource.generatedAt?.[keyType] ?? 0) < wait;
    }

    /**
     * Whether a resource refuses shared keys: its own setting, or for a SAS rule its namespace's
     * (any rule of the namespace created with `localAuthDisabled`).
     */
    localAuthOff(resource: EmulatedResource): boolean {
        if (resource.localAuthDisabled) return true;
        const scope = settingsScope(resource.id);
        return scope !== undefined && this.store.list().some((r) => r.localAuthDisabled && settingsScope(r.id) === scope);
    }

    /** The keys a resource accepts now: none while it refuses shared keys; no key still propagating. */
    usableKeys(resource: EmulatedResource, now = Date.now()): UsableKey[] {
        if (this.localAuthOff(resource)) return [];
        return Object.entries(resource.keys)
            .filter(([keyType]) => !NOT_CLIENT_KEYS.has(keyType) && !this.propagating(resource, keyType, now))
            .map(([keyType, value]) => ({ resource, keyType, value }));
    }

    /** The service and resources behind a host name and port, or undefined (the proxy refuses it then). */
    route(hostname: string, port = 443): (DataPlaneTarget & { scheme: Scheme }) | undefined {
        return this.router.route(hostname, port);
    }

    /** Answers one HTTPS request to a service host. */
    serve(target: DataPlaneTarget & { scheme: Scheme }, req: DataPlaneRequest): EmulatorResponse {
        // Network rules first: a caller they shut out never reaches the key check.
        if (target.resources.some((r) => r.firewall)) return networkRefusal(target, req);
        switch (target.scheme) {
            case "jwt":
                return serveJwt(req, target);
            case "hmacAcs":
                return serveAcs(req, target);
            case "apimSas":
                return serveApimSas(req, target, principalIdOf);
            case "storageSharedKey":
                return serveStorage(req, target);
            case "sbSas":
                return serveSbSas(req, target);
            case "cosmosMaster":
                return serveCosmos(req, target);
            case "apiKey":
                return target.service === "search"
                    ? serveSearch(req, target)
                    : target.service === "maps"
                      ? serveMaps(req, target)
                      : serveCognitive(req, target);
            case "appConfigHmac":
                return serveAppConfig(req, target);
            case "basicAcr":
                return serveAcr(req, target);
            case "batchSharedKey":
                return serveBatch(req, target);
            case "redisResp":
                return { status: 400, rawBody: "-ERR this port speaks RESP over TLS\r\n", contentType: "text/plain" };
        }
    }
}

/** API Management tenant access: the identifier its listSecrets answers (`principalId`), which tokens must name. */
function principalIdOf(resource: EmulatedResource): string {
    const parsed = parseResourceId(resource.id);
    const handler = HANDLERS.get(resource.service);
    if (!parsed.ok || !handler?.listKeys) return "integration";
    const { entry, names } = parsed.target;
    const answer = handler.listKeys({ entry, resource, names: { ...names }, query: new URLSearchParams(), path: "", base: "" });
    const id = (answer.body as { principalId?: unknown } | undefined)?.principalId;
    return typeof id === "string" ? id : "integration";
}
