/** A response the emulator sends; every error body comes from the factory below. */
export interface EmulatorResponse {
    /** The HTTP status. */
    status: number;
    /** A JSON body. */
    body?: unknown;
    /** A body sent as is (an empty body, an HTML page), instead of `body`. */
    rawBody?: string | Buffer;
    /** With `rawBody`: its content type. */
    contentType?: string;
    /** Response headers, e.g. `Retry-After`, `Location`. */
    headers?: Record<string, string>;
    /** The HTTP reason phrase, where a service sends its own (Storage's authentication failures). */
    statusMessage?: string;
}

/** ARM's common error shape: `{ error: { code, message } }`. */
export function armError(status: number, code: string, message: string): EmulatorResponse {
    return { status, body: { error: { code, message } } };
}

/** API Management's own error shape: `{ error: { code, message, details } }`. */
export function apimError(status: number, code: string, message: string): EmulatorResponse {
    return { status, body: { error: { code, message, details: null } } };
}

/** The token endpoint's OAuth error shape. */
export function oauthError(status: number, error: string, description: string, code: number): EmulatorResponse {
    return {
        status,
        body: { error, error_description: `AADSTS${code}: ${description}`, error_codes: [code], timestamp: new Date().toISOString() },
    };
}

export const errors = {
    missingAuthorization: () => armError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."),
    invalidToken: (why: string) => armError(401, "InvalidAuthenticationToken", `The access token is invalid: ${why}.`),
    expiredToken: () => armError(401, "ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time."),
    missingApiVersion: () => armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."),
    unsupportedApiVersion: (version: string, type: string, supported: readonly string[]) =>
        armError(
            400,
            "NoRegisteredProviderFound",
            `No registered resource provider found for location 'westus' and API version '${version}' for type '${type}'. ` +
                `The supported api-versions are '${supported.join(", ")}'.`,
        ),
    resourceNotFound: (type: string, name: string, group: string) =>
        armError(404, "ResourceNotFound", `The Resource '${type}/${name}' under resource group '${group}' was not found.`),
    badKeyType: (value: unknown, allowed: readonly string[]) =>
        armError(400, "InvalidRequestContent", `The key type '${String(value)}' is not valid; expected one of ${allowed.join(", ")}.`),
    conflict: (id: string) => armError(409, "Conflict", `Another operation is in progress on resource '${id}'. Retry after it completes.`),
    noRoute: (method: string, path: string) => armError(404, "NotFound", `No route matches ${method} ${path}.`),
};
