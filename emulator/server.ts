import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import * as https from "node:https";
import { type AddressInfo, connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { CATALOG, regenerateOperation, regenerateSuffix, type ServiceEntry } from "../src/catalog";
import { parseResourceId } from "../src/core/resourceId";
import { type CertificateAuthority, createCertificateAuthority, issueServerCertificate } from "./certificate";
import { AZURE_CLOUDS, CLOUD_HOSTS, type HostRole, hostRole } from "./clouds";
import { authenticate } from "./dataPlane";
import { armError, type EmulatorResponse, errors } from "./errors";
import { type FaultEffect, FaultInjector } from "./faults";
import { HANDLERS, type HandlerContext, type ServiceHandler } from "./handlers";
import { callbackUrl } from "./handlers/logicAppsStandard";
import { Identity, type IdentityOptions } from "./identity";
import { type EmulatedResource, type EmulatedTrigger, InMemoryStore, newKey, type ResourceStore } from "./state";

export interface EmulatorOptions {
    /** 0 (default) picks a free port. */
    port?: number;
    host?: string;
    /** Issue the server certificate from this CA instead of a new one (tests share one CA). */
    ca?: CertificateAuthority;
    /** Where the CA certificate is (or is written to) for NODE_EXTRA_CA_CERTS. */
    caFile?: string;
    identity?: IdentityOptions;
    /** SignalR's long-running regenerate. */
    lro?: {
        /** Status polls answered "InProgress" before "Succeeded"; 0 answers the regenerate with 200 at once. */
        pollsUntilDone?: number;
        /** Retry-After on the 202 and on in-progress polls. */
        retryAfterSeconds?: number;
        /** An operation nobody polls still completes after this long. */
        completeAfterMs?: number;
    };
    /** How long a synchronous regenerate keeps the resource busy (another regenerate meanwhile gets 409). */
    regenerateLatencyMs?: number;
    /** Every ARM request (not the token endpoint) is answered after this long, as Azure takes time to answer. */
    armLatencyMs?: number;
    /** Logic Apps trigger list page size (to exercise nextLink). */
    triggersPageSize?: number;
    store?: ResourceStore;
}

/** One request the emulator answered. Holds no header, body or key. */
export interface RequestLogEntry {
    method: string;
    /** The host the client called: the emulator's address, or a cloud's host name through the proxy. */
    host: string;
    path: string;
    apiVersion?: string;
    operation: string;
    status: number;
    /** The fault that answered it, if any. */
    fault?: string;
    at: string;
}

interface Route {
    method: "GET" | "POST";
    pattern: RegExp;
    /** Placeholder names captured after subscription and resource group. */
    names: string[];
    operation: string;
    kind: "regenerate" | "listKeys" | "listTriggers" | "callbackUrl";
    entry: ServiceEntry;
    handler: ServiceHandler;
    /** The key type, where the path holds it (APIM). */
    keyType?: string;
}

interface Operation {
    id: string;
    resourceId: string;
    keyType: string;
    pollsLeft: number;
    startedAt: number;
    status: "InProgress" | "Succeeded" | "Failed" | "Canceled";
    error?: { code: string; message: string };
}

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const OPENID_PATH = /^\/([^/]+)(?:\/v2\.0)?\/\.well-known\/openid-configuration$/;
/** App Service's managed identity endpoint (IDENTITY_ENDPOINT) and GitHub's OIDC token request URL. */
const MANAGED_IDENTITY_PATH = "/msi/token";
const FEDERATED_TOKEN_PATH = "/oidc/token";
const DATA_PLANE_PATH = /^\/dataplane(\/subscriptions\/.+)$/i;
const OPERATION_PATH = /^\/subscriptions\/[^/]+\/providers\/[^/]+\/locations\/[^/]+\/(operationStatuses|operationResults)\/([^/]+)$/i;

/**
 * A local Azure: Microsoft Entra ID's token endpoint and the ARM key operations of every catalog
 * service, over HTTPS on 127.0.0.1. For rehearsing rotations and for tests.
 */
export class AzureEmulator {
    readonly identity: Identity;
    readonly faults = new FaultInjector();
    readonly requests: RequestLogEntry[] = [];
    readonly caFile: string;
    /** See {@link EmulatorOptions.armLatencyMs}; can be changed while running. */
    armLatencyMs: number;
    private readonly store: ResourceStore;
    private readonly routes: Route[];
    private readonly operations = new Map<string, Operation>();
    /** An `operationEnds` fault for the status poll being served. */
    private ending?: Extract<FaultEffect, { operationEnds: string }>;
    private server?: https.Server;
    private proxy?: { server: HttpServer; sockets: Set<Socket>; url: string };
    /** CONNECT requests the proxy got, in order, and whether it tunnelled them. */
    readonly tunnels: Array<{ target: string; allowed: boolean }> = [];
    private baseUrl = "";
    /** `127.0.0.1:<port>`: the Host header of requests made to the emulator's own address. */
    private ownHost = "";

    private constructor(
        private readonly options: EmulatorOptions,
        ca: CertificateAuthority,
        caFile: string,
    ) {
        this.identity = new Identity(options.identity);
        this.armLatencyMs = options.armLatencyMs ?? 0;
        this.store = options.store ?? new InMemoryStore();
        this.routes = buildRoutes();
        this.caFile = caFile;
        // Its own address, and Azure's host names for clients that reach it through startProxy().
        const cert = issueServerCertificate(ca, { dns: ["localhost", ...CLOUD_HOSTS], ips: ["127.0.0.1"] });
        this.server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => void this.handle(req, res));
        this.server.keepAliveTimeout = 30_000;
    }

    /** Starts an emulator; resolves once it listens. */
    static async start(options: EmulatorOptions = {}): Promise<AzureEmulator> {
        const ca = options.ca ?? createCertificateAuthority();
        let caFile = options.caFile;
        if (!caFile || !options.ca) {
            caFile = caFile ?? join(mkdtempSync(join(tmpdir(), "azure-emulator-")), "ca.pem");
            writeFileSync(caFile, ca.certPem);
        }
        const emulator = new AzureEmulator(options, ca, caFile);
        await new Promise<void>((resolve, reject) => {
            emulator.server!.once("error", reject);
            emulator.server!.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
        });
        const { port } = emulator.server!.address() as AddressInfo;
        emulator.baseUrl = `https://${options.host ?? "127.0.0.1"}:${port}`;
        emulator.ownHost = new URL(emulator.baseUrl).host;
        return emulator;
    }

    /** The base URL: both the authority host and the ARM endpoint. */
    get url(): string {
        return this.baseUrl;
    }

    /** The environment a client needs to use this emulator (credentials included). */
    env(): Record<string, string> {
        return {
            AZURE_AUTHORITY_HOST: this.baseUrl,
            AZURE_RESOURCE_MANAGER_ENDPOINT: this.baseUrl,
            AZURE_TENANT_ID: this.identity.tenantId,
            AZURE_CLIENT_ID: this.identity.clientId,
            AZURE_CLIENT_SECRET: this.identity.clientSecret,
            NODE_EXTRA_CA_CERTS: this.caFile,
        };
    }

    /** What App Service sets for a managed identity, pointing at this emulator's endpoint. */
    managedIdentityEnv(): Record<string, string> {
        return { IDENTITY_ENDPOINT: `${this.baseUrl}${MANAGED_IDENTITY_PATH}`, IDENTITY_HEADER: this.identity.managedIdentityHeader };
    }

    /** The federated token request URL and bearer token, as GitHub Actions provides them. */
    federatedTokenRequest(): { url: string; token: string } {
        return { url: `${this.baseUrl}${FEDERATED_TOKEN_PATH}`, token: this.identity.oidcRequestToken };
    }

    /** Creates a resource with fresh keys. The id must be of a catalog service. */
    createResource(resourceId: string, options: { triggers?: EmulatedTrigger[] } = {}): EmulatedResource {
        const parsed = parseResourceId(resourceId);
        if (!parsed.ok) throw new Error(`resourceId ${parsed.reason}`);
        const handler = HANDLERS.get(parsed.target.entry.service)!;
        const keys: Record<string, string> = {};
        const generations: Record<string, number> = {};
        for (const keyType of parsed.target.entry.keyTypes) {
            if (keyType === "NotSpecified") continue;
            keys[keyType] = newKey(handler.keyFormat);
            generations[keyType] = 0;
        }
        const resource: EmulatedResource = {
            id: resourceId,
            service: parsed.target.entry.service,
            keys,
            generations,
            busy: false,
            triggers:
                parsed.target.entry.readKeys.kind === "workflowTriggerCallbackUrls" ? (options.triggers ?? [{ name: "manual", kind: "Request" }]) : undefined,
        };
        this.store.put(resource);
        return resource;
    }

    /** The resource as it is now, or undefined. */
    resource(resourceId: string): EmulatedResource | undefined {
        return this.store.get(resourceId);
    }

    deleteResource(resourceId: string): boolean {
        return this.store.delete(resourceId);
    }

    /** Regenerates a key directly, as someone would in the portal: a rotation outside Pulumi. */
    regenerate(resourceId: string, keyType: string): void {
        const resource = this.store.get(resourceId);
        if (!resource) throw new Error(`no emulated resource ${resourceId}`);
        this.renew(resource, keyType);
    }

    /** The Logic Apps callback URL a trigger has now (what a caller must use). */
    callbackUrlOf(resourceId: string, triggerName: string): string {
        const resource = this.store.get(resourceId);
        const parsed = parseResourceId(resourceId);
        if (!resource || !parsed.ok) throw new Error(`no emulated workflow ${resourceId}`);
        return callbackUrl(
            { entry: parsed.target.entry, resource, names: { ...parsed.target.names }, query: new URLSearchParams(), path: "", base: this.baseUrl },
            triggerName,
        ).value;
    }

    /**
     * The data plane: whether an application presenting `credential` (a key, a connection string,
     * or a Logic Apps callback URL) is let in now. Returns the key type it matched, or undefined.
     * Over HTTPS: POST /dataplane{resourceId} with `{"credential": "…"}`; 200 or 401.
     */
    authenticate(resourceId: string, credential: string): string | undefined {
        const resource = this.store.get(resourceId);
        if (!resource) throw new Error(`no emulated resource ${resourceId}`);
        return authenticate(resource, credential);
    }

    clearRequests(): void {
        this.requests.length = 0;
    }

    /**
     * Starts a CONNECT proxy on 127.0.0.1 for HTTPS_PROXY: it tunnels Azure's cloud host names (port
     * 443) and the emulator's own address to the emulator, and refuses anything else, so a client
     * configured for a cloud runs unchanged against the emulator and never reaches the internet.
     * Resolves with the proxy URL. {@link tunnels} records what was asked.
     */
    async startProxy(): Promise<string> {
        if (this.proxy) return this.proxy.url;
        const own = new URL(this.baseUrl);
        const sockets = new Set<Socket>();
        const server = createHttpServer((_req, res) => void res.writeHead(405).end());
        server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
            const target = (req.url ?? "").toLowerCase();
            const [hostname, port] = target.split(":");
            const allowed = (CLOUD_HOSTS.includes(hostname) && port === "443") || target === own.host;
            this.tunnels.push({ target, allowed });
            if (!allowed) return void client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
            const upstream = connect(Number(own.port), own.hostname, () => {
                client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
                if (head.length > 0) upstream.write(head);
                upstream.pipe(client);
                client.pipe(upstream);
            });
            for (const socket of [client, upstream]) {
                sockets.add(socket);
                socket.on("close", () => sockets.delete(socket));
                socket.on("error", () => (socket === client ? upstream : client).destroy());
            }
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        this.proxy = { server, sockets, url };
        return url;
    }

    /** The ARM requests (token, discovery and data-plane calls left out) logged so far. */
    armRequests(): RequestLogEntry[] {
        return this.requests.filter((r) => !NOT_ARM.has(r.operation));
    }

    async stop(): Promise<void> {
        const proxy = this.proxy;
        this.proxy = undefined;
        if (proxy) {
            for (const socket of proxy.sockets) socket.destroy();
            await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
        }
        const server = this.server;
        this.server = undefined;
        if (!server) return;
        await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
        });
    }

    // --- request handling ------------------------------------------------------------------------

    private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const host = (req.headers.host ?? "").toLowerCase();
        const role = hostRole(host, this.ownHost);
        // The origin the client called: the emulator's own, or a cloud's host name through the proxy.
        const base = role.role === "emulator" ? this.baseUrl : `https://${host.replace(/:443$/, "")}`;
        const url = new URL(req.url ?? "/", base);
        const method = (req.method ?? "GET").toUpperCase();
        const body = await readBody(req);
        const path = url.pathname;
        const apiVersion = url.searchParams.get("api-version") ?? undefined;
        const log = (status: number, operation: string, fault?: string) =>
            this.requests.push({ method, host: url.host, path, apiVersion, operation, status, fault, at: new Date().toISOString() });

        const dispatch = this.dispatch(method, path, role, base);
        const fault = this.faults.take(method, path, dispatch.operation);
        if (fault) {
            if ("drop" in fault) {
                log(0, dispatch.operation, "drop");
                req.socket.destroy();
                return;
            }
            if ("delayMs" in fault) {
                await delay(fault.delayMs);
            } else if ("operationEnds" in fault) {
                this.ending = fault;
            } else {
                log(fault.status, dispatch.operation, `status ${fault.status}`);
                const response = armError(fault.status, fault.code ?? defaultCode(fault.status), fault.message ?? "Injected by the emulator.");
                if (fault.retryAfterSeconds !== undefined) response.headers = { "Retry-After": String(fault.retryAfterSeconds) };
                send(res, response);
                return;
            }
        }
        if (this.armLatencyMs > 0 && !NOT_ARM.has(dispatch.operation)) await delay(this.armLatencyMs);
        let response: EmulatorResponse;
        try {
            response = await dispatch.run(req, url, body);
        } catch (error) {
            response = armError(500, "InternalServerError", `The emulator failed: ${(error as Error).message}`);
        }
        log(response.status, dispatch.operation);
        send(res, response);
    }

    private dispatch(
        method: string,
        path: string,
        role: HostRole,
        base: string,
    ): { operation: string; run: (req: IncomingMessage, url: URL, body: string) => Promise<EmulatorResponse> } {
        if (role.role === "unknown")
            return { operation: "Unknown", run: async () => armError(421, "MisdirectedRequest", "The emulator does not serve this host.") };
        const own = role.role === "emulator";
        // What ARM at this host accepts as a token audience, and what the authority here issues for.
        const audiences = own ? [this.baseUrl] : role.cloud.audiences;
        let m = OPENID_PATH.exec(path);
        if (m && method === "GET" && role.role !== "resourceManager") {
            const tenant = m[1];
            return { operation: "OpenIdConfiguration", run: async () => this.identity.openIdConfiguration(base, tenant) };
        }
        m = TOKEN_PATH.exec(path);
        if (m && method === "POST" && role.role !== "resourceManager") {
            const tenant = m[1];
            return { operation: "Token", run: async (_req, _url, body) => this.identity.token(base, tenant, new URLSearchParams(body), audiences) };
        }
        if (role.role === "authority") return { operation: "Unknown", run: async () => errors.noRoute(method, path) };
        if (own && method === "GET" && path === MANAGED_IDENTITY_PATH) {
            // A machine's managed identity asks for whichever cloud it is in.
            const any = [this.baseUrl, ...AZURE_CLOUDS.flatMap((c) => c.audiences)];
            return {
                operation: "ManagedIdentity",
                run: async (req, url) => this.identity.managedIdentityToken(base, header(req, "x-identity-header"), url.searchParams, any),
            };
        }
        if (own && method === "GET" && path === FEDERATED_TOKEN_PATH) {
            return { operation: "FederatedToken", run: async (req, url) => this.identity.federatedTokenRequest(req.headers.authorization, url.searchParams) };
        }
        m = DATA_PLANE_PATH.exec(path);
        if (m && method === "POST") {
            const resourceId = decodeURIComponent(m[1]);
            return { operation: "DataPlane", run: async (_req, _url, body) => this.dataPlane(resourceId, body) };
        }
        m = OPERATION_PATH.exec(path);
        if (m && method === "GET") {
            const [kind, id] = [m[1].toLowerCase(), m[2]];
            return {
                operation: kind === "operationstatuses" ? "OperationStatus" : "OperationResult",
                run: async (req) => this.authenticated(req, audiences, () => this.operationStatus(id, kind === "operationstatuses")),
            };
        }
        for (const route of this.routes) {
            const match = route.method === method ? route.pattern.exec(path) : null;
            if (match)
                return {
                    operation: route.operation,
                    run: (req, url, body) => this.authenticated(req, audiences, () => this.serve(route, match, url, body, base)),
                };
        }
        return { operation: "Unknown", run: async () => errors.noRoute(method, path) };
    }

    private dataPlane(resourceId: string, rawBody: string): EmulatorResponse {
        const resource = this.store.get(resourceId);
        if (!resource) return armError(404, "ResourceNotFound", `The resource '${resourceId}' was not found.`);
        let credential: unknown;
        try {
            credential = (JSON.parse(rawBody || "{}") as { credential?: unknown }).credential;
        } catch {
            return armError(400, "InvalidRequestContent", "The request content is not valid JSON.");
        }
        if (typeof credential !== "string" || credential === "") return armError(400, "InvalidRequestContent", 'The body must be {"credential": "..."}.');
        const keyType = authenticate(resource, credential);
        if (!keyType) return armError(401, "Unauthorized", "The credential does not hold a current key of this resource.");
        return { status: 200, body: { authenticated: true, keyType } };
    }

    private async authenticated(
        req: IncomingMessage,
        audiences: readonly string[],
        next: () => Promise<EmulatorResponse> | EmulatorResponse,
    ): Promise<EmulatorResponse> {
        return this.identity.authenticate(req.headers.authorization, audiences) ?? next();
    }

    private async serve(route: Route, match: RegExpExecArray, url: URL, rawBody: string, base: string): Promise<EmulatorResponse> {
        const { entry, handler } = route;
        const apiVersion = url.searchParams.get("api-version");
        if (!apiVersion) return errors.missingApiVersion();
        if (!handler.apiVersions.includes(apiVersion)) return errors.unsupportedApiVersion(apiVersion, entry.resourceType, handler.apiVersions);

        const [subscriptionId, resourceGroup, ...values] = match.slice(1).map(decodeURIComponent);
        const names: Record<string, string> = {};
        route.names.forEach((name, i) => {
            names[name] = values[i];
        });
        const resourceId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${entry.idTemplate.replace(/\{([^}]+)\}/g, (_, n: string) => names[n])}`;
        const resource = this.store.get(resourceId);
        if (!resource) {
            const last = entry.idTemplate.split("/").pop()!.replace(/[{}]/g, "");
            return entry.service.startsWith("apim")
                ? handler.error(404, "ResourceNotFound", `${entry.title} not found.`)
                : errors.resourceNotFound(entry.resourceType, names[last], resourceGroup);
        }
        const ctx: HandlerContext = { entry, resource, names, query: url.searchParams, path: url.pathname, base };

        switch (route.kind) {
            case "listKeys":
                return handler.listKeys!(ctx);
            case "listTriggers":
                return handler.listTriggers!(ctx, this.options.triggersPageSize ?? 2);
            case "callbackUrl":
                return handler.callbackUrl!(ctx, values[values.length - 1]);
            case "regenerate":
                return this.regenerateRoute(route, ctx, rawBody);
        }
    }

    private async regenerateRoute(route: Route, ctx: HandlerContext, rawBody: string): Promise<EmulatorResponse> {
        const { entry, handler } = route;
        const { resource } = ctx;
        let keyType = route.keyType;
        if (entry.regenerate.body === "keyType") {
            let requested: unknown;
            try {
                requested = rawBody ? (JSON.parse(rawBody) as { keyType?: unknown }).keyType : undefined;
            } catch {
                return handler.error(400, "InvalidRequestContent", "The request content is not valid JSON.");
            }
            keyType = entry.keyTypes.find((k) => typeof requested === "string" && k.toLowerCase() === requested.toLowerCase());
            if (!keyType) return errors.badKeyType(requested, entry.keyTypes);
        }
        if (resource.busy) return errors.conflict(resource.id);

        const lro = this.options.lro ?? {};
        if (entry.regenerate.longRunning && (lro.pollsUntilDone ?? 2) > 0) {
            const operation: Operation = {
                id: randomUUID(),
                resourceId: resource.id,
                keyType: keyType!,
                pollsLeft: lro.pollsUntilDone ?? 2,
                startedAt: Date.now(),
                status: "InProgress",
            };
            this.operations.set(operation.id, operation);
            resource.busy = true;
            const namespace = entry.resourceType.split("/")[0];
            const monitor = `${ctx.base}/subscriptions/${resource.id.split("/")[2]}/providers/${namespace}/locations/westus`;
            const version = ctx.query.get("api-version")!;
            return {
                status: 202,
                body: {},
                headers: {
                    "Azure-AsyncOperation": `${monitor}/operationStatuses/${operation.id}?api-version=${version}`,
                    Location: `${monitor}/operationResults/${operation.id}?api-version=${version}`,
                    "Retry-After": String(lro.retryAfterSeconds ?? 1),
                },
            };
        }

        resource.busy = true;
        try {
            if (this.options.regenerateLatencyMs) await delay(this.options.regenerateLatencyMs);
            this.renew(resource, keyType!, handler);
        } finally {
            resource.busy = false;
        }
        return handler.regenerated(ctx, keyType!);
    }

    private operationStatus(id: string, status: boolean): EmulatorResponse {
        const operation = this.operations.get(id);
        const ending = this.ending;
        this.ending = undefined;
        if (!operation) return armError(404, "OperationNotFound", `The operation '${id}' was not found.`);
        if (ending && operation.status === "InProgress") {
            operation.status = ending.operationEnds;
            if (ending.operationEnds === "Failed")
                operation.error = { code: ending.code ?? "InternalServerError", message: ending.message ?? "Injected by the emulator." };
            const resource = this.store.get(operation.resourceId);
            if (resource) resource.busy = false;
        }
        if (operation.status === "Failed" || operation.status === "Canceled") {
            // Location polling ends with the error itself; Azure-AsyncOperation with a terminal status body.
            if (!status) return armError(400, operation.error?.code ?? "OperationCanceled", operation.error?.message ?? "The operation was canceled.");
            return {
                status: 200,
                body: {
                    id: `${operation.resourceId}/operationStatuses/${id}`,
                    name: id,
                    status: operation.status,
                    ...(operation.error ? { error: operation.error } : {}),
                },
            };
        }
        if (operation.status === "InProgress") {
            operation.pollsLeft--;
            const overdue = Date.now() - operation.startedAt >= (this.options.lro?.completeAfterMs ?? 30_000);
            if (operation.pollsLeft <= 0 || overdue) this.complete(operation);
        }
        const done = operation.status === "Succeeded";
        const retryAfter = { "Retry-After": String(this.options.lro?.retryAfterSeconds ?? 1) };
        if (!status) return done ? { status: 204 } : { status: 202, headers: retryAfter };
        return {
            status: 200,
            headers: done ? undefined : retryAfter,
            body: {
                id: `${operation.resourceId}/operationStatuses/${id}`,
                name: id,
                status: operation.status,
                startTime: new Date(operation.startedAt).toISOString(),
                ...(done ? { endTime: new Date().toISOString() } : {}),
            },
        };
    }

    private complete(operation: Operation): void {
        operation.status = "Succeeded";
        const resource = this.store.get(operation.resourceId);
        if (!resource) return;
        this.renew(resource, operation.keyType);
        resource.busy = false;
    }

    private renew(resource: EmulatedResource, keyType: string, handler = HANDLERS.get(resource.service)!): void {
        const effective = handler.effectiveKeyType?.(keyType) ?? keyType;
        resource.keys[effective] = newKey(handler.keyFormat);
        resource.generations[effective] = (resource.generations[effective] ?? 0) + 1;
    }
}

/** Operations that are not ARM calls: not delayed by armLatencyMs, not in armRequests(). */
const NOT_ARM = new Set(["Token", "OpenIdConfiguration", "DataPlane", "ManagedIdentity", "FederatedToken"]);

/** Routes for every catalog service, from the catalog's own templates. */
function buildRoutes(): Route[] {
    const routes: Route[] = [];
    for (const entry of CATALOG) {
        const handler = HANDLERS.get(entry.service);
        if (!handler) throw new Error(`the emulator has no handler for catalog service ${entry.service}`);
        const template = entry.operationsTemplate ?? entry.idTemplate;
        const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        const base =
            "^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/" +
            template
                .split("/")
                .map((s) => (/^\{.+\}$/.test(s) ? "([^/]+)" : escapeRegExp(s)))
                .join("/");
        const route = (
            method: Route["method"],
            suffix: string,
            operation: string,
            kind: Route["kind"],
            extraNames: string[] = [],
            keyType?: string,
        ): Route => ({
            method,
            pattern: new RegExp(`${base}${suffix}$`, "i"),
            names: [...names, ...extraNames],
            operation,
            kind,
            entry,
            handler,
            keyType,
        });
        if (typeof entry.regenerate.pathSuffix === "string") {
            routes.push(route("POST", escapeRegExp(entry.regenerate.pathSuffix), regenerateOperation(entry, entry.keyTypes[0]), "regenerate"));
        } else {
            for (const keyType of entry.keyTypes) {
                routes.push(route("POST", escapeRegExp(regenerateSuffix(entry, keyType)), regenerateOperation(entry, keyType), "regenerate", [], keyType));
            }
        }
        const read = entry.readKeys;
        if (read.kind === "post") {
            routes.push(route("POST", escapeRegExp(read.pathSuffix), read.operation, "listKeys"));
        } else {
            routes.push(route("GET", "/triggers", read.listOperation, "listTriggers"));
            routes.push(route("POST", "/triggers/([^/]+)/listCallbackUrl", read.callbackOperation, "callbackUrl", ["triggerName"]));
        }
    }
    return routes;
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function defaultCode(status: number): string {
    return status === 429 ? "TooManyRequests" : status === 503 ? "ServiceUnavailable" : status >= 500 ? "InternalServerError" : "BadRequest";
}

async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > 1 << 20) break;
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
}

function header(req: IncomingMessage, name: string): string | undefined {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, response: EmulatorResponse): void {
    const headers: Record<string, string> = { "x-ms-request-id": randomUUID(), ...response.headers };
    let payload = "";
    if (response.body !== undefined && response.status !== 204) {
        payload = JSON.stringify(response.body);
        headers["Content-Type"] = "application/json; charset=utf-8";
    }
    res.writeHead(response.status, headers);
    res.end(payload);
}
