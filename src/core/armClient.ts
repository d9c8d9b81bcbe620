/** One ARM call, as the core describes it. The client adds host, api-version, token and retries. */
export interface ArmRequest {
    method: "GET" | "POST";
    /** An ARM path the core built from the catalog, without host or query. */
    path?: string;
    /**
     * A URL an ARM answer handed back (a `nextLink`), kept opaque: the client resolves it against
     * the endpoint with the URL standard and refuses it when its origin is another.
     */
    url?: string;
    apiVersion: string;
    body?: unknown;
    /** Statuses that count as success; anything else is an error (after retries). */
    expect: readonly number[];
    /** For errors and logs: the ARM operation id and the resource it acts on. */
    operation: string;
    resourceId: string;
    /** The call acts on the target resource itself (not a page, trigger or operation under it): its 404 means the target is gone. */
    onTarget?: boolean;
}

export interface ArmResponse {
    status: number;
    /** Lower-cased header names. */
    headers: Readonly<Record<string, string>>;
    body: unknown;
}

/** What the core needs from Azure Resource Manager. Implemented over axios in `arm/client`. */
export interface ArmClient {
    send(request: ArmRequest): Promise<ArmResponse>;
    /**
     * Follows a long-running operation's 201/202 answer until it succeeds, and resolves with the
     * last status answer. Throws an ArmError when it ended Failed or Canceled (nothing changed), and
     * one with `mayHaveSucceeded` when it cannot tell (no monitor URL, or no end within the deadline).
     */
    waitForCompletion(initial: ArmResponse, request: ArmRequest): Promise<ArmResponse>;
}
