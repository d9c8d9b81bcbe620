/**
 * Writes a rotated key to Key Vault: `PUT {vault}/secrets/{name}`, a new version each time. Sign-in
 * follows Key Vault's challenge as the official SDK does (@azure/keyvault-common): the first request
 * goes without a token and with an empty body; the 401's `WWW-Authenticate` names the resource (its
 * host must be the vault host's own domain) and the tenant; a token for that resource, from the
 * same credential chain as ARM's, goes with the real request. That token only ever goes to the
 * vault's own origin, and the ARM token never does. Retries: 429 and 5xx (Retry-After honoured),
 * dropped connections; capped in attempts and time.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { TokenCredential } from "@azure/identity";
import type { AxiosInstance, AxiosProxyConfig } from "axios";
import type { AzureConfiguration } from "../arm/configuration";
import { TokenCache } from "../arm/credential";
import { redact } from "../arm/errors";
import { DEFAULT_RETRY, isRetryableStatus, nextDelayMs, type RetryOptions, retryAfterMs } from "../arm/retry";
import { KEY_VAULT_SUFFIXES } from "../core/inputs";
import type { StoreRequest, StoreResult } from "../core/steps";
import { proxyFor } from "../probe/transport";

/** The data-plane api-version: the newest stable, which @azure/keyvault-secrets 4.11 sends too. */
export const KEY_VAULT_API_VERSION = "2025-07-01";

/** What a Key Vault answered, for messages: never a value or a token. */
export class KeyVaultError extends Error {
    override readonly name = "KeyVaultError";
    constructor(
        message: string,
        readonly status?: number,
        readonly code?: string,
    ) {
        super(redact(message));
    }
}

interface Challenge {
    /** `https://vault.azure.net/.default`. */
    scope: string;
    tenantId?: string;
}

export interface KeyVaultClientOptions {
    credential: TokenCredential;
    /** Where sign-in goes, for messages. */
    authority: string;
    source?: string;
    retry?: Partial<RetryOptions>;
    requestTimeoutMs?: number;
    sleep?: (ms: number) => Promise<void>;
}

let shared: { credential: TokenCredential; client: KeyVaultClient } | undefined;

/** The process's Key Vault client, over the provider's credential. */
export function keyVault(configuration: AzureConfiguration, credential: () => TokenCredential): KeyVaultClient {
    const current = credential();
    if (shared?.credential !== current) {
        const authority = configuration.credential.kind === "managedIdentity" ? "the managed identity endpoint" : configuration.settings.authorityHost;
        shared = { credential: current, client: new KeyVaultClient({ credential: current, authority, source: configuration.source }) };
    }
    return shared.client;
}

export class KeyVaultClient {
    private readonly challenges = new Map<string, Challenge>();
    private readonly tokens = new Map<string, TokenCache>();
    private http?: AxiosInstance;
    private readonly retry: RetryOptions;

    constructor(private readonly options: KeyVaultClientOptions) {
        this.retry = { ...DEFAULT_RETRY, ...options.retry };
    }

    /** Writes `request.value` as a new version of the secret; resolves with the version's id. */
    async setSecret(request: StoreRequest): Promise<StoreResult> {
        const vault = vaultOrigin(request.vaultUri);
        const name = request.secretName;
        const url = `${vault.origin}/secrets/${encodeURIComponent(name)}?api-version=${KEY_VAULT_API_VERSION}`;
        const body = JSON.stringify({
            value: request.value,
            contentType: request.contentType,
            tags: request.tags,
            attributes: { enabled: true, ...(request.expiresOn ? { exp: Math.floor(request.expiresOn.getTime() / 1000) } : {}) },
        });
        const where = `Key Vault ${vault.host}, secret ${name}`;
        // Until Key Vault's challenge is known, the request goes without a token and without a body, as the SDK's
        // first one; every request, that one too, is retried on 429, 5xx and a dropped connection.
        let challenge = this.challenges.get(vault.origin);
        let refreshed = false;
        let refresh = false;
        const started = Date.now();
        for (let failures = 1; ; ) {
            const token = challenge ? await this.token(challenge, refresh) : undefined;
            refresh = false;
            const answer = await this.send("PUT", url, challenge ? body : "", token).catch((error: Error & { code?: string }) => error);
            if (answer instanceof Error) {
                // A host name that does not resolve is a wrong name or a vault gone: waiting changes neither.
                if (answer.code === "ENOTFOUND") {
                    throw new KeyVaultError(
                        `${where} could not be reached: its host name does not resolve (ENOTFOUND): is the vault's name right, and does it exist?`,
                    );
                }
                const wait = nextDelayMs(failures++, Date.now() - started, undefined, this.retry);
                if (wait === undefined) {
                    const cause = (answer.code ?? answer.message).trim();
                    throw new KeyVaultError(challenge ? `writing to ${where} failed: no answer (${cause})` : `${where} could not be reached: ${cause}`);
                }
                await this.sleep(wait);
                continue;
            }
            if (!challenge) {
                if (answer.status === 401 || answer.status < 400) {
                    challenge = answer.status === 401 ? parseChallenge(answer.headers["www-authenticate"], vault) : undefined;
                    if (!challenge) {
                        throw new KeyVaultError(
                            `${where} did not answer with a Key Vault challenge (HTTP ${answer.status}): is ${vault.host} a Key Vault?`,
                            answer.status,
                        );
                    }
                    this.challenges.set(vault.origin, challenge);
                    continue;
                }
            } else if (answer.status === 200) {
                return versionOf(answer.body, vault.origin, name, where);
            } else if (answer.status === 401 && !refreshed) {
                // An expired token, or a vault that moved tenant: follow its challenge again, once, with a new token.
                refreshed = true;
                refresh = true;
                challenge = parseChallenge(answer.headers["www-authenticate"], vault) ?? challenge;
                this.challenges.set(vault.origin, challenge);
                continue;
            }
            const wait =
                isRetryableStatus(answer.status) && answer.status !== 409
                    ? nextDelayMs(failures++, Date.now() - started, retryAfterMs(answer.headers), this.retry)
                    : undefined;
            if (wait === undefined) throw refusal(answer, where, vault.host);
            await this.sleep(wait);
        }
    }

    private async token(challenge: Challenge, refresh: boolean): Promise<string> {
        const key = `${challenge.scope}\0${challenge.tenantId ?? ""}`;
        let cache = this.tokens.get(key);
        if (!cache) {
            cache = new TokenCache(this.options.credential, challenge.scope, {
                authority: this.options.authority,
                source: this.options.source,
                tenantId: challenge.tenantId,
            });
            this.tokens.set(key, cache);
        }
        return cache.token(refresh);
    }

    private async send(method: "PUT", url: string, body: string, token: string | undefined) {
        if (!this.http) {
            const axios = (require("axios") as typeof import("axios")).default;
            this.http = axios.create({
                timeout: this.options.requestTimeoutMs ?? 60_000,
                validateStatus: () => true,
                maxRedirects: 0,
                maxContentLength: 1024 * 1024,
                transformRequest: [(data: unknown) => data],
                transformResponse: [(data: unknown) => data],
                responseType: "text",
            });
        }
        const response = await this.http.request({
            method,
            url,
            data: body,
            // The vault is a data plane: its proxy is the probes' (KEY_ROTATION_DATA_PLANE_PROXY, else
            // HTTPS_PROXY unless NO_PROXY names the host), so a rehearsal reaches the emulated vault
            // through the emulator's proxy while the shell's own proxy settings stay as they were.
            proxy: axiosProxy(proxyFor(new URL(url).hostname)),
            headers: {
                "Content-Type": "application/json",
                Accept: "application/json",
                "User-Agent": "pulumi-azure-key-rotation",
                ...(token ? { Authorization: `Bearer ${token}` } : {}),
            },
        });
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(response.headers ?? {})) if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
        return { status: response.status, headers, body: typeof response.data === "string" ? response.data : "" };
    }

    private sleep(ms: number): Promise<void> {
        return this.options.sleep ? this.options.sleep(ms) : delay(ms);
    }
}

/** The vault's origin, which must be on a Key Vault host suffix (check already refused anything else). */
function vaultOrigin(vaultUri: string): URL {
    const url = new URL(vaultUri);
    const host = url.hostname.toLowerCase();
    if (url.protocol !== "https:" || url.port !== "" || !KEY_VAULT_SUFFIXES.some((s) => host.endsWith(`.${s}`))) {
        throw new KeyVaultError(`${vaultUri} is not a Key Vault URI (https://{vault}.${KEY_VAULT_SUFFIXES[0]}/)`);
    }
    return new URL(url.origin);
}

/**
 * The resource (or scope) and tenant of a `WWW-Authenticate: Bearer authorization="…/{tenant}",
 * resource="…"` challenge, as @azure/keyvault-common reads it; undefined unless the resource's host
 * is the vault's own domain (`vault.azure.net` for `x.vault.azure.net`), as its
 * verifyChallengeResource demands: a challenge naming another resource would get a token for it.
 */
export function parseChallenge(header: string | undefined, vault: URL): Challenge | undefined {
    if (!header || !/^\s*Bearer\b/i.test(header)) return undefined;
    const pairs: Record<string, string> = {};
    for (const m of header.replace(/^\s*Bearer\s*/i, "").matchAll(/([a-z_]+)="([^"]*)"/gi)) pairs[m[1].toLowerCase()] = m[2];
    const resource = pairs.resource ? `${pairs.resource.replace(/\/+$/, "")}/.default` : pairs.scope;
    if (!resource) return undefined;
    let scopeHost: string;
    try {
        const scope = new URL(resource);
        if (scope.protocol !== "https:") return undefined;
        scopeHost = scope.hostname.toLowerCase();
    } catch {
        return undefined;
    }
    if (!vault.hostname.toLowerCase().endsWith(`.${scopeHost}`)) return undefined;
    const authorization = pairs.authorization ?? pairs.authorization_uri;
    let tenantId: string | undefined;
    try {
        tenantId = authorization ? new URL(authorization).pathname.replace(/^\/+/, "").split("/")[0] || undefined : undefined;
    } catch {
        tenantId = undefined;
    }
    return { scope: resource, tenantId };
}

/** The new version's id and version, from a 200, checked to be this secret on this vault. */
function versionOf(body: string, origin: string, name: string, where: string): StoreResult {
    let id: unknown;
    try {
        id = (JSON.parse(body) as { id?: unknown }).id;
    } catch {
        id = undefined;
    }
    const prefix = `${origin}/secrets/${name}/`.toLowerCase();
    if (typeof id !== "string" || !id.toLowerCase().replace(":443/", "/").startsWith(prefix)) {
        throw new KeyVaultError(`${where} answered 200 without the new version's id; the write may have happened`);
    }
    const version = id.split("/").pop() ?? "";
    if (!/^[0-9a-zA-Z]{8,64}$/.test(version)) throw new KeyVaultError(`${where} answered an id without a version`);
    return { id: `${origin}/secrets/${name}/${version}`, version };
}

/** What a refusal means, naming the permission a 403 lacks. */
function refusal(answer: { status: number; headers: Record<string, string>; body: string }, where: string, host: string): KeyVaultError {
    let code: string | undefined;
    let inner: string | undefined;
    let message: string | undefined;
    try {
        const error = (JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown; innererror?: { code?: unknown } } }).error;
        code = typeof error?.code === "string" ? error.code : undefined;
        inner = typeof error?.innererror?.code === "string" ? error.innererror.code : undefined;
        message = typeof error?.message === "string" ? error.message.replace(/\s+/g, " ").trim().replace(/\.+$/, "") : undefined;
    } catch {
        message = answer.body.replace(/\s+/g, " ").trim().slice(0, 300) || undefined;
    }
    const codes = [code, inner].filter(Boolean).join("/");
    let advice = "";
    if ((answer.status === 403 || answer.status === 407) && code === undefined) {
        // A proxy that refuses the CONNECT has its answer handed to the request as if it were the vault's:
        // without Key Vault's error body, a 403 is not a missing permission.
        advice =
            ` That is not an answer from Key Vault (it has no Key Vault error): a proxy between here and the vault ` +
            `(KEY_ROTATION_DATA_PLANE_PROXY, HTTPS_PROXY) may refuse connections to ${host}; or does the vault exist?`;
    } else if (answer.status === 403 && (inner === "ForbiddenByFirewall" || inner === "ForbiddenByConnection")) {
        advice = ` The vault's network rules refuse this network: allow it in the vault's firewall, or run \`pulumi up\` where the vault can be reached.`;
    } else if (answer.status === 403) {
        advice =
            " The identity needs permission to set secrets: the role Key Vault Secrets Officer on the vault or the secret " +
            "(data action Microsoft.KeyVault/vaults/secrets/setSecret/action), or, on a vault with access policies, the secret permission Set.";
    } else if (answer.status === 409 && inner === "ObjectIsBeingDeleted") {
        advice = " The secret is being deleted or recovered right now: run `pulumi up` again in a minute.";
    } else if (answer.status === 409) {
        advice = ` A deleted secret of that name is kept for recovery: recover it, or purge it, before KeyRotation can write it.`;
    } else if (answer.status === 401) {
        advice = ` Key Vault refused the token for ${host}.`;
    }
    return new KeyVaultError(
        `writing to ${where} failed: HTTP ${answer.status}${codes ? ` ${codes}` : ""}${message ? `: ${message}` : ""}.${advice}`,
        answer.status,
        inner ?? code,
    );
}

/** A proxy URL as axios takes it (its user and password, if any, for Proxy-Authorization), or false for none. */
function axiosProxy(proxy: URL | undefined): AxiosProxyConfig | false {
    if (!proxy) return false;
    const protocol = proxy.protocol.replace(/:$/, "");
    return {
        protocol,
        host: proxy.hostname,
        port: Number(proxy.port || (protocol === "https" ? 443 : 80)),
        ...(proxy.username || proxy.password ? { auth: { username: decodeURIComponent(proxy.username), password: decodeURIComponent(proxy.password) } } : {}),
    };
}
