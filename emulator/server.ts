import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { parseResourceId } from "../src/core/resourceId";
import { ArmPlane, type ArmPlaneOptions } from "./arm/armPlane";
import { armDispatch } from "./arm/dispatch";
import { buildRoutes, type Route } from "./arm/routes";
import { type CertificateAuthority, createCertificateAuthority, issueServerCertificate } from "./certificate";
import { AZURE_CLOUDS, CLOUD_HOSTS, hostRole, REGIONAL_ARM_NAMES } from "./clouds";
import { authenticateNow, serveGeneric } from "./dataPlane/generic";
import { DataPlane } from "./dataPlane/index";
import {
    type EmulatedKeyVault,
    isKeyVaultAudience,
    KEY_VAULT_CERTIFICATE_NAMES,
    type KeyVaultOptions,
    KeyVaults,
    keyVaultAudiences,
    keyVaultCloudOf,
} from "./dataPlane/keyVault";
import { RedisServer } from "./dataPlane/redisResp";
import { certificateNames, STORAGE_DNS_ZONES, storageDnsZone } from "./dataPlane/router";
import { defaultRights, ruleOf } from "./dataPlane/sbSas";
import { armError, type EmulatorResponse } from "./errors";
import { type FaultEffect, FaultInjector, tamper } from "./faults";
import { HANDLERS } from "./handlers";
import { callbackUrl } from "./handlers/logicAppsStandard";
import { type Dispatch, listen, readBody, send } from "./http";
import { Identity, type IdentityOptions } from "./identity";
import { ConnectProxy, type Tunnel } from "./proxy";
import { FEDERATED_TOKEN_PATH, MANAGED_IDENTITY_PATH, SIGN_IN_OPERATIONS, signInDispatch } from "./signIn";
import { type EmulatedResource, type EmulatedTrigger, InMemoryStore, newKey, type ResourceStore } from "./state";
import { loadState } from "./stateDir";

/** How {@link AzureEmulator.start} sets up an emulator. Every option is optional. */
export interface EmulatorOptions extends ArmPlaneOptions {
    /** The port to listen on; 0 (the default) picks a free one ({@link AzureEmulator.url} says which). */
    port?: number;
    /** The address to listen on (default `127.0.0.1`; the certificate names 127.0.0.1 and localhost). */
    host?: string;
    /** Issue the server certificate from this CA instead of a new one (tests share one CA). */
    ca?: CertificateAuthority;
    /** Where the CA certificate is (or is written to) for NODE_EXTRA_CA_CERTS. */
    caFile?: string;
    /**
     * Keep the CA and the service principal's credentials in this directory (created if missing) and
     * reuse them at the next start, so that exported variables and a NODE_EXTRA_CA_CERTS already set
     * stay valid across restarts. Without it, each start makes new ones, in a temporary directory
     * that {@link AzureEmulator.stop} removes.
     */
    stateDir?: string;
    /** The service principal's tenant, client id and secret (random by default, or from `stateDir`). */
    identity?: IdentityOptions;
    /** Every ARM request (not the token endpoint) is answered after this long, as Azure takes time to answer. */
    armLatencyMs?: number;
    /** Where resources are kept (in memory by default). */
    store?: ResourceStore;
    /**
     * How long the data planes refuse a newly generated key (default 0), as Azure's propagation
     * across regions and gateways looks to a client; a resource's own `keyPropagationMs` wins.
     */
    keyPropagationMs?: number;
    /**
     * How far the services' clocks are ahead of this machine's (default 0; negative: behind): the
     * data planes check token expiry (`exp`, `se`, `ex`) and request dates (`x-ms-date`) against
     * their own time, `Date.now() + clockOffsetMs`, as a deployer whose clock is slow meets them.
     * Sign-in and ARM are not affected. Can be changed while running.
     */
    clockOffsetMs?: number;
}

/** How {@link AzureEmulator.createResource} sets up a resource. */
export interface CreateResourceOptions {
    /** Logic Apps: the workflow's triggers (default one request trigger named `manual`). */
    triggers?: EmulatedTrigger[];
    /** The resource refuses shared keys: its key operations answer the service's error, its data plane refuses every key. */
    localAuthDisabled?: boolean;
    /** How long its data plane refuses a newly generated key (default: the emulator's `keyPropagationMs`). */
    keyPropagationMs?: number;
    /**
     * A SAS authorization rule's rights (`Listen`, `Send`, `Manage`). Default: all three for
     * `RootManageSharedAccessKey` and `DefaultFullSharedAccessSignature`, Listen for
     * `DefaultListenSharedAccessSignature`, Listen and Send for any other name.
     */
    rights?: string[];
    /** Event Hubs and Service Bus namespace rules: the namespace's Geo-DR alias, whose connection strings the rules then list too. */
    geoDrAlias?: string;
    /**
     * A firewall (network rules) that does not let the caller in: every data-plane request gets the
     * service's network refusal (Storage: 403 AuthorizationFailure), whatever its key; Redis closes
     * the connection. ARM is not affected. For Service Bus, Event Hubs, Relay and Notification Hubs
     * rules it stands for their namespace's network rules (every rule of the namespace is behind it).
     */
    firewall?: boolean;
    /**
     * Storage: what a wrong (or not yet propagated) key gets from the data plane. `azure` (default):
     * 403 AuthenticationFailed, as Azure answers; `azurite`: 403 AuthorizationFailure, as the Azurite
     * emulator answers, the same code as a firewall's refusal.
     */
    wrongKeyAnswer?: "azure" | "azurite";
    /**
     * Storage: `AzureDnsZone` puts the account on an Azure DNS zone endpoint,
     * `https://{account}.{zone}.blob.storage.azure.net/` (its GET says so in `dnsEndpointType` and
     * `primaryEndpoints`); its `{account}.blob.core.windows.net` does not resolve. Default `Standard`.
     */
    dnsEndpointType?: "Standard" | "AzureDnsZone";
    /**
     * With `dnsEndpointType: "AzureDnsZone"`: the zone, one of {@link STORAGE_DNS_ZONES} (`z05`, `z13`,
     * `z20`, `z24`, `z38`, `z41`, `z57`, `z99`); by default one picked from the account name.
     */
    dnsZone?: string;
}

/** The emulator's one service principal: what a client signs in with, and how many tokens it got. */
export interface EmulatorIdentity {
    /** The tenant id (AZURE_TENANT_ID / ARM_TENANT_ID). */
    readonly tenantId: string;
    /** The application (client) id (AZURE_CLIENT_ID / ARM_CLIENT_ID). */
    readonly clientId: string;
    /** The client secret (AZURE_CLIENT_SECRET / ARM_CLIENT_SECRET). */
    readonly clientSecret: string;
    /** Access tokens issued so far, by every grant. */
    readonly issued: number;
    /**
     * A federated (OIDC) token the service principal trusts, as a CI system's OIDC provider would
     * hand out: for `azure-native:oidcToken` / ARM_OIDC_TOKEN.
     */
    federatedToken(audience?: string, lifetimeSeconds?: number): string;
}

/** One request the emulator (or its trap) answered. Holds no header value, body or key. */
export interface RequestLogEntry {
    /** The HTTP method, e.g. `POST`. */
    method: string;
    /** The host the client called: the emulator's address, a cloud's host name through the proxy, or the trap's. */
    host: string;
    /** The URL path, without the query. */
    path: string;
    /** The `api-version` query parameter, if any. */
    apiVersion?: string;
    /** The operation it was: an ARM operation id (`SignalR_RegenerateKey`), `Token`, `OpenIdConfiguration`, `DataPlane`, `Unknown`, ... */
    operation: string;
    /** The HTTP status answered; 0 when the connection was dropped or left hanging by a fault. */
    status: number;
    /**
     * Whether it carried a bearer token that can be misused: any `Authorization: Bearer …` to the
     * emulator's address, ARM or the trap; to a service's data plane or a Key Vault, an Entra ID
     * token (the emulator's identity issued it), not the service's own JWT or registry token.
     */
    bearer: boolean;
    /**
     * The audience of the Entra ID token it carried, when the emulator's identity issued it (an ARM
     * endpoint, or Key Vault's `https://vault.azure.net`): what {@link AzureEmulator.tokenLeaks} judges by.
     */
    audience?: string;
    /** The fault that answered it, if any. */
    fault?: string;
    /** When it was answered (ISO-8601). */
    at: string;
}

const DATA_PLANE_PATH = /^\/dataplane(\/subscriptions\/.+)$/i;

/** Operations that are not ARM calls: not delayed by armLatencyMs, not in armRequests(). */
const NOT_ARM = new Set([...SIGN_IN_OPERATIONS, "DataPlane", "Trap"]);
const isArm = (operation: string) => !NOT_ARM.has(operation) && !operation.startsWith("DataPlane.");

/** A fault's fields that say which requests it matches (the rest say what it does). */
const MATCH_KEYS = new Set(["operation", "method", "pathIncludes", "host", "count"]);

/** The Redis ports the proxy tunnels to the emulator's RESP server. */
const REDIS_PORTS = new Set(["6380", "10000"]);

/**
 * A local Azure: Microsoft Entra ID's token endpoint, the ARM key operations of every catalog
 * service and the services' own data planes, over HTTPS on 127.0.0.1. For rehearsing rotations
 * and for tests. This class only dispatches, by the host a request names: the authority
 * (signIn.ts), ARM (arm/), a service's data plane (dataPlane/), or the trap.
 */
export class AzureEmulator {
    /** Faults to inject into the next matching requests: `faults.add({ operation: "SignalR_ListKeys", status: 503 })`. */
    readonly faults = new FaultInjector();
    /** Every request answered so far, in order (see {@link clearRequests}). */
    readonly requests: RequestLogEntry[] = [];
    /** The CA certificate's file: what NODE_EXTRA_CA_CERTS must name in a process that calls the emulator. */
    readonly caFile: string;
    /** See {@link EmulatorOptions.armLatencyMs}; can be changed while running. */
    armLatencyMs: number;
    /** CONNECT requests the proxy got, in order, and whether it tunnelled them. */
    readonly tunnels: Tunnel[] = [];
    private readonly signIn: Identity;
    /** It listens on a port it was given (not one the system picked): its proxy takes the next one. */
    private readonly fixedPort: boolean;
    /** See {@link EmulatorOptions.keyPropagationMs}; can be changed while running. */
    keyPropagationMs: number;
    /** See {@link EmulatorOptions.clockOffsetMs}; can be changed while running. */
    clockOffsetMs: number;
    private readonly store: ResourceStore;
    private readonly dataPlane: DataPlane;
    private readonly keyVaults: KeyVaults;
    private readonly tls: { cert: string; key: string };
    private redis?: RedisServer;
    private readonly routes: Route[];
    private readonly arm: ArmPlane;
    private server?: https.Server;
    /** Another origin on 127.0.0.1 that logs whatever reaches it: where hostile links point. */
    private trap?: https.Server;
    private proxy?: ConnectProxy;
    private readonly hung = new Set<ServerResponse>();
    private baseUrl = "";
    private trapBase = "";
    /** `127.0.0.1:<port>`: the Host header of requests made to the emulator's own address. */
    private ownHost = "";
    /** A CA directory this emulator made in the temp folder, removed by stop(). */
    private ownCaDir?: string;

    private constructor(options: EmulatorOptions, ca: CertificateAuthority, caFile: string) {
        this.fixedPort = !!options.port;
        this.signIn = new Identity(options.identity);
        this.armLatencyMs = options.armLatencyMs ?? 0;
        this.store = options.store ?? new InMemoryStore();
        this.routes = buildRoutes();
        this.arm = new ArmPlane(this.store, options);
        this.keyPropagationMs = options.keyPropagationMs ?? 0;
        this.clockOffsetMs = options.clockOffsetMs ?? 0;
        this.dataPlane = new DataPlane(this.store, () => this.keyPropagationMs);
        this.keyVaults = new KeyVaults(this.signIn, () => this.baseUrl);
        this.caFile = caFile;
        // Its own address, and Azure's host names (sign-in, ARM, every service's data plane) for clients that reach it through startProxy().
        const cert = issueServerCertificate(ca, {
            dns: ["localhost", ...CLOUD_HOSTS, ...REGIONAL_ARM_NAMES, ...certificateNames(), ...KEY_VAULT_CERTIFICATE_NAMES],
            ips: ["127.0.0.1"],
        });
        this.tls = { cert: cert.certPem, key: cert.keyPem };
        this.server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => void this.handle(req, res));
        this.server.keepAliveTimeout = 30_000;
        this.trap = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
            this.log(req.method ?? "GET", new URL(req.url ?? "/", this.trapBase), "Trap", 404, !!req.headers.authorization?.startsWith("Bearer "));
            res.writeHead(404).end();
        });
    }

    /** Starts an emulator; resolves once it listens. */
    static async start(options: EmulatorOptions = {}): Promise<AzureEmulator> {
        const state = options.stateDir ? loadState(options.stateDir) : undefined;
        if (state) options = { ...options, caFile: options.caFile ?? state.caFile, identity: { ...state.identity, ...options.identity } };
        const ca = options.ca ?? state?.ca ?? createCertificateAuthority();
        let caFile = options.caFile;
        let ownCaDir: string | undefined;
        if (!caFile || !options.ca) {
            if (!caFile) {
                ownCaDir = mkdtempSync(join(tmpdir(), "azure-emulator-"));
                caFile = join(ownCaDir, "ca.pem");
            }
            writeFileSync(caFile, ca.certPem);
        }
        const emulator = new AzureEmulator(options, ca, caFile);
        emulator.ownCaDir = ownCaDir;
        try {
            await listen(emulator.server!, options.port ?? 0, options.host ?? "127.0.0.1");
            await listen(emulator.trap!, 0, "127.0.0.1");
            emulator.redis = await RedisServer.start(
                emulator.tls,
                (hostname) => emulator.dataPlane.route(hostname, 6380) ?? emulator.dataPlane.route(hostname, 10000),
                (host, outcome) => {
                    const service = emulator.dataPlane.route(host, 6380)?.service ?? "managed-redis";
                    const status = outcome === "accepted" ? 200 : outcome === "refused" ? 401 : 0;
                    emulator.log(
                        outcome === "closed" ? "TLS" : "AUTH",
                        new URL(`https://${host}`),
                        `DataPlane.${service}`,
                        status,
                        false,
                        outcome === "closed" ? "firewall" : undefined,
                    );
                },
            );
        } catch (error) {
            await emulator.stop();
            throw error;
        }
        const { port } = emulator.server!.address() as AddressInfo;
        emulator.baseUrl = `https://${options.host ?? "127.0.0.1"}:${port}`;
        emulator.ownHost = new URL(emulator.baseUrl).host;
        emulator.trapBase = `https://127.0.0.1:${(emulator.trap!.address() as AddressInfo).port}`;
        return emulator;
    }

    /** The service principal a client signs in as. */
    get identity(): EmulatorIdentity {
        return this.signIn;
    }

    /** The base URL: both the authority host and the ARM endpoint. */
    get url(): string {
        return this.baseUrl;
    }

    /** Another origin (127.0.0.1, another port) that answers 404 to everything and logs it: a target for hostile links. */
    get trapUrl(): string {
        return this.trapBase;
    }

    /**
     * The environment a client needs to use this emulator (credentials included): the endpoints,
     * the CA file for NODE_EXTRA_CA_CERTS, and DefaultAzureCredential's AZURE_* credentials.
     */
    env(): Record<string, string> {
        return {
            AZURE_AUTHORITY_HOST: this.baseUrl,
            AZURE_RESOURCE_MANAGER_ENDPOINT: this.baseUrl,
            AZURE_TENANT_ID: this.signIn.tenantId,
            AZURE_CLIENT_ID: this.signIn.clientId,
            AZURE_CLIENT_SECRET: this.signIn.clientSecret,
            NODE_EXTRA_CA_CERTS: this.caFile,
        };
    }

    /**
     * {@link env} plus the same credentials under azure-native's names (ARM_CLIENT_ID, ARM_TENANT_ID,
     * ARM_CLIENT_SECRET). A shell used with azure-native often holds real ARM_* values, and they come
     * before AZURE_*: a rehearsal sets both, so nothing the shell had shadows the emulator's.
     */
    rehearsalEnv(): Record<string, string> {
        return {
            ...this.env(),
            ARM_TENANT_ID: this.signIn.tenantId,
            ARM_CLIENT_ID: this.signIn.clientId,
            ARM_CLIENT_SECRET: this.signIn.clientSecret,
        };
    }

    /**
     * {@link rehearsalEnv} with the proxy started: KEY_ROTATION_DATA_PLANE_PROXY points at it, so the
     * provider reaches the services' data planes by their real host names to prove new keys. The
     * package's own variable, not HTTPS_PROXY: a shell or process given this environment keeps its
     * HTTPS_PROXY and NO_PROXY, so npm, the Pulumi CLI and every other tool in it reach the network
     * as before (the proxy refuses every host but Azure's). Sign-in and ARM go to the emulator's own
     * address, without a proxy.
     */
    async rehearsalEnvWithProxy(): Promise<Record<string, string>> {
        // The port after the emulator's own when that was chosen (so a state directory's environment stays the same across restarts).
        const own = Number(new URL(this.baseUrl).port);
        const proxy = await this.startProxy(this.fixedPort ? own + 1 : 0);
        return { ...this.rehearsalEnv(), KEY_ROTATION_DATA_PLANE_PROXY: proxy };
    }

    /** What App Service sets for a managed identity, pointing at this emulator's endpoint. */
    managedIdentityEnv(): Record<string, string> {
        return { IDENTITY_ENDPOINT: `${this.baseUrl}${MANAGED_IDENTITY_PATH}`, IDENTITY_HEADER: this.signIn.managedIdentityHeader };
    }

    /** The federated token request URL and bearer token, as GitHub Actions provides them. */
    federatedTokenRequest(): { url: string; token: string } {
        return { url: `${this.baseUrl}${FEDERATED_TOKEN_PATH}`, token: this.signIn.oidcRequestToken };
    }

    /**
     * Creates a resource with fresh keys. The id must be of a catalog service. `localAuthDisabled`
     * makes it answer as the service does when shared keys are turned off (its GET says so; ARM's
     * error where the service has one; the data plane's own refusal); it throws for a service that
     * has no such setting (Relay, Notification Hubs, Event Grid namespaces, Logic Apps, API
     * Management). `firewall` shuts the caller out of its data plane; `dnsEndpointType` puts a
     * Storage account on an Azure DNS zone; `geoDrAlias` pairs an Event Hubs or Service Bus
     * namespace with a Geo-DR alias. For Service Bus and Event Hubs rules, `localAuthDisabled` and
     * `firewall` are their namespace's settings: they hold for every rule of the namespace.
     *
     * ```ts
     * emulator.createResource(ids.storage, { localAuthDisabled: true, firewall: true, dnsEndpointType: "AzureDnsZone" });
     * ```
     */
    createResource(resourceId: string, options: CreateResourceOptions = {}): EmulatedResource {
        const parsed = parseResourceId(resourceId);
        if (!parsed.ok) throw new Error(`resourceId ${parsed.reason}`);
        const { entry } = parsed.target;
        const handler = HANDLERS.get(entry.service)!;
        const keys: Record<string, string> = {};
        const generations: Record<string, number> = {};
        const generatedAt: Record<string, number> = {};
        const keyIds: Record<string, string> = {};
        for (const keyType of entry.keyTypes) {
            const effective = handler.effectiveKeyType?.(keyType.name) ?? keyType.name;
            if (effective !== keyType.name) continue;
            keys[keyType.name] = newKey(handler.keyFormat);
            generations[keyType.name] = 0;
            // The keys a resource is created with have propagated by the time its creation completes.
            generatedAt[keyType.name] = 0;
            keyIds[keyType.name] = randomUUID().replace(/-/g, "").slice(0, 12);
        }
        if (options.localAuthDisabled && handler.noLocalAuthSwitch) throw new Error(`localAuthDisabled: ${handler.noLocalAuthSwitch}`);
        if (options.firewall && handler.noFirewall) throw new Error(`firewall: ${handler.noFirewall}`);
        if (options.dnsZone !== undefined && options.dnsEndpointType !== "AzureDnsZone") throw new Error("dnsZone needs dnsEndpointType: AzureDnsZone");
        if (options.dnsZone !== undefined && !STORAGE_DNS_ZONES.includes(options.dnsZone))
            throw new Error(`dnsZone must be one of ${STORAGE_DNS_ZONES.join(", ")} (the zones the emulator's certificate names)`);
        if (options.dnsEndpointType === "AzureDnsZone" && entry.service !== "storage") throw new Error("dnsEndpointType is a Storage account's");
        const resource: EmulatedResource = {
            id: resourceId,
            service: entry.service,
            keys,
            keyIds,
            generations,
            generatedAt,
            keyPropagationMs: options.keyPropagationMs,
            rights: options.rights ?? (/\/authorizationRules\/[^/]+$/i.test(resourceId) ? defaultRights(ruleOf(resourceId).name) : undefined),
            busy: false,
            localAuthDisabled: options.localAuthDisabled ?? false,
            firewall: options.firewall || undefined,
            wrongKeyAnswer: options.wrongKeyAnswer,
            dnsZone: options.dnsEndpointType === "AzureDnsZone" ? (options.dnsZone ?? storageDnsZone(parsed.target.names.accountName)) : undefined,
            geoDrAlias: options.geoDrAlias,
            triggers: entry.readKeys.kind === "callbackUrls" ? (options.triggers ?? [{ name: "manual", kind: "Request" }]) : undefined,
        };
        this.store.put(resource);
        return resource;
    }

    /** The resource as it is now, or undefined. */
    resource(resourceId: string): EmulatedResource | undefined {
        return this.store.get(resourceId);
    }

    /** Removes a resource, as if deleted in Azure; false if there was none. */
    deleteResource(resourceId: string): boolean {
        return this.store.delete(resourceId);
    }

    /** Regenerates a key directly, as someone would in the portal: a rotation outside Pulumi. */
    regenerate(resourceId: string, keyType: string): void {
        const resource = this.store.get(resourceId);
        if (!resource) throw new Error(`no emulated resource ${resourceId}`);
        this.arm.install(resource.id, keyType, this.arm.renewed(resource, keyType));
    }

    /**
     * Creates a Key Vault served on `{name}.vault.azure.net` (or the cloud's suffix) through
     * {@link startProxy}: secrets set, read and listed with Key Vault's challenge and its token
     * audience. `permissions` limits what the emulator's identity may do (the rest is refused 403 as
     * RBAC or an access policy words it); `networkAcls` / `publicNetworkAccess` refuse every request
     * as a firewall does. Throws on a name Key Vault refuses or one already taken.
     */
    createKeyVault(name: string, options: KeyVaultOptions = {}): EmulatedKeyVault {
        return this.keyVaults.create(name, options);
    }

    /** A vault as it is now (its secrets, every version's value and attributes; its settings, which can be changed), or undefined. */
    keyVault(name: string): EmulatedKeyVault | undefined {
        return this.keyVaults.get(name);
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
     * or a Logic Apps callback URL) is let in now. Returns the key type it matched, or undefined;
     * a key still propagating (see `keyPropagationMs`) is refused.
     * Over HTTPS: POST /dataplane{resourceId} with `{"credential": "…"}`; 200 or 401. Each service's
     * own protocol is served on its real host names through {@link startProxy}.
     */
    authenticate(resourceId: string, credential: string): string | undefined {
        const resource = this.store.get(resourceId);
        if (!resource) throw new Error(`no emulated resource ${resourceId}`);
        // A SAS rule refuses keys when its namespace does.
        const effective = { ...resource, localAuthDisabled: this.dataPlane.localAuthOff(resource) };
        return authenticateNow(effective, credential, (keyType) => this.dataPlane.propagating(resource, keyType));
    }

    /** Long-running operations still in progress (an accepted regenerate nobody followed completes on its own). */
    get runningOperations(): number {
        return this.arm.operations.running;
    }

    /** Empties {@link requests}. */
    clearRequests(): void {
        this.requests.length = 0;
    }

    /**
     * Requests that carried a bearer token where it does not belong, every one a leaked token: any
     * bearer token to an origin but an ARM endpoint (the emulator's own, or a cloud's ARM host or one of its
     * regional names, through the proxy) or a Key Vault; an Entra ID token for another audience to either (a Key
     * Vault token to ARM, an ARM token to a vault).
     */
    tokenLeaks(): RequestLogEntry[] {
        const own = this.ownHost.toLowerCase();
        const armAudiences = new Set([this.baseUrl, ...AZURE_CLOUDS.flatMap((c) => c.audiences)].map((a) => a.replace(/\/+$/, "").toLowerCase()));
        return this.requests.filter((r) => {
            if (!r.bearer) return false;
            const host = r.host.toLowerCase().replace(/:443$/, "");
            // ARM: the emulator's own address, a cloud's ARM host, or one of its regional names (centraluseuap.management.azure.com).
            const role = hostRole(host, own).role;
            if (role === "emulator" || role === "resourceManager")
                return r.audience !== undefined && !armAudiences.has(r.audience.replace(/\/+$/, "").toLowerCase());
            const vault = keyVaultCloudOf(host);
            return !(vault && r.audience !== undefined && isKeyVaultAudience(r.audience, vault));
        });
    }

    /**
     * Starts a CONNECT proxy on 127.0.0.1 for HTTPS_PROXY: it tunnels Azure's cloud host names and
     * the data-plane host names of the emulated resources (port 443; Redis' 6380 and Managed
     * Redis' 10000 to the RESP server) and the emulator's own address to the emulator, and refuses
     * anything else (a host of no emulated resource too, as DNS would not know it). Resolves with
     * the proxy URL. {@link tunnels} records what was asked.
     */
    async startProxy(port = 0): Promise<string> {
        if (this.proxy) return this.proxy.url;
        const own = new URL(this.baseUrl);
        const https = { host: own.hostname, port: Number(own.port) };
        this.proxy = await ConnectProxy.start(
            (hostname, port) => {
                if (`${hostname}:${port}` === own.host) return https;
                if (
                    port === "443" &&
                    (hostRole(hostname, own.host).role !== "unknown" || this.dataPlane.route(hostname, 443) || this.keyVaults.route(hostname))
                )
                    return https;
                if (REDIS_PORTS.has(port) && this.redis && this.dataPlane.route(hostname, Number(port))) return { host: "127.0.0.1", port: this.redis.port };
                return undefined;
            },
            this.tunnels,
            port,
        );
        return this.proxy.url;
    }

    /** The ARM requests (token, discovery, data-plane and trap calls left out) logged so far. */
    armRequests(): RequestLogEntry[] {
        return this.requests.filter((r) => isArm(r.operation));
    }

    /** The requests to the services' own data planes (operation `DataPlane.{service}`, Key Vault's `DataPlane.keyvault`; Redis AUTHs as method `AUTH`). */
    dataPlaneRequests(): RequestLogEntry[] {
        return this.requests.filter((r) => r.operation.startsWith("DataPlane."));
    }

    /** Closes every connection and stops listening; removes the CA directory it made in the temp folder, if any. */
    async stop(): Promise<void> {
        const proxy = this.proxy;
        this.proxy = undefined;
        await proxy?.stop();
        const redis = this.redis;
        this.redis = undefined;
        await redis?.stop();
        for (const res of this.hung) res.destroy();
        this.hung.clear();
        for (const server of [this.server, this.trap]) {
            if (!server?.listening) continue;
            await new Promise<void>((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            });
        }
        this.server = undefined;
        this.trap = undefined;
        if (this.ownCaDir) rmSync(this.ownCaDir, { recursive: true, force: true });
        this.ownCaDir = undefined;
    }

    // --- request handling ------------------------------------------------------------------------

    private log(method: string, url: URL, operation: string, status: number, bearer: boolean, fault?: string, audience?: string): void {
        this.requests.push({
            method,
            host: url.host,
            path: url.pathname,
            apiVersion: url.searchParams.get("api-version") ?? undefined,
            operation,
            status,
            bearer,
            audience,
            fault,
            at: new Date().toISOString(),
        });
    }

    private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const host = (req.headers.host ?? "").toLowerCase();
        const role = hostRole(host, this.ownHost);
        // The origin the client called: the emulator's own, or a cloud's host name through the proxy.
        const base = role.role === "emulator" ? this.baseUrl : `https://${host.replace(/:443$/, "")}`;
        const url = new URL(req.url ?? "/", base);
        const method = (req.method ?? "GET").toUpperCase();
        const body = await readBody(req);
        const dispatch = this.dispatch(method, url, role, base);
        // A service's own JWTs and registry tokens are bearer tokens too; only an Entra ID token sent there is a leak.
        const bearer = dispatch.operation.startsWith("DataPlane.")
            ? this.signIn.issuedHere(req.headers.authorization)
            : !!req.headers.authorization?.startsWith("Bearer ");
        const audience = bearer ? this.signIn.claims(req.headers.authorization)?.aud : undefined;
        const log = (status: number, operation: string, fault?: string) => this.log(method, url, operation, status, bearer, fault, audience);

        const fault = this.faults.take(method, url.pathname, dispatch.operation, url.host);
        let operationFault: FaultEffect | undefined;
        if (fault) {
            if ("drop" in fault) {
                log(0, dispatch.operation, "drop");
                req.socket.destroy();
                return;
            }
            if ("hang" in fault) {
                log(0, dispatch.operation, "hang");
                this.hung.add(res);
                res.on("close", () => this.hung.delete(res));
                return;
            }
            if ("delayMs" in fault) await delay(fault.delayMs);
            else if ("operationEnds" in fault || "operationNeverEnds" in fault || "tamper" in fault || "stale" in fault) operationFault = fault;
            else {
                log(fault.status, dispatch.operation, `status ${fault.status}`);
                const response = armError(fault.status, fault.code ?? defaultCode(fault.status), fault.message ?? "Injected by the emulator.");
                if (fault.retryAfterSeconds !== undefined) response.headers = { "Retry-After": String(fault.retryAfterSeconds) };
                send(res, response);
                return;
            }
        }
        if (this.armLatencyMs > 0 && isArm(dispatch.operation)) await delay(this.armLatencyMs);
        let response: EmulatorResponse;
        try {
            response = await dispatch.run(req, url, body, operationFault);
        } catch (error) {
            response = armError(500, "InternalServerError", `The emulator failed: ${(error as Error).message}`);
        }
        if (operationFault && "tamper" in operationFault) {
            const keys = Object.values(dispatch.resourceId ? (this.store.get(dispatch.resourceId)?.keys ?? {}) : {});
            response = tamper(response, operationFault.tamper, keys);
        }
        log(response.status, dispatch.operation, operationFault ? Object.keys(operationFault).find((k) => !MATCH_KEYS.has(k)) : undefined);
        send(res, response);
    }

    /** Where a request goes, by the host it names: sign-in, the emulator's own data-plane endpoint, ARM, or a service's data plane. */
    private dispatch(method: string, url: URL, role: ReturnType<typeof hostRole>, base: string): Dispatch {
        const path = url.pathname;
        if (role.role === "unknown") {
            const vault = this.keyVaults.route(url.hostname);
            if (vault) {
                return {
                    operation: "DataPlane.keyvault",
                    run: (req, url, body) => this.keyVaults.serve(vault, { method, url, headers: req.headers, body, now: Date.now() }),
                };
            }
            const target = this.dataPlane.route(url.hostname, url.port ? Number(url.port) : 443);
            if (!target) return { operation: "Unknown", run: () => armError(421, "MisdirectedRequest", "The emulator does not serve this host.") };
            return {
                operation: `DataPlane.${target.service}`,
                run: (req, url, body) =>
                    this.dataPlane.serve(target, {
                        method,
                        host: req.headers.host ?? url.host,
                        target: req.url ?? "/",
                        url,
                        headers: req.headers,
                        body,
                        now: Date.now() + this.clockOffsetMs,
                    }),
            };
        }
        const own = role.role === "emulator";
        // What ARM at this host accepts as a token audience, and what the authority here issues for.
        const audiences = own ? [this.baseUrl] : role.cloud.audiences;
        // The authority issues Key Vault tokens too: every cloud's at the emulator's own address, the cloud's own at its authority's name.
        const tokenAudiences = [...audiences, ...keyVaultAudiences(own ? undefined : role.cloud.name)];
        const anyAudience = [this.baseUrl, ...AZURE_CLOUDS.flatMap((c) => c.audiences), ...keyVaultAudiences()];
        const signIn = signInDispatch(this.signIn, method, path, role, base, tokenAudiences, anyAudience);
        if (signIn) return signIn;
        const m = DATA_PLANE_PATH.exec(path);
        if (m && method === "POST") {
            const resourceId = decodeURIComponent(m[1]);
            return {
                operation: "DataPlane",
                run: (_req, _url, body) => {
                    const stored = this.store.get(resourceId);
                    const resource = stored && { ...stored, localAuthDisabled: this.dataPlane.localAuthOff(stored) };
                    return serveGeneric(resource, resourceId, body, (keyType) => !!stored && this.dataPlane.propagating(stored, keyType));
                },
            };
        }
        return armDispatch(this.arm, this.routes, this.signIn, method, path, audiences, base);
    }
}

function defaultCode(status: number): string {
    return status === 429 ? "TooManyRequests" : status === 503 ? "ServiceUnavailable" : status >= 500 ? "InternalServerError" : "BadRequest";
}
