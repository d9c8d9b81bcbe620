import { randomUUID } from "node:crypto";
import * as https from "node:https";
import { setTimeout as delay } from "node:timers/promises";
import axios, { type AxiosInstance } from "axios";
import type { ArmClient, ArmRequest, ArmResponse } from "../core/armClient";
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
    /** Per-request timeout. */
    requestTimeoutMs?: number;
    /** Injected in tests to observe waits instead of sleeping. */
    sleep?: (ms: number) => Promise<void>;
    now?: () => number;
    userAgent?: string;
}

const NETWORK_ERRORS = new Set(["ECONNRESET", "ECONNREFUSED", "ECONNABORTED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ERR_BAD_RESPONSE", "ERR_NETWORK"]);

/**
 * The ARM client over axios: bearer token, api-version, retries (Retry-After on 429/503, jittered
 * back-off on 408/409/5xx and dropped connections, capped in attempts and time), and long-running
 * operation polling. The token is only ever sent to the ARM endpoint's own origin.
 */
export class AxiosArmClient implements ArmClient {
    private readonly http: AxiosInstance;
    private readonly origin: string;
    private readonly retry: RetryOptions;
    private readonly poll: PollOptions;
    private readonly sleep: (ms: number) => Promise<void>;
    private readonly now: () => number;

    constructor(private readonly options: AxiosArmClientOptions) {
        this.origin = new URL(options.endpoint).origin;
        this.retry = { ...DEFAULT_RETRY, ...options.retry };
        this.poll = { ...DEFAULT_POLL, ...options.poll };
        this.sleep = options.sleep ?? ((ms) => delay(ms));
        this.now = options.now ?? Date.now;
        this.http = axios.create({
            httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 32 }),
            timeout: options.requestTimeoutMs ?? 60_000,
            validateStatus: () => true,
            maxRedirects: 0,
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

    async waitForCompletion(initial: ArmResponse, request: ArmRequest): Promise<void> {
        const target = pollTarget(initial.headers);
        if (!target) return; // Accepted without a monitor: nothing to follow; keys are read back anyway.
        const started = this.now();
        let wait = retryAfterMs(initial.headers) ?? this.poll.defaultPollDelayMs;
        for (;;) {
            if (this.now() - started + wait > this.poll.deadlineMs) {
                throw new ArmError({
                    operation: request.operation,
                    resourceId: request.resourceId,
                    code: "OperationTimedOut",
                    armMessage: `the long-running operation did not finish within ${Math.round(this.poll.deadlineMs / 1000)} s`,
                });
            }
            await this.sleep(wait);
            const pollRequest: ArmRequest = { ...request, method: "GET", body: undefined, operation: `${request.operation} (status)` };
            const response = await this.call(pollRequest, this.absolute(target.url, request), target.mode === "location" ? [200, 202, 204] : [200]);
            const state = target.mode === "location" ? locationState(response.status) : operationState((response.body as { status?: unknown })?.status);
            if (state === "succeeded") return;
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
            wait = retryAfterMs(response.headers) ?? this.poll.defaultPollDelayMs;
        }
    }

    private url(request: ArmRequest): string {
        if (/^https?:\/\//i.test(request.path)) return this.absolute(request.path, request);
        return `${this.options.endpoint}${request.path}?api-version=${encodeURIComponent(request.apiVersion)}`;
    }

    /** Resolves a URL ARM handed back (nextLink, monitor) and refuses any other origin. */
    private absolute(url: string, request: ArmRequest): string {
        const resolved = new URL(url, this.origin);
        if (resolved.origin !== this.origin) {
            throw new ArmError({
                operation: request.operation,
                resourceId: request.resourceId,
                code: "UntrustedUrl",
                armMessage: `ARM pointed to ${resolved.origin}, not ${this.origin}; the token is not sent there`,
            });
        }
        if (!resolved.searchParams.has("api-version")) resolved.searchParams.set("api-version", request.apiVersion);
        return resolved.toString();
    }

    private async call(request: ArmRequest, url: string, expect: readonly number[]): Promise<ArmResponse> {
        const started = this.now();
        let refreshedToken = false;
        for (let attempt = 1; ; attempt++) {
            const token = await this.options.tokens.token();
            let response: ArmResponse | undefined;
            let networkError: (Error & { code?: string }) | undefined;
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
                });
                response = { status: res.status, headers: lowerCaseHeaders(res.headers), body: parseBody(res.data) };
            } catch (error) {
                networkError = error as Error & { code?: string };
                if (!NETWORK_ERRORS.has(networkError.code ?? "") && !/socket hang up|aborted|timeout/i.test(networkError.message)) {
                    throw new ArmError({ operation: request.operation, resourceId: request.resourceId, armMessage: networkError.message });
                }
            }

            if (response && expect.includes(response.status)) return response;
            if (response?.status === 401 && !refreshedToken) {
                // An expired or revoked token: get a fresh one once, then retry at once.
                refreshedToken = true;
                await this.options.tokens.token(true);
                continue;
            }
            const retryable = networkError !== undefined || isRetryableStatus(response!.status);
            const wait = retryable
                ? nextDelayMs(attempt, this.now() - started, response ? retryAfterMs(response.headers, this.now()) : undefined, this.retry)
                : undefined;
            if (wait === undefined) throw this.failure(request, response, networkError, attempt);
            await this.sleep(wait);
        }
    }

    private failure(request: ArmRequest, response: ArmResponse | undefined, networkError: Error | undefined, attempts: number): ArmError {
        const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
        if (!response) {
            return new ArmError({
                operation: request.operation,
                resourceId: request.resourceId,
                code: (networkError as { code?: string }).code,
                armMessage: redact(`${networkError?.message ?? "connection failed"}${tries}`),
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
        });
    }
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
