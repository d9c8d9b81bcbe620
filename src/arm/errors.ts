/** What an ARM call was doing when it failed. */
export interface ArmErrorContext {
    operation: string;
    resourceId: string;
    status?: number;
    code?: string;
    armMessage?: string;
    requestId?: string;
}

/**
 * A failed Azure Resource Manager call: names the resource, the operation, the HTTP status and
 * ARM's error code and message. Messages never carry keys, connection strings, URLs' signatures
 * or tokens (see `redact`).
 */
export class ArmError extends Error {
    /** Always `"ArmError"`; {@link isArmError} checks it. */
    override readonly name = "ArmError";
    /** The ARM operation id, e.g. `SignalR_RegenerateKey`. */
    readonly operation: string;
    /** The ARM id of the resource the operation acted on. */
    readonly resourceId: string;
    /** The HTTP status, or undefined when no response came (a dropped connection, a timeout). */
    readonly status?: number;
    /** ARM's error code, e.g. `AuthorizationFailed`. */
    readonly code?: string;
    /** ARM's error message, with anything that looks like a key or token removed. */
    readonly armMessage?: string;
    /** The `x-ms-request-id` of the failed response, for Azure support. */
    readonly requestId?: string;

    /** The message is built from the context: operation, resource, status, code, message, request id. */
    constructor(context: ArmErrorContext) {
        const what = context.status !== undefined ? `HTTP ${context.status}` : "no response";
        const detail = [context.code, context.armMessage].filter(Boolean).join(": ");
        const request = context.requestId ? ` (x-ms-request-id ${context.requestId})` : "";
        super(redact(`${context.operation} on ${context.resourceId} failed: ${what}${detail ? ` ${detail}` : ""}${request}`));
        this.operation = context.operation;
        this.resourceId = context.resourceId;
        this.status = context.status;
        this.code = context.code;
        this.armMessage = context.armMessage === undefined ? undefined : redact(context.armMessage);
        this.requestId = context.requestId;
    }
}

/** Checks by name, so it works across copies of this package. */
export function isArmError(error: unknown): error is ArmError {
    return error instanceof Error && error.name === "ArmError";
}

/**
 * Reads ARM's error code and message from a response body. Handles the common ARM shape
 * `{error:{code,message}}` (APIM's too, which adds details), a bare `{code,message}`, and the
 * token endpoint's `{error, error_description}`; falls back to a short text body.
 */
export function parseErrorBody(body: unknown): { code?: string; message?: string } {
    if (typeof body === "string") {
        const text = body.trim();
        if (!text) return {};
        try {
            return parseErrorBody(JSON.parse(text));
        } catch {
            return { message: text.slice(0, 300) };
        }
    }
    if (!body || typeof body !== "object") return {};
    const record = body as Record<string, unknown>;
    const inner = record.error;
    if (inner && typeof inner === "object") {
        const e = inner as Record<string, unknown>;
        const details = Array.isArray(e.details)
            ? e.details
                  .map((d) => (d && typeof d === "object" ? (d as Record<string, unknown>).message : undefined))
                  .filter((m): m is string => typeof m === "string")
            : [];
        const message = [e.message, ...details].filter((m) => typeof m === "string" && m !== "").join(" ");
        return { code: str(e.code), message: message || undefined };
    }
    if (typeof inner === "string") return { code: inner, message: str(record.error_description) };
    return { code: str(record.code), message: str(record.message) };
}

function str(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" ? value : undefined;
}

const REDACTIONS: Array<[RegExp, string]> = [
    [/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, "$1[redacted]"],
    [/((?:sig|accesskey|sharedaccesskey|client_secret|code)=)[^;&\s"']+/gi, "$1[redacted]"],
    [/(eyJ[A-Za-z0-9_-]{8,})\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, "[redacted-token]"],
];

/** Removes anything shaped like a token, signature or connection-string key from a message. */
export function redact(message: string, secrets: readonly string[] = []): string {
    let out = message;
    for (const secret of secrets) if (secret && secret.length >= 8) out = out.split(secret).join("[redacted]");
    for (const [pattern, replacement] of REDACTIONS) out = out.replace(pattern, replacement);
    return out;
}
