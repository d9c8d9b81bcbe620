/** Durations in milliseconds. */
export interface PollOptions {
    /** Wait between polls when the server sends no Retry-After. */
    defaultPollDelayMs: number;
    /** Stop following it (with an error saying it may still complete) this long after it was accepted. */
    deadlineMs: number;
    /** The longest wait between polls: a larger Retry-After is cut to this (and to the time left). */
    maxPollDelayMs: number;
    /** The shortest wait between polls, whatever Retry-After says, so a `Retry-After: 0` cannot flood ARM. */
    minPollDelayMs: number;
    /** The most status polls of one operation. */
    maxPolls: number;
}

export const DEFAULT_POLL: PollOptions = { defaultPollDelayMs: 2_000, deadlineMs: 10 * 60_000, maxPollDelayMs: 60_000, minPollDelayMs: 100, maxPolls: 600 };

export type PollMode = "azure-async-operation" | "location";

/** Where to follow a long-running operation: Azure-AsyncOperation first, else Location. */
export function pollTarget(headers: Readonly<Record<string, string>>): { url: string; mode: PollMode } | undefined {
    if (headers["azure-asyncoperation"]) return { url: headers["azure-asyncoperation"], mode: "azure-async-operation" };
    if (headers.location) return { url: headers.location, mode: "location" };
    return undefined;
}

export type OperationState = "running" | "succeeded" | "failed" | "canceled";

/** Maps an Azure-AsyncOperation status (any casing, RP-specific in-progress values) to a state. */
export function operationState(status: unknown): OperationState {
    switch (String(status ?? "").toLowerCase()) {
        case "succeeded":
            return "succeeded";
        case "failed":
            return "failed";
        case "canceled":
        case "cancelled":
            return "canceled";
        default:
            return "running";
    }
}

/** The state a Location poll's HTTP status means: 202 still running, 200/204 done. */
export function locationState(status: number): OperationState {
    return status === 202 ? "running" : "succeeded";
}
