/**
 * What a resource's own GET tells that a rotation needs: the endpoint consumers call (where it
 * depends on the region), Storage's endpoints (Azure DNS zone endpoints are not on the standard
 * hosts), and whether its shared keys are turned off. Read once, before the first regenerate, and
 * kept in the state; read again by `pulumi refresh`, and when the state says the keys are off.
 */
import { ArmError } from "../arm/errors";
import { CLOUD_SUFFIXES, type CloudName, type ResourceRead, type ServiceEntry } from "../catalog/lookup";
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
            // Keys and signed probes go to this host, and connection strings name it: only the service's own hosts.
            if (endpointHost(value) === undefined) throw invalid(`the resource's ${read.endpoint} is not an https URL on the default port, nor a host name`);
            // Unless the KeyRotation never proves its keys (verify: false): then nothing is sent there.
            if (ctx.verifies !== false && !isServiceHost(ctx.target.entry.service, ctx.cloud, value)) {
                throw invalid(`the resource's ${read.endpoint} ${notServiceHost(ctx.target.entry.service, ctx.cloud)}`);
            }
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
                if (!isAccountEndpoint(url, ctx.target.names.accountName ?? "", name, ctx.cloud)) {
                    throw invalid(
                        `${read.endpoints.selector}.${name} is not one of the account's own hosts ({account}.${name}.${CLOUD_SUFFIXES[ctx.cloud].storage}` +
                            `${ctx.cloud === "public" ? `, {account}.z{NN}.${name}.storage.azure.net` : ""}); nothing was sent there`,
                    );
                }
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

/**
 * The domains a service's endpoint, as its GET gives it, may be under, by cloud: the hosts the
 * services document (and the emulator's data plane serves, emulator/dataPlane/router.ts). A GET
 * that names another host (a hostile or broken answer) would have the probe send the key, or a
 * signature made with it, there; a service with an endpoint read and no entry here takes none.
 */
const ENDPOINT_DOMAINS: Readonly<Record<string, Readonly<Record<CloudName, readonly string[]>>>> = {
    "cognitive-services": {
        // Translator resources without a custom subdomain answer the global Translator host.
        public: [
            "cognitiveservices.azure.com",
            "openai.azure.com",
            "services.ai.azure.com",
            "api.cognitive.microsoft.com",
            "cognitive.microsofttranslator.com",
        ],
        usgovernment: ["cognitiveservices.azure.us", "openai.azure.us", "api.cognitive.microsoft.us", "cognitive.microsofttranslator.us"],
        china: ["cognitiveservices.azure.cn", "openai.azure.cn", "api.cognitive.azure.cn", "translator.azure.cn"],
    },
    batch: { public: ["batch.azure.com"], usgovernment: ["batch.usgovcloudapi.net"], china: ["batch.chinacloudapi.cn"] },
    "container-registry": {
        public: [CLOUD_SUFFIXES.public.containerRegistry],
        usgovernment: [CLOUD_SUFFIXES.usgovernment.containerRegistry],
        china: [CLOUD_SUFFIXES.china.containerRegistry],
    },
    "eventgrid-topic": { public: ["eventgrid.azure.net"], usgovernment: ["eventgrid.azure.us"], china: ["eventgrid.azure.cn"] },
    "eventgrid-domain": { public: ["eventgrid.azure.net"], usgovernment: ["eventgrid.azure.us"], china: ["eventgrid.azure.cn"] },
    "eventgrid-namespace": { public: ["eventgrid.azure.net"], usgovernment: ["eventgrid.azure.us"], china: ["eventgrid.azure.cn"] },
    "managed-redis": { public: ["redis.azure.net"], usgovernment: ["redis.azure.us"], china: ["redis.azure.cn"] },
};

/** Whether an endpoint a GET gave is on one of the service's own hosts, which a probe may send a key to. */
export function isServiceHost(service: string, cloud: CloudName, value: string): boolean {
    const host = endpointHost(value);
    return host !== undefined && (ENDPOINT_DOMAINS[service]?.[cloud] ?? []).some((domain) => host.endsWith(`.${domain}`));
}

/** Why an endpoint is not sent a key: the service's hosts the provider knows, and what to do. */
export function notServiceHost(service: string, cloud: CloudName): string {
    const domains = ENDPOINT_DOMAINS[service]?.[cloud] ?? [];
    return (
        `is not on a host of the service the provider knows (${domains.map((d) => `*.${d}`).join(", ") || "none known"}); nothing was sent there. ` +
        "If it is the service's own, set `verify: false`: the endpoint is then only output, and no key is sent to it"
    );
}

/** Services whose GET gives the endpoint, and the domains it may be under (for tests: every endpoint read has them). */
export function endpointDomains(service: string, cloud: CloudName): readonly string[] | undefined {
    return ENDPOINT_DOMAINS[service]?.[cloud];
}

/**
 * The host of an endpoint as a GET gives it: a URL (https, the default port, no userinfo), or a
 * bare host name; undefined for anything else.
 */
function endpointHost(value: string): string | undefined {
    if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
        let url: URL;
        try {
            url = new URL(value);
        } catch {
            return undefined;
        }
        if (url.protocol !== "https:" || url.port !== "" || url.username || url.password) return undefined;
        return url.hostname.toLowerCase();
    }
    return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value) ? value.toLowerCase() : undefined;
}

/**
 * Whether a Storage endpoint is the account's own, for that service: `https://{account}.{service}.{storage suffix}/`,
 * or on an Azure DNS zone, `https://{account}.z{NN}.{service}.storage.azure.net/` (public cloud only:
 * learn.microsoft.com/azure/storage/common/storage-account-overview#azure-dns-zone-endpoints-preview);
 * the default port, no userinfo, nothing after the `/`.
 */
function isAccountEndpoint(value: string, account: string, service: string, cloud: CloudName): boolean {
    const url = new URL(value);
    if (url.port !== "" || url.username || url.password || url.search || url.hash || !/^\/?$/.test(url.pathname)) return false;
    const host = url.hostname.toLowerCase();
    const name = account.toLowerCase();
    if (host === `${name}.${service}.${CLOUD_SUFFIXES[cloud].storage}`) return true;
    return (
        cloud === "public" && new RegExp(`^${name.replace(/[^a-z0-9]/g, "")}\\.z\\d{2}\\.${service.replace(/[^a-z]/g, "")}\\.storage\\.azure\\.net$`).test(host)
    );
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
