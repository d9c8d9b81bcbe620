/** What an ARM call was doing when it failed. */
export interface ArmErrorContext {
    operation: string;
    resourceId: string;
    status?: number;
    code?: string;
    armMessage?: string;
    requestId?: string;
    /**
     * The call may have taken effect although it did not succeed: no answer came after the request
     * was sent, or a long-running operation did not end within the deadline.
     */
    mayHaveSucceeded?: boolean;
    /** The call acted on the target resource itself, so a 404 means the target is gone. */
    onTarget?: boolean;
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
    /** Whether the call may have taken effect all the same (see {@link ArmErrorContext.mayHaveSucceeded}). */
    readonly mayHaveSucceeded: boolean;
    /** Whether the call acted on the target resource itself (a 404 then means the target is gone). */
    readonly onTarget: boolean;

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
        this.mayHaveSucceeded = context.mayHaveSucceeded ?? false;
        this.onTarget = context.onTarget ?? false;
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
            // Redacted whole, then cut: a cut first could split a key, and neither half would be recognized.
            return { message: redact(text).slice(0, 300) };
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

/** Names whose value is a secret in `name=value`, `name: value`, `"name":"value"` or `name%3Dvalue`, spaced or not. */
const SECRET_NAMES = [
    "sig",
    "accesskey",
    "sharedaccesskey",
    "accountkey",
    "password",
    "client_secret",
    "client_assertion",
    "api-key",
    "subscription-key",
    "ocp-apim-subscription-key",
    "primarykey",
    "secondarykey",
    "primarymasterkey",
    "secondarymasterkey",
    "primaryreadonlymasterkey",
    "secondaryreadonlymasterkey",
    "access_token",
    "refresh_token",
];
/** Names too common in prose to redact after a colon: only `name=value` and `"name":"value"`. */
// `signature`: the HMAC-SHA256 scheme's `Signature=` (App Configuration, Communication Services), made with the key.
const ASSIGNED_NAMES = ["sn", "se", "code", "secret", "token", "value", "key", "key1", "key2", "password2", "primary", "secondary", "signature"];

// Never a value already redacted: a message redacted twice (a probe's answer, then the error holding it) would read `key=[redacted]]`.
const VALUE = `(?!\\[redacted)[^;&\\s"'<>,}\\]]+`;
const EQUALS = `\\s*(?:=|%3D|%253D)\\s*`;
const names = (list: string[]) => list.map((n) => n.replace(/-/g, "\\-")).join("|");
const BEFORE = "(?:^|[^A-Za-z0-9_-])";

const REDACTIONS: Array<[RegExp, string]> = [
    [/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, "$1[redacted]"],
    [/(SharedAccessSignature\s+)[^\s"',]+/gi, "$1[redacted]"],
    [new RegExp(`(${BEFORE}(?:${names(SECRET_NAMES)})(?:\\?"|%22)?\\s*(?:=|:|%3D|%253D|%3A)\\s*(?:\\?"|%22|')?)${VALUE}`, "gi"), "$1[redacted]"],
    [new RegExp(`(${BEFORE}(?:${names(ASSIGNED_NAMES)})${EQUALS})${VALUE}`, "gi"), "$1[redacted]"],
    // In JSON, "code" is an error code, which a user needs to see.
    [new RegExp(`(${BEFORE}(?:${names(ASSIGNED_NAMES.filter((n) => n !== "code"))})\\\\?"\\s*:\\s*\\\\?")[^"\\\\]+`, "gi"), "$1[redacted]"],
    [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, "[redacted-token]"],
];

/** A bare key: a long run of base64 or hex that looks random (mixed case and digits, no long words). */
const BARE_KEY = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{20,}={0,2}(?![A-Za-z0-9+/=_-])/g;
/** ARM resource ids and paths, which name resources (not secrets) and are kept for the bare-key check. */
const RESOURCE_PATH = /\/subscriptions\/[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}(?:\/[\p{L}\p{N}._()-]+)*/gu;

/**
 * Whether a run of base64 or hex characters looks like a key: 32+ hex digits, or random-looking
 * base64 (upper and lower case and digits mixed, no long words). A run with slashes is judged part
 * by part, so a path such as `SignalRService/signalR/hub-prod-01` is kept while a key that happens
 * to hold a slash is not.
 */
const bareKey = (run: string) => (looksLikeKey(run) ? "[redacted]" : run);

function looksLikeKey(run: string): boolean {
    if (/^[0-9a-f]{32,}$/i.test(run)) return true;
    // Base64 padding ends keys, never paths or words.
    if (/[A-Za-z0-9]={1,2}$/.test(run) && run.length >= 24) return true;
    const parts = run.replace(/=+$/, "").split("/");
    return parts.some((part) => part.length >= (parts.length > 1 ? 10 : 20) && randomLooking(part, run.length >= 40));
}

/**
 * Mixed case and digits, without a word's run of letters of one case. A random 40-character key
 * holds a run of 8 such letters about one time in 35, so parts of long runs are allowed a longer one.
 */
function randomLooking(part: string, long: boolean): boolean {
    const word = long ? /[a-z]{16}|[A-Z]{16}/ : /[a-z]{8}|[A-Z]{8}/;
    return /[A-Z]/.test(part) && /[a-z]/.test(part) && /[0-9]/.test(part) && !word.test(part);
}

/**
 * Values known to be secret in this process: tokens, the client secret, every key read, each in the
 * encodings it may appear in. Capped, so that memory stays flat however many KeyRotations one
 * deployment holds: 2,000 values are the keys of the last hundred rotations or more, which is all a
 * message can hold (a message holds the values of the call that made it, given to {@link redact}
 * too); older keys that are shaped like keys are still caught by the patterns.
 */
const KNOWN_SECRETS = new Set<string>();
const MAX_KNOWN = 2_000;
/** {@link KNOWN_SECRETS}, longest first, made again only when the set changed. */
let longestFirst: string[] | undefined;

/**
 * Remembers a secret value so that {@link redact} removes it from any later message, in the
 * encodings it may appear in (as is, URL-encoded, JSON-escaped, base64url).
 */
export function rememberSecret(value: unknown): void {
    if (typeof value !== "string" || value.length < 8) return;
    const variants = new Set([
        value,
        encodeURIComponent(value),
        encodeURIComponent(encodeURIComponent(value)),
        JSON.stringify(value).slice(1, -1).replace(/\//g, "\\/"),
        value.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
    ]);
    for (const variant of variants) {
        // Remembered again, a value becomes the newest.
        KNOWN_SECRETS.delete(variant);
        KNOWN_SECRETS.add(variant);
    }
    // Past the cap, the oldest values go first (a Set keeps insertion order): the newest keys stay redacted.
    for (const oldest of KNOWN_SECRETS) {
        if (KNOWN_SECRETS.size <= MAX_KNOWN) break;
        KNOWN_SECRETS.delete(oldest);
    }
    longestFirst = undefined;
}

/** How many values {@link redact} removes by name (for tests: it never exceeds the cap). */
export function knownSecretCount(): number {
    return KNOWN_SECRETS.size;
}

/** Removes every known secret and anything shaped like a token, signature or key from a message. */
export function redact(message: string, secrets: readonly string[] = []): string {
    let out = message;
    longestFirst ??= [...KNOWN_SECRETS].sort((a, b) => b.length - a.length);
    const own = secrets.filter((s) => s && s.length >= 8).sort((a, b) => b.length - a.length);
    for (const secret of own) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
    for (const secret of longestFirst) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
    for (const [pattern, replacement] of REDACTIONS) out = out.replace(pattern, replacement);
    // Bare keys are looked for everywhere but inside resource ids.
    let result = "";
    let last = 0;
    for (const id of out.matchAll(RESOURCE_PATH)) {
        result += out.slice(last, id.index).replace(BARE_KEY, bareKey) + id[0];
        last = id.index + id[0].length;
    }
    return result + out.slice(last).replace(BARE_KEY, bareKey);
}
