/**
 * Long-running operations: a regenerate accepted with 202 is an operation with two monitors (an
 * Azure-AsyncOperation status URL and a Location result URL). The monitors are matched by their
 * exact path, so a client that does not use the URL it was given as is finds nothing.
 */
import { randomUUID } from "node:crypto";
import { armError, type EmulatorResponse } from "../errors";

export type OperationStatus = "InProgress" | "Succeeded" | "Failed" | "Canceled";

export interface Operation {
    id: string;
    resourceId: string;
    keyType: string;
    /** The keys the resource has once the operation succeeds. */
    keysWhenDone: Record<string, string>;
    pollsLeft: number;
    startedAt: number;
    /** It never ends by itself (a fault): every poll answers InProgress. */
    endless: boolean;
    status: OperationStatus;
    error?: { code: string; message: string };
}

export interface OperationOptions {
    /** Status polls answered "InProgress" before "Succeeded". */
    pollsUntilDone: number;
    /** Retry-After on the 202 and on in-progress polls; undefined sends none. */
    retryAfterSeconds?: number;
    /** An operation nobody polls still completes after this long. */
    completeAfterMs: number;
}

/** What a poll finds, for the plane to apply (completion installs the keys). */
export interface PollResult {
    response: EmulatorResponse;
    operation?: Operation;
    /** The operation reached a terminal state on this poll. */
    ended?: boolean;
}

export class Operations {
    private readonly byPath = new Map<string, { operation: Operation; kind: "status" | "result" }>();

    /** Registers an operation under its monitor paths; returns it. */
    start(
        init: Omit<Operation, "id" | "status" | "startedAt">,
        monitors: (id: string) => { status: string; result: string },
    ): Operation & { monitors: { status: string; result: string } } {
        const id = randomUUID();
        const operation: Operation = { ...init, id, status: "InProgress", startedAt: Date.now() };
        const paths = monitors(id);
        this.byPath.set(paths.status, { operation, kind: "status" });
        this.byPath.set(paths.result, { operation, kind: "result" });
        return Object.assign(operation, { monitors: paths });
    }

    /** How many operations are still running. */
    get running(): number {
        let n = 0;
        for (const { operation, kind } of this.byPath.values()) if (kind === "status" && operation.status === "InProgress") n++;
        return n;
    }

    /** Whether a path is one of the monitors handed out. */
    has(path: string): boolean {
        return this.byPath.has(path);
    }

    kindOf(path: string): "status" | "result" | undefined {
        return this.byPath.get(path)?.kind;
    }

    /** Ends the operation as Failed or Canceled (a fault), unless it already ended. */
    end(path: string, status: "Failed" | "Canceled", error?: { code: string; message: string }): Operation | undefined {
        const found = this.byPath.get(path);
        if (found?.operation.status !== "InProgress") return undefined;
        found.operation.status = status;
        if (status === "Failed") found.operation.error = error;
        return found.operation;
    }

    /** Answers a poll of a monitor URL, advancing the operation. */
    poll(path: string, options: OperationOptions): PollResult {
        const found = this.byPath.get(path);
        if (!found) return { response: armError(404, "OperationNotFound", "The operation was not found.") };
        const { operation, kind } = found;
        let ended = false;
        if (operation.status === "InProgress" && !operation.endless) {
            operation.pollsLeft--;
            const overdue = Date.now() - operation.startedAt >= options.completeAfterMs;
            if (operation.pollsLeft <= 0 || overdue) {
                operation.status = "Succeeded";
                ended = true;
            }
        }
        const retryAfter: Record<string, string> = options.retryAfterSeconds === undefined ? {} : { "Retry-After": String(options.retryAfterSeconds) };
        const running = operation.status === "InProgress";
        if (kind === "result") {
            if (operation.status === "Failed" || operation.status === "Canceled") {
                return {
                    operation,
                    ended,
                    response: armError(400, operation.error?.code ?? "OperationCanceled", operation.error?.message ?? "The operation was canceled."),
                };
            }
            // As SignalR's final Location GET: 200 with an empty body once done.
            return { operation, ended, response: running ? { status: 202, headers: retryAfter } : { status: 200, rawBody: "" } };
        }
        return {
            operation,
            ended,
            response: {
                status: 200,
                headers: running ? retryAfter : undefined,
                body: {
                    id: `${operation.resourceId}/operationStatuses/${operation.id}`,
                    name: operation.id,
                    status: operation.status,
                    startTime: new Date(operation.startedAt).toISOString(),
                    ...(running ? {} : { endTime: new Date().toISOString() }),
                    ...(operation.error ? { error: operation.error } : {}),
                },
            },
        };
    }
}
