/** Limits for retrying one ARM call. Durations in milliseconds. */
export interface RetryOptions {
    /** Attempts in all, the first included. */
    maxAttempts: number;
    /** No retry starts after this much time since the first attempt. */
    maxTotalMs: number;
    /** Base of the exponential back-off. */
    baseDelayMs: number;
    /** Largest single wait, Retry-After included. */
    maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 6, maxTotalMs: 120_000, baseDelayMs: 800, maxDelayMs: 30_000 };

/** Statuses worth another try: throttling, timeouts, conflicts on a busy resource, server errors. */
export function isRetryableStatus(status: number): boolean {
    return status === 408 || status === 409 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * Reads how long the server asked us to wait: `retry-after-ms`, `x-ms-retry-after-ms`, then
 * `Retry-After` in seconds or as an HTTP date. Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now = Date.now()): number | undefined {
    for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
        const ms = Number(headers[name]);
        if (headers[name] !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
    }
    const value = headers["retry-after"];
    if (value === undefined || value.trim() === "") return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential back-off with full jitter for the given (1-based) failed attempt. */
export function backoffMs(attempt: number, options: RetryOptions, random = Math.random): number {
    const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The wait before the next attempt, or undefined when no further attempt should be made.
 * Retry-After is honoured when the server sends it (429/503 always do on Azure).
 */
export function nextDelayMs(
    attempt: number,
    elapsedMs: number,
    serverDelayMs: number | undefined,
    options: RetryOptions,
    random = Math.random,
): number | undefined {
    if (attempt >= options.maxAttempts) return undefined;
    const delay = Math.min(options.maxDelayMs, serverDelayMs ?? backoffMs(attempt, options, random));
    return elapsedMs + delay > options.maxTotalMs ? undefined : delay;
}
