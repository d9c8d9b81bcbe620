/** What a fault does to the requests it matches. */
export type FaultEffect =
    | { status: number; retryAfterSeconds?: number; code?: string; message?: string }
    | { drop: true }
    | { delayMs: number }
    /** Ends the long-running operation being polled as Failed (with this error) or Canceled; its key stays as it was. */
    | { operationEnds: "Failed" | "Canceled"; code?: string; message?: string };

/** Which requests a fault hits: by operation id (e.g. "SignalR_ListKeys", "Token") and/or path fragment. */
export interface FaultMatch {
    operation?: string;
    method?: string;
    pathIncludes?: string;
}

export type Fault = FaultMatch & FaultEffect & { /** How many matching requests it hits (default 1). */ count?: number };

interface ActiveFault {
    fault: Fault;
    remaining: number;
}

/** Faults for the next N matching requests, consumed in the order they were added. */
export class FaultInjector {
    private faults: ActiveFault[] = [];

    add(fault: Fault): void {
        this.faults.push({ fault, remaining: fault.count ?? 1 });
    }

    clear(): void {
        this.faults = [];
    }

    /** The fault for this request, if any, consuming one of its hits. */
    take(method: string, path: string, operation: string): Fault | undefined {
        const active = this.faults.find(
            ({ fault, remaining }) =>
                remaining > 0 &&
                (!fault.operation || fault.operation.toLowerCase() === operation.toLowerCase()) &&
                (!fault.method || fault.method.toUpperCase() === method) &&
                (!fault.pathIncludes || path.toLowerCase().includes(fault.pathIncludes.toLowerCase())),
        );
        if (!active) return undefined;
        active.remaining--;
        this.faults = this.faults.filter((f) => f.remaining > 0);
        return active.fault;
    }

    get pending(): number {
        return this.faults.reduce((n, f) => n + f.remaining, 0);
    }
}
