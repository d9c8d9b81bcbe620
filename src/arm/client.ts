import { randomUUID } from "node:crypto";
import * as https from "node:https";
import { setTimeout as delay } from "node:timers/promises";
import axios, { type AxiosInstance } from "axios";
import type { ArmClient, ArmRequest, ArmResponse } from "../core/armClient";
import { isRecord } from "../core/select";
import { ArmError, parseErrorBody, redact } from "./errors";
import { DEFAULT_POLL, locationState, operationState, type PollOptions, pollTarget } from "./lro";
import { DEFAULT_RETRY, isRetryableStatus, nextDelayMs, type RetryOptions, retryAfterMs } from "./retry";

/** Where tokens come from; `TokenCache` in production. */
export interface TokenSource {
    token(forceRefresh?: boolean): Promise<string>;
}

export interface AxiosArmClientOptions {
    endpoint: string;
    tokens: TokenSource;
    retry?: Partial<RetryOptions>;
    poll?: Partial<PollOptions>;
    /** Each request, answer included, ends within this long. */
    requestTimeoutMs?: number;
    /** Answers larger than this are refused (ARM's key answers are a few kilobytes). */
    maxResponseBytes?: number;
    /** Injected in tests to observe waits instead of sleeping. */
    sleep?: (ms: number) => Promise<void>;
    now?: () => number;
    userAgent?: string;
}

/** Failures where no answer came: worth another try. */
const NETWORK_ERRORS = new Set(["ECONNRESET", "ECONNREFUSED", "ECONNABORTED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ERR_NETWORK", "ERR_CANCELED"]);
/** Failures before the request could have reached the server: it certainly did not take effect. */
const NOT_SENT = new Set(["ECONNREFUSED", "EAI_AGAIN", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH"]);
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/**
 * The ARM client over axios: bearer token, api-version, retries (Retry-After on 429/503, jittered
 * back-off on 408/409/5xx and dropped connections, capped in attempts and time), and long-running
 * operation polling (capped waits, a deadline). The token is only ever sent to the ARM endpoint's
 * own origin: URLs an answer hands back are resolved with the URL standard and refused when their
 * origin is another.
 */
export class AxiosArmClient implements ArmClient {
    private readonly http: AxiosInstance;
    private readonly base: URL;
    private readonly retry: RetryOptions;
    private readonly poll: PollOptions;
    private readonly sleep: (ms: number) => Promise<void>;
    private readonly now: () => number;
    private readonly requestTimeoutMs: number;
    private readonly maxResponseBytes: number;

    constructor(private readonly options: AxiosArmClientOptions) {
        // The endpoint as a directory, so relative links resolve under it.
        this.base = new URL(options.endpoint.replace(/\/*$/, "/"));
        this.retry = { ...DEFAULT_RETRY, ...options.retry };
        this.poll = { ...DEFAULT_POLL, ...options.poll };
        this.sleep = options.sleep ?? ((ms) => delay(ms));
        this.now = options.now ?? Date.now;
        this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
        this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
        this.http = axios.create({
            httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 32 }),
            timeout: this.requestTimeoutMs,
            validateStatus: () => true,
            maxRedirects: 0,
            maxContentLength: this.maxResponseBytes,
            // Bodies are serialized here once; axios would otherwise parse each JSON string again.
            transformRequest: [(data: unknown) => data],
            // Keep bodies as text so error bodies of any shape can be read without throwing.
            transformResponse: [(data: unknown) => data],
            responseType: "text",
            // Without a proxy variable set, say so once instead of axios looking it up on every request.
            ...(usesEnvironmentProxy() ? {} : { proxy: false as const }),
        });
    }

    async send(request: ArmRequest): Promise<ArmResponse> {
        return this.call(request, this.url(request), request.expect);
    }

    async waitForCompletion(initial: ArmResponse, request: ArmRequest): Promise<ArmResponse> {
        const accepted = this.now();
        const unconfirmed = (code: string, why: string, status?: number) =>
            new ArmError({
                operation: request.operation,
                resourceId: request.resourceId,
                status,
                code,
                armMessage: `Azure accepted the operation (HTTP ${initial.status}) but ${why}; it may still complete and change the key`,
                mayHaveSucceeded: true,
            });
        const target = pollTarget(initial.headers);
        if (!target) throw unconfirmed("NoOperationMonitor", "its answer has neither an Azure-AsyncOperation nor a Location header to follow it");
        let wait = retryAfterMs(initial.headers, this.now()) ?? this.poll.defaultPollDelayMs;
        let lastState = "not polled yet";
        for (let poll = 1; ; poll++) {
            const elapsed = this.now() - accepted;
            const remaining = this.poll.deadlineMs - elapsed;
            if (remaining <= 0 || poll > this.poll.maxPolls) {
                throw unconfirmed(
                    "OperationTimedOut",
                    `it was still running (${lastState}) when polling stopped after ${Math.round(elapsed / 1000)} s and ${poll - 1} polls`,
                );
            }
            // A Retry-After longer than what is left of the deadline is cut to fit: keep polling, never give up early.
            await this.sleep(Math.max(this.poll.minPollDelayMs, Math.min(wait, this.poll.maxPollDelayMs, remaining)));
            const pollRequest: ArmRequest = {
                ...request,
                method: "GET",
                path: undefined,
                url: target.url,
                body: undefined,
                operation: `${request.operation} (status)`,
            };
            let response: ArmResponse;
            try {
                response = await this.call(pollRequest, this.url(pollRequest), target.mode === "location" ? [200, 202, 204] : [200]);
            } catch (error) {
                const why = error instanceof Error ? error.message : String(error);
                throw unconfirmed("OperationStatusUnknown", `following it failed: ${why}`, (error as ArmError).status);
            }
            const status = isRecord(response.body) ? response.body.status : undefined;
            const state = target.mode === "location" ? locationState(response.status) : operationState(status);
            if (state === "succeeded") return response;
            if (state !== "running") {
                const { code, message } = parseErrorBody(response.body);
                throw new ArmError({
                    operation: request.operation,
                    resourceId: request.resourceId,
                    status: response.status,
                    code: code ?? `Operation${state === "failed" ? "Failed" : "Canceled"}`,
                    armMessage: message ?? `the long-running operation ended as ${state}`,
                    requestId: response.headers["x-ms-request-id"],
                });
            }
            lastState =
                target.mode === "location" ? `HTTP ${response.status}` : `status ${typeof status === "string" ? redact(status).slice(0, 40) : "missing"}`;
            wait = retryAfterMs(response.headers, this.now()) ?? this.poll.defaultPollDelayMs;
        }
    }

    /**
     * The URL of a request: a path the core built, under the endpoint; or a URL an answer handed
     * back, resolved against the endpoint. Either way its origin must be the endpoint's.
     */
    private url(request: ArmRequest): string {
        let resolved: URL;
        try {
            resolved = request.url !== undefined ? new URL(request.url, this.base) : new URL(`.${request.path ?? ""}`, this.base);
        } catch {
            throw this.untrusted(request, "an invalid URL");
        }
        if (resolved.origin !== this.base.origin && !isRegionalHost(resolved, this.base)) throw this.untrusted(request, resolved.origin);
        if (!resolved.searchParams.has("api-version")) resolved.searchParams.set("api-version", request.apiVersion);
        return resolved.toString();
    }

    private untrusted(request: ArmRequest, where: string): ArmError {
        return new ArmError({
            operation: request.operation,
            resourceId: request.resourceId,
            code: "UntrustedUrl",
            armMessage: `an answer pointed to ${where}, not ${this.base.origin}; no request was sent there and the token stays with ${this.base.origin}`,
        });
    }

    private async call(request: ArmRequest, url: string, expect: readonly number[]): Promise<ArmResponse> {
        const started = this.now();
        let refreshedToken = false;
        // A POST may have taken effect once an attempt was sent without an answer, or answered with a
        // server error (a gateway timeout, say, is ARM not hearing back from the service, not a refusal).
        let unanswered = false;
        let serverError = false;
        const mayHaveApplied = () => request.method === "POST" && (unanswered || serverError);
        for (let attempt = 1; ; attempt++) {
            const token = await this.signIn(request, false, mayHaveApplied());
            let response: ArmResponse | undefined;
            let networkError: (Error & { code?: string }) | undefined;
            // A hard end for the whole exchange: a server that trickles its answer cannot hold the call open.
            // A timer cleared when the call ends: AbortSignal.timeout's would stay armed for the full
            // timeout, holding about 0.4 KB per request (0.9 MB after 1000 rotations) for a minute.
            const deadline = new AbortController();
            const timer = setTimeout(() => deadline.abort(), this.requestTimeoutMs).unref();
            try {
                const res = await this.http.request({
                    method: request.method,
                    url,
                    data: request.method === "POST" ? (request.body === undefined ? "" : JSON.stringify(request.body)) : undefined,
                    headers: {
                        Authorization: `Bearer ${token}`,
                        "Content-Type": "application/json",
                        Accept: "application/json",
                        "x-ms-client-request-id": randomUUID(),
                        "User-Agent": this.options.userAgent ?? "pulumi-azure-key-rotation",
                    },
                    signal: deadline.signal,
                });
                response = { status: res.status, headers: lowerCaseHeaders(res.headers), body: parseBody(res.data) };
            } catch (error) {
                networkError = error as Error & { code?: string };
                if (/maxContentLength/i.test(networkError.message)) {
                    throw new ArmError({
                        operation: request.operation,
                        resourceId: request.resourceId,
                        code: "ResponseTooLarge",
                        armMessage: `the answer was larger than ${this.maxResponseBytes} bytes and was not read`,
                        mayHaveSucceeded: request.method === "POST",
                    });
                }
                if (!NETWORK_ERRORS.has(networkError.code ?? "") && !/socket hang up|aborted|timeout|canceled/i.test(networkError.message)) {
                    throw new ArmError({
                        operation: request.operation,
                        resourceId: request.resourceId,
                        code: networkError.code,
                        armMessage: redact(networkError.message),
                        mayHaveSucceeded: mayHaveApplied() || (request.method === "POST" && !NOT_SENT.has(networkError.code ?? "")),
                    });
                }
                if (!NOT_SENT.has(networkError.code ?? "")) unanswered = true;
            } finally {
                clearTimeout(timer);
            }

            if (response && expect.includes(response.status)) return response;
            if (response && response.status >= 200 && response.status < 300 && request.method === "POST") {
                // A success the operation's contract does not list (a 202 to a regenerate documented as
                // synchronous): the service did something, maybe the regenerate, and says no more.
                throw new ArmError({
                    operation: request.operation,
                    resourceId: request.resourceId,
                    status: response.status,
                    code: "UnexpectedStatus",
                    armMessage: `Azure answered HTTP ${response.status}, which this operation does not document (it answers ${expect.join(" or ")}); it may have taken effect`,
                    requestId: response.headers["x-ms-request-id"],
                    mayHaveSucceeded: true,
                });
            }
            if (response && response.status >= 500) serverError = true;
            if (response?.status === 401 && !refreshedToken) {
                // An expired or revoked token: get a fresh one once, then retry at once.
                refreshedToken = true;
                await this.signIn(request, true, mayHaveApplied());
                continue;
            }
            const retryable = networkError !== undefined || isRetryableStatus(response!.status);
            const wait = retryable
                ? nextDelayMs(attempt, this.now() - started, response ? retryAfterMs(response.headers, this.now()) : undefined, this.retry)
                : undefined;
            if (wait === undefined) throw this.failure(request, response, networkError, attempt, started, mayHaveApplied());
            await this.sleep(wait);
        }
    }

    /**
     * A token for the next attempt. Signing in fails as it is (nothing was sent), unless an earlier
     * attempt of a POST may have taken effect: then the failure says so, so the rotation is recorded
     * as possibly done rather than as never sent.
     */
    private async signIn(request: ArmRequest, refresh: boolean, mayHaveApplied: boolean): Promise<string> {
        try {
            return await this.options.tokens.token(refresh);
        } catch (error) {
            if (!mayHaveApplied) throw error;
            return Promise.reject(
                new ArmError({
                    operation: request.operation,
                    resourceId: request.resourceId,
                    code: "SignInFailed",
                    armMessage: redact(
                        `an earlier attempt may have taken effect, and signing in again to retry or confirm it failed: ${error instanceof Error ? error.message : String(error)}`,
                    ),
                    mayHaveSucceeded: true,
                }),
            );
        }
    }

    private failure(
        request: ArmRequest,
        response: ArmResponse | undefined,
        networkError: Error | undefined,
        attempts: number,
        started: number,
        mayHaveSucceeded: boolean,
    ): ArmError {
        const tries = attempts > 1 ? ` (gave up after ${attempts} attempts in ${Math.round((this.now() - started) / 1000)} s)` : "";
        if (!response) {
            return new ArmError({
                operation: request.operation,
                resourceId: request.resourceId,
                code: (networkError as { code?: string }).code,
                armMessage: redact(`${networkError?.message ?? "connection failed"}${tries}`),
                mayHaveSucceeded,
            });
        }
        const { code, message } = parseErrorBody(response.body);
        return new ArmError({
            operation: request.operation,
            resourceId: request.resourceId,
            status: response.status,
            code,
            armMessage: message ? `${message}${tries}` : tries.trim() || undefined,
            requestId: response.headers["x-ms-request-id"],
            mayHaveSucceeded,
            onTarget: request.onTarget,
        });
    }
}

/** The global ARM hosts of the clouds, whose regional names (`eastus2euap.management.azure.com`) are ARM too. */
const CLOUD_ARM_HOSTS = new Set(["management.azure.com", "management.usgovcloudapi.net", "management.chinacloudapi.cn"]);

/**
 * Whether a URL an answer handed back is on a regional name of the configured cloud ARM host:
 * https, the default port, and exactly one label of lower-case letters and digits before it
 * (`centraluseuap.management.azure.com`). ARM hands these out in Azure-AsyncOperation and
 * Location when a request reached it through a regional name; Microsoft's docs call them with the
 * ordinary ARM token, and the Azure SDKs poll them with it. Only for the clouds' own ARM hosts:
 * a custom endpoint (Azure Stack, the emulator) has no regional names.
 */
export function isRegionalHost(url: URL, base: URL): boolean {
    const host = base.hostname.toLowerCase();
    if (!CLOUD_ARM_HOSTS.has(host) || base.protocol !== "https:" || base.port !== "") return false;
    if (url.protocol !== "https:" || url.port !== "" || url.username || url.password) return false;
    const label = url.hostname.toLowerCase().slice(0, -(host.length + 1));
    return url.hostname.toLowerCase() === `${label}.${host}` && /^[a-z0-9]{2,40}$/.test(label);
}

/** Whether axios would look for a proxy in the environment (HTTPS_PROXY and friends, any case). */
function usesEnvironmentProxy(env: NodeJS.ProcessEnv = process.env): boolean {
    return ["https_proxy", "all_proxy"].some((name) => Boolean(env[name] || env[name.toUpperCase()]));
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries((headers ?? {}) as Record<string, unknown>)) {
        if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
    }
    return out;
}

function parseBody(data: unknown): unknown {
    if (typeof data !== "string" || data.trim() === "") return data === "" ? undefined : data;
    try {
        return JSON.parse(data);
    } catch {
        return data;
    }
}
