/**
 * Azure Key Vault's secrets data plane on `{vault}.vault.azure.net` (and the US Government and China
 * suffixes), reached through the emulator's CONNECT proxy: set a secret (a new version each time),
 * get the latest or a given version, list versions and secrets, paged with nextLink. Written from
 * the REST spec and real recordings (the research notes of issue 20), not from the
 * package's client:
 * - Azure/azure-rest-api-specs: specification/keyvault/data-plane/Microsoft.KeyVault/stable/2025-07-01/secrets.json
 * - Azure/azure-sdk-for-js: sdk/keyvault/keyvault-secrets/recordings/node/ (the challenge, nextLink
 *   with `:443` and `$skiptoken`, versions listed by version id, the error bodies)
 * - Azure/azure-sdk-for-js: sdk/keyvault/keyvault-common/src/keyVaultAuthenticationPolicy.ts (what
 *   the official client expects of the challenge)
 *
 * Authentication is Key Vault's challenge: a request without a bearer token is answered 401 with
 * `WWW-Authenticate: Bearer authorization="{authority}/{tenant}", resource="https://vault.azure.net"`;
 * a token must be one the emulator's Microsoft Entra ID issued for the vault's own audience (an ARM
 * token is refused, AKV10022). Then, as Key Vault orders them: the network rules (ForbiddenByFirewall,
 * ForbiddenByConnection), then the identity's permissions (RBAC's ForbiddenByRbac naming the data
 * action, or an access policy's AccessDenied naming the permission).
 */
import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { EmulatorResponse } from "../errors";

/** One cloud's Key Vault: its host name suffix and the token audience its vaults accept. */
export interface KeyVaultCloud {
    /** The Azure CLI's name for the cloud (as in clouds.ts). */
    cloud: "AzureCloud" | "AzureUSGovernment" | "AzureChinaCloud";
    /** The vault host suffix: `{vault}.{suffix}`. */
    suffix: string;
    /** The resource a token must be for (the challenge's `resource`; scope `{audience}/.default`). */
    audience: string;
}

/** From Azure/azure-cli: src/azure-cli-core/azure/cli/core/cloud.py (`keyvault_dns`), and Key Vault's docs. */
export const KEY_VAULT_CLOUDS: readonly KeyVaultCloud[] = [
    { cloud: "AzureCloud", suffix: "vault.azure.net", audience: "https://vault.azure.net" },
    { cloud: "AzureUSGovernment", suffix: "vault.usgovcloudapi.net", audience: "https://vault.usgovcloudapi.net" },
    { cloud: "AzureChinaCloud", suffix: "vault.azure.cn", audience: "https://vault.azure.cn" },
];

/** The names the emulator's certificate must hold for the vaults (one label before each suffix). */
export const KEY_VAULT_CERTIFICATE_NAMES: readonly string[] = KEY_VAULT_CLOUDS.map((c) => `*.${c.suffix}`);

/** The token audiences of Key Vault: every cloud's, or one cloud's. */
export function keyVaultAudiences(cloud?: string): string[] {
    return KEY_VAULT_CLOUDS.filter((c) => !cloud || c.cloud === cloud).map((c) => c.audience);
}

/** The cloud whose vault suffix a host name ends with (`x.vault.azure.net` → AzureCloud), or undefined. */
export function keyVaultCloudOf(hostname: string): KeyVaultCloud | undefined {
    const host = hostname.toLowerCase().replace(/:443$/, "").replace(/\.$/, "");
    return KEY_VAULT_CLOUDS.find((c) => host.endsWith(`.${c.suffix}`));
}

/** Whether a token audience is a cloud's Key Vault audience (with or without a trailing slash). */
export function isKeyVaultAudience(audience: string, cloud: KeyVaultCloud): boolean {
    return audience.replace(/\/+$/, "").toLowerCase() === cloud.audience;
}

/** The data-plane api-versions Key Vault's secrets API has had; the newest stable is 2025-07-01 (what @azure/keyvault-secrets 4.11 sends). */
export const KEY_VAULT_API_VERSIONS: readonly string[] = ["2016-10-01", "7.0", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "2025-07-01"];

/** What the emulator's identity may do with a vault's secrets. */
export type KeyVaultPermission = "get" | "list" | "set";

/** How {@link KeyVaults.create} (and `AzureEmulator.createKeyVault`) sets up a vault. */
export interface KeyVaultOptions {
    /** The cloud the vault is in: its host is `{name}.vault.azure.net`, `.vault.usgovcloudapi.net` or `.vault.azure.cn` (default AzureCloud). */
    cloud?: KeyVaultCloud["cloud"];
    /** What the emulator's identity may do (default all: get, list, set); the rest is refused 403. */
    permissions?: KeyVaultPermission[];
    /** How a refusal reads: Azure RBAC's (`ForbiddenByRbac`, naming the data action; default) or an access policy's (`AccessDenied`). */
    authorization?: "rbac" | "accessPolicy";
    /** The firewall: `Deny` refuses every authenticated request with ForbiddenByFirewall unless `ipRules` holds 127.0.0.1. */
    networkAcls?: { defaultAction: "Allow" | "Deny"; ipRules?: string[] };
    /** `Disabled` refuses every authenticated request with ForbiddenByConnection (no private link here). */
    publicNetworkAccess?: "Enabled" | "Disabled";
    /** The vault's region, as its refusals name it (default `westus`). */
    location?: string;
    /** The resource group of its ARM id (default `{name}-rg`), as RBAC refusals name it. */
    resourceGroup?: string;
}

/** A secret version's attributes, as Key Vault answers them (times in unix seconds). */
export interface KeyVaultSecretAttributes {
    /** Whether the version may be read (a disabled one is refused 403 SecretDisabled). */
    enabled: boolean;
    /** Not before (unix seconds), if set. */
    nbf?: number;
    /** Expires (unix seconds), if set: reported, not enforced on get (as Key Vault does). */
    exp?: number;
    /** When the version was set (unix seconds). */
    created: number;
    /** When the version was last changed (unix seconds; the same as `created` here). */
    updated: number;
    /** The vault's soft-delete level: `Recoverable+Purgeable`. */
    recoveryLevel: string;
    /** How long a deleted secret stays recoverable: 90 days. */
    recoverableDays: number;
}

/** One version of a secret. */
export interface EmulatedSecretVersion {
    /** 32 lower-case hex characters. */
    version: string;
    /** The versioned identifier: `https://{vault}.vault.azure.net/secrets/{name}/{version}`. */
    id: string;
    /** The secret value. */
    value: string;
    /** The content type it was set with, if any. */
    contentType?: string;
    /** The tags it was set with, if any (each version has its own). */
    tags?: Record<string, string>;
    /** Enabled, not before, expires, created, updated, recovery level. */
    attributes: KeyVaultSecretAttributes;
}

/** A secret and every version it had, in the order they were set. */
export interface EmulatedSecret {
    /** The name as first set (names compare case-insensitively). */
    name: string;
    /** Every version, oldest first: the last is the latest. */
    versions: EmulatedSecretVersion[];
    /** Deleted but recoverable (soft delete): its name cannot be set again until purged. */
    deleted: boolean;
}

/** How a test writes a version directly (someone else's write, outside the provider). */
export interface SetSecretOptions {
    /** The version's content type. */
    contentType?: string;
    /** The version's tags. */
    tags?: Record<string, string>;
    /** Whether it may be read (default true). */
    enabled?: boolean;
    /** Its `attributes.nbf` (whole seconds). */
    notBefore?: Date;
    /** Its `attributes.exp` (whole seconds). */
    expiresOn?: Date;
}

/** An emulated vault: its settings (which tests may change while it runs) and its secrets. */
export class EmulatedKeyVault {
    /** The vault name, lower case. */
    readonly name: string;
    /** The cloud it is in: its host suffix and token audience. */
    readonly cloud: KeyVaultCloud;
    /** Its region, as refusals name it. */
    readonly location: string;
    /** Its ARM id, as RBAC refusals name it. */
    readonly resourceId: string;
    /** See {@link KeyVaultOptions.permissions}; can be changed while running (a refused write, then its retry). */
    permissions: KeyVaultPermission[];
    /** See {@link KeyVaultOptions.authorization}. */
    authorization: "rbac" | "accessPolicy";
    /** See {@link KeyVaultOptions.networkAcls}; can be changed while running. */
    networkAcls: { defaultAction: "Allow" | "Deny"; ipRules?: string[] };
    /** See {@link KeyVaultOptions.publicNetworkAccess}; can be changed while running. */
    publicNetworkAccess: "Enabled" | "Disabled";
    private readonly secrets = new Map<string, EmulatedSecret>();

    /** A vault named `name`; the emulator makes them ({@link KeyVaults.create} checks the name). */
    constructor(name: string, options: KeyVaultOptions = {}) {
        this.name = name.toLowerCase();
        this.cloud = KEY_VAULT_CLOUDS.find((c) => c.cloud === (options.cloud ?? "AzureCloud")) ?? KEY_VAULT_CLOUDS[0];
        this.location = options.location ?? "westus";
        const group = options.resourceGroup ?? `${this.name}-rg`;
        this.resourceId = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${group}/providers/Microsoft.KeyVault/vaults/${this.name}`;
        this.permissions = [...(options.permissions ?? ["get", "list", "set"])];
        this.authorization = options.authorization ?? "rbac";
        this.networkAcls = options.networkAcls ?? { defaultAction: "Allow" };
        this.publicNetworkAccess = options.publicNetworkAccess ?? "Enabled";
    }

    /** The host name: `{name}.vault.azure.net` (or the cloud's suffix). */
    get host(): string {
        return `${this.name}.${this.cloud.suffix}`;
    }

    /** The vault URI as ARM's `properties.vaultUri` gives it: `https://{name}.vault.azure.net/`. */
    get uri(): string {
        return `https://${this.host}/`;
    }

    /** A secret (any case), deleted ones included, or undefined. */
    secret(name: string): EmulatedSecret | undefined {
        return this.secrets.get(name.toLowerCase());
    }

    /** The names of the secrets that are not deleted. */
    secretNames(): string[] {
        return [...this.secrets.values()].filter((s) => !s.deleted).map((s) => s.name);
    }

    /** The latest version of a secret (the last one set, enabled or not), or undefined. */
    latest(name: string): EmulatedSecretVersion | undefined {
        const secret = this.secret(name);
        return secret && !secret.deleted ? secret.versions.at(-1) : undefined;
    }

    /** Writes a new version directly, as someone else would; the same as a PUT. Throws on a bad name or a deleted one. */
    setSecret(name: string, value: string, options: SetSecretOptions = {}, now = Date.now()): EmulatedSecretVersion {
        if (!SECRET_NAME.test(name)) throw new Error(`"${name}" is not a Key Vault secret name (1-127 letters, digits and hyphens)`);
        if (this.secret(name)?.deleted) throw new Error(`secret ${name} is deleted but recoverable`);
        const seconds = (date?: Date) => (date ? Math.floor(date.getTime() / 1000) : undefined);
        return this.addVersion(name, {
            value,
            contentType: options.contentType,
            tags: options.tags,
            enabled: options.enabled,
            nbf: seconds(options.notBefore),
            exp: seconds(options.expiresOn),
            now,
        });
    }

    /** Deletes a secret as a soft-delete vault does: it reads as not found, and setting its name is refused 409 until {@link purgeDeletedSecret}. */
    deleteSecret(name: string): boolean {
        const secret = this.secret(name);
        if (!secret || secret.deleted) return false;
        secret.deleted = true;
        return true;
    }

    /** Removes a deleted secret for good: its name can be set again. */
    purgeDeletedSecret(name: string): boolean {
        const secret = this.secret(name);
        return !!secret?.deleted && this.secrets.delete(name.toLowerCase());
    }

    /** Adds a version without any check: the PUT's work once it has made them (tests use {@link setSecret}). */
    addVersion(
        name: string,
        fields: { value: string; contentType?: string; tags?: Record<string, string>; enabled?: boolean; nbf?: number; exp?: number; now: number },
    ): EmulatedSecretVersion {
        let secret = this.secret(name);
        if (!secret) {
            secret = { name, versions: [], deleted: false };
            this.secrets.set(name.toLowerCase(), secret);
        }
        const version = randomBytes(16).toString("hex");
        const now = Math.floor(fields.now / 1000);
        const attributes: KeyVaultSecretAttributes = { enabled: fields.enabled ?? true, created: now, updated: now, ...RECOVERY };
        if (fields.nbf !== undefined) attributes.nbf = fields.nbf;
        if (fields.exp !== undefined) attributes.exp = fields.exp;
        const entry: EmulatedSecretVersion = { version, id: `https://${this.host}/secrets/${secret.name}/${version}`, value: fields.value, attributes };
        if (fields.contentType !== undefined) entry.contentType = fields.contentType;
        if (fields.tags !== undefined) entry.tags = { ...fields.tags };
        secret.versions.push(entry);
        return entry;
    }

    /** Every secret, deleted ones included. */
    allSecrets(): EmulatedSecret[] {
        return [...this.secrets.values()];
    }
}

/** A vault with soft delete at its default retention (what `az keyvault create` makes). */
const RECOVERY = { recoveryLevel: "Recoverable+Purgeable", recoverableDays: 90 };

/** The REST spec's pattern (`^[0-9a-zA-Z-]+$`) and the documented length (1-127). */
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;

/** Vault names: 3-24 characters, letters, digits and hyphens, a letter first, no hyphen last, no two in a row. */
const VAULT_NAME = /^(?=.{3,24}$)[a-zA-Z](?:[a-zA-Z0-9]|-(?!-))*[a-zA-Z0-9]$/;

/** The claims of an access token the emulator's identity issued. */
export interface AccessTokenClaims {
    aud?: string;
    exp?: number;
    iss?: string;
    tid?: string;
    appid?: string;
}

/** What the vaults need of the emulator's Microsoft Entra ID. */
export interface KeyVaultSignIn {
    /** The tenant its vaults belong to. */
    readonly tenantId: string;
    /** The claims of a token it issued, from an Authorization header, or undefined. */
    claims(header: string | undefined): AccessTokenClaims | undefined;
}

/** One request to a vault host. */
export interface KeyVaultRequest {
    /** Upper-case method. */
    method: string;
    /** `https://{host}{target}`, parsed. */
    url: URL;
    headers: IncomingHttpHeaders;
    body: string;
    /** The emulator's clock (ms since the epoch). */
    now: number;
}

/** Key Vault's error shape: `{ error: { code, message, innererror? } }`. */
function kvError(status: number, code: string, message: string, inner?: string, headers?: Record<string, string>): EmulatorResponse {
    const error: Record<string, unknown> = { code, message };
    if (inner) error.innererror = { code: inner };
    return { status, body: { error }, headers };
}

/** Every vault the emulator serves, and how they answer. */
export class KeyVaults {
    private readonly vaults = new Map<string, EmulatedKeyVault>();

    constructor(
        private readonly signIn: KeyVaultSignIn,
        /** The authority the challenge names (the emulator's own address). */
        private readonly authority: () => string,
    ) {}

    /** Creates a vault. Throws on a name Key Vault refuses or one already taken (vault names are global). */
    create(name: string, options: KeyVaultOptions = {}): EmulatedKeyVault {
        if (!VAULT_NAME.test(name)) {
            throw new Error(`"${name}" is not a Key Vault name (3-24 letters, digits and hyphens, a letter first, no hyphen last or twice in a row)`);
        }
        if (this.vaults.has(name.toLowerCase())) throw new Error(`a vault named ${name} exists already`);
        const vault = new EmulatedKeyVault(name, options);
        this.vaults.set(vault.name, vault);
        return vault;
    }

    /** The vault of this name (any case), or undefined. */
    get(name: string): EmulatedKeyVault | undefined {
        return this.vaults.get(name.toLowerCase());
    }

    /** The vault a host name belongs to (`{name}.{its cloud's suffix}`), or undefined (the proxy refuses it then). */
    route(hostname: string): EmulatedKeyVault | undefined {
        const host = hostname.toLowerCase().replace(/:443$/, "").replace(/\.$/, "");
        const cloud = keyVaultCloudOf(host);
        if (!cloud) return undefined;
        const vault = this.vaults.get(host.slice(0, -(cloud.suffix.length + 1)));
        return vault?.cloud === cloud ? vault : undefined;
    }

    /** Answers one HTTPS request to a vault's host. */
    serve(vault: EmulatedKeyVault, req: KeyVaultRequest): EmulatorResponse {
        const challenge = {
            "WWW-Authenticate": `Bearer authorization="${this.authority()}/${this.signIn.tenantId}", resource="${vault.cloud.audience}"`,
        };
        const unauthorized = (message: string) => kvError(401, "Unauthorized", message, undefined, challenge);
        const header = req.headers.authorization;
        if (!header || !/^Bearer\s+\S+$/i.test(header)) return unauthorized("AKV10000: Request is missing a Bearer or PoP token.");
        const claims = this.signIn.claims(header);
        // The emulator's own words from here to the audience check: Key Vault's codes for these were not found.
        if (!claims) return unauthorized("The access token was not issued by this tenant's Microsoft Entra ID (the emulator's).");
        if ((claims.exp ?? 0) < req.now / 1000) return unauthorized("The access token has expired.");
        if (claims.tid !== this.signIn.tenantId) return unauthorized(`The access token is for tenant '${claims.tid}', not the vault's.`);
        if (!claims.aud || !isKeyVaultAudience(claims.aud, vault.cloud)) {
            return unauthorized(`AKV10022: Invalid audience. Expected ${vault.cloud.audience}, found: ${claims.aud}.`);
        }
        const caller = `appid=${claims.appid};oid=${claims.appid};iss=${claims.iss}`;
        const where = `Vault: ${vault.name};location=${vault.location}`;
        if (vault.publicNetworkAccess === "Disabled") {
            return kvError(
                403,
                "Forbidden",
                `Public network access is disabled and request is not from a trusted service nor via an approved private link.\r\nCaller: ${caller}\r\n${where}`,
                "ForbiddenByConnection",
            );
        }
        if (vault.networkAcls.defaultAction === "Deny" && !vault.networkAcls.ipRules?.some((rule) => rule.replace(/\/32$/, "") === "127.0.0.1")) {
            return kvError(
                403,
                "Forbidden",
                `Client address is not authorized and caller is not a trusted service.\r\nClient address: 127.0.0.1\r\nCaller: ${caller}\r\n${where}`,
                "ForbiddenByFirewall",
            );
        }
        const apiVersion = req.url.searchParams.get("api-version");
        if (!apiVersion) return kvError(400, "BadParameter", "The api-version query parameter is required.");
        if (!KEY_VAULT_API_VERSIONS.includes(apiVersion)) {
            return kvError(
                400,
                "BadParameter",
                `The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (2025-07-01).`,
            );
        }
        const route = routeOf(req.method, req.url.pathname);
        if ("refused" in route) return route.refused;
        if (!vault.permissions.includes(route.permission)) return this.forbidden(vault, route.permission, caller, where, route.name);
        return new VaultRequest(vault, req, apiVersion).run(route);
    }

    /** 403 as the vault's permission model words it. */
    private forbidden(vault: EmulatedKeyVault, permission: KeyVaultPermission, caller: string, where: string, name?: string): EmulatorResponse {
        if (vault.authorization === "accessPolicy") {
            return kvError(
                403,
                "Forbidden",
                `The user, group or application '${caller}' does not have secrets ${permission} permission on key vault '${vault.name};location=${vault.location}'. ` +
                    "For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287",
                "AccessDenied",
            );
        }
        const resource = `${vault.resourceId.toLowerCase()}${name ? `/secrets/${name}` : ""}`;
        return kvError(
            403,
            "Forbidden",
            "Caller is not authorized to perform action on resource.\r\n" +
                "If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n" +
                `Caller: ${caller}\r\nAction: '${DATA_ACTIONS[permission]}'\r\nResource: '${resource}'\r\n` +
                `Assignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\n${where}\r\n`,
            "ForbiddenByRbac",
        );
    }
}

/** Azure RBAC's data actions for each permission (Key Vault Secrets Officer holds all three; Secrets User, get and list). */
const DATA_ACTIONS: Record<KeyVaultPermission, string> = {
    set: "Microsoft.KeyVault/vaults/secrets/setSecret/action",
    get: "Microsoft.KeyVault/vaults/secrets/getSecret/action",
    list: "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
};

type Route =
    | { op: "set" | "latest" | "versions"; permission: KeyVaultPermission; name: string }
    | { op: "version"; permission: KeyVaultPermission; name: string; version: string }
    | { op: "list"; permission: KeyVaultPermission; name?: undefined };

/** The operation a method and path are, or the refusal of a path the emulator does not serve. */
function routeOf(method: string, pathname: string): Route | { refused: EmulatorResponse } {
    const parts = pathname.split("/").slice(1);
    if (parts[0] !== "secrets") {
        return { refused: kvError(404, "NotFound", `The emulator's Key Vault serves secrets only, not ${pathname}.`) };
    }
    const notAllowed = { refused: kvError(405, "MethodNotAllowed", `HTTP ${method} not allowed`) };
    let name: string;
    try {
        name = decodeURIComponent(parts[1] ?? "");
    } catch {
        name = parts[1] ?? "";
    }
    const rest = parts.slice(2);
    if (name === "" && rest.length === 0) return method === "GET" ? { op: "list", permission: "list" } : notAllowed;
    if (!SECRET_NAME.test(name)) return { refused: kvError(400, "BadParameter", `The request URI contains an invalid name: ${name}`) };
    if (rest.length === 0 || (rest.length === 1 && rest[0] === "")) {
        if (method === "PUT" && rest.length === 0) return { op: "set", permission: "set", name };
        return method === "GET" ? { op: "latest", permission: "get", name } : notAllowed;
    }
    if (rest.length === 1 && rest[0] === "versions") return method === "GET" ? { op: "versions", permission: "list", name } : notAllowed;
    if (rest.length === 1) return method === "GET" ? { op: "version", permission: "get", name, version: rest[0] } : notAllowed;
    return { refused: kvError(404, "NotFound", `The emulator's Key Vault does not serve ${pathname}.`) };
}

/** One authorized request's work. */
class VaultRequest {
    constructor(
        private readonly vault: EmulatedKeyVault,
        private readonly req: KeyVaultRequest,
        private readonly apiVersion: string,
    ) {}

    run(route: Route): EmulatorResponse {
        switch (route.op) {
            case "set":
                return this.set(route.name);
            case "latest":
                return this.get(route.name);
            case "version":
                return this.get(route.name, route.version);
            case "versions":
                return this.listVersions(route.name);
            case "list":
                return this.listSecrets();
        }
    }

    private set(name: string): EmulatorResponse {
        if (this.vault.secret(name)?.deleted) {
            return kvError(
                409,
                "Conflict",
                `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
                "ObjectIsDeletedButRecoverable",
            );
        }
        let body: unknown;
        try {
            body = JSON.parse(this.req.body);
        } catch {
            return kvError(400, "BadParameter", "The request body is not valid JSON.");
        }
        const params = (body ?? {}) as { value?: unknown; contentType?: unknown; tags?: unknown; attributes?: unknown };
        if (typeof params.value !== "string") return kvError(400, "BadParameter", "The secret value is required and must be a string.");
        if (Buffer.byteLength(params.value) > 25 * 1024) return kvError(400, "BadParameter", "The secret value exceeds 25 KB.");
        if (params.contentType !== undefined && (typeof params.contentType !== "string" || params.contentType.length > 255)) {
            return kvError(400, "BadParameter", "contentType must be a string of at most 255 characters.");
        }
        const tags = params.tags;
        if (tags !== undefined && (tags === null || typeof tags !== "object" || Object.values(tags).some((v) => typeof v !== "string"))) {
            return kvError(400, "BadParameter", "tags must be an object of strings.");
        }
        // Key Vault takes 15 tags on a secret, names of 512 and values of 256 characters at most, and
        // answers more with this (hashicorp/terraform-provider-azurerm#16780, #16947; docs about-secrets).
        const entries = Object.entries((tags ?? {}) as Record<string, string>);
        if (entries.length > 15 || entries.some(([k, v]) => k.length > 512 || v.length > 256)) {
            return kvError(400, "BadParameter", "Property has invalid value\r\n");
        }
        const attributes = (params.attributes ?? {}) as { enabled?: unknown; nbf?: unknown; exp?: unknown };
        if (typeof attributes !== "object") return kvError(400, "BadParameter", "attributes must be an object.");
        for (const key of ["nbf", "exp"] as const) {
            const value = attributes[key];
            if (value !== undefined && value !== null && !Number.isInteger(value)) {
                return kvError(400, "BadParameter", `attributes.${key} must be a time in unix seconds.`);
            }
        }
        if (attributes.enabled !== undefined && typeof attributes.enabled !== "boolean")
            return kvError(400, "BadParameter", "attributes.enabled must be a boolean.");
        const version = this.vault.addVersion(name, {
            value: params.value,
            contentType: params.contentType as string | undefined,
            tags: tags as Record<string, string> | undefined,
            enabled: attributes.enabled as boolean | undefined,
            nbf: (attributes.nbf ?? undefined) as number | undefined,
            exp: (attributes.exp ?? undefined) as number | undefined,
            now: this.req.now,
        });
        return { status: 200, body: bundle(version) };
    }

    private get(name: string, version?: string): EmulatorResponse {
        const secret = this.vault.secret(name);
        const live = secret && !secret.deleted ? secret : undefined;
        const found = version === undefined ? live?.versions.at(-1) : live?.versions.find((v) => v.version === version.toLowerCase());
        if (!found) {
            return kvError(
                404,
                "SecretNotFound",
                `A secret with (name/id) ${version === undefined ? name : `${name}/${version}`} was not found in this key vault. ` +
                    "If you recently deleted this secret you may be able to recover it using the correct recovery command. " +
                    "For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182",
            );
        }
        if (!found.attributes.enabled) return kvError(403, "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled");
        return { status: 200, body: bundle(found) };
    }

    /** Versions by version id (as Key Vault lists them, not by time), no values. */
    private listVersions(name: string): EmulatorResponse {
        const secret = this.vault.secret(name);
        const versions = secret && !secret.deleted ? [...secret.versions].sort((a, b) => a.version.localeCompare(b.version)) : [];
        return this.page(
            versions.map((v) => ({ key: v.version, item: item(v, v.id) })),
            `/secrets/${secret?.name ?? name}/versions`,
        );
    }

    /** The secrets by name, each with its latest version's attributes and its versionless id. */
    private listSecrets(): EmulatorResponse {
        const secrets = this.vault
            .allSecrets()
            .filter((s) => !s.deleted && s.versions.length > 0)
            .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
        return this.page(
            secrets.map((s) => ({ key: s.name.toLowerCase(), item: item(s.versions.at(-1)!, `https://${this.vault.host}/secrets/${s.name}`) })),
            "/secrets",
        );
    }

    /** One page after `$skiptoken` (opaque: the last key given), `maxresults` long (1-25, default 25), and the link to the next. */
    private page(all: Array<{ key: string; item: unknown }>, path: string): EmulatorResponse {
        const query = this.req.url.searchParams;
        const max = query.get("maxresults");
        if (max !== null && !(/^\d+$/.test(max) && Number(max) >= 1 && Number(max) <= 25)) {
            return kvError(400, "BadParameter", `maxresults must be a whole number from 1 to 25, got '${max}'.`);
        }
        const size = max === null ? 25 : Number(max);
        let after: string | undefined;
        const token = query.get("$skiptoken");
        if (token !== null) {
            try {
                after = (JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { after?: unknown }).after as string | undefined;
            } catch {
                after = undefined;
            }
            if (typeof after !== "string") return kvError(400, "BadParameter", "The $skiptoken is not valid.");
        }
        const rest = after === undefined ? all : all.filter((entry) => entry.key > after);
        const value = rest.slice(0, size);
        let nextLink: string | null = null;
        if (rest.length > size) {
            const next = Buffer.from(JSON.stringify({ after: value.at(-1)!.key })).toString("base64url");
            // Key Vault's nextLinks name the port and carry maxresults over.
            nextLink = `https://${this.vault.host}:443${path}?api-version=${this.apiVersion}&$skiptoken=${next}${max === null ? "" : `&maxresults=${size}`}`;
        }
        return { status: 200, body: { value: value.map((v) => v.item), nextLink } };
    }
}

/** A SecretBundle: the version with its value. */
function bundle(version: EmulatedSecretVersion): Record<string, unknown> {
    return { value: version.value, ...item(version, version.id) };
}

/** A SecretItem: id, attributes, tags and contentType where set; no value. */
function item(version: EmulatedSecretVersion, id: string): Record<string, unknown> {
    const out: Record<string, unknown> = { id, attributes: { ...version.attributes } };
    if (version.contentType !== undefined) out.contentType = version.contentType;
    if (version.tags !== undefined) out.tags = { ...version.tags };
    return out;
}
