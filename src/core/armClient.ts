/** One ARM call, as the core describes it. The client adds host, api-version, token and retries. */
export interface ArmRequest {
    method: "GET" | "POST";
    /** ARM path without host or query, or an absolute next-page URL returned by ARM. */
    path: string;
    apiVersion: string;
    body?: unknown;
    /** Statuses that count as success; anything else is an error (after retries). */
    expect: readonly number[];
    /** For errors and logs: the ARM operation id and the resource it acts on. */
    operation: string;
    resourceId: string;
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
    /** Follows a long-running operation's 201/202 answer until it succeeds; throws if it fails. */
    waitForCompletion(initial: ArmResponse, request: ArmRequest): Promise<void>;
}
