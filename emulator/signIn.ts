/**
 * Microsoft Entra ID's routes: OpenID configuration and the token endpoint on the authority (the
 * emulator's own address, or a cloud's authority name through the proxy), App Service's managed
 * identity endpoint and GitHub's federated token request on the emulator's address.
 */
import type { HostRole } from "./clouds";
import { errors } from "./errors";
import { type Dispatch, header } from "./http";
import type { Identity } from "./identity";

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const OPENID_PATH = /^\/([^/]+)(?:\/v2\.0)?\/\.well-known\/openid-configuration$/;
/** App Service's managed identity endpoint (IDENTITY_ENDPOINT) and GitHub's OIDC token request URL. */
export const MANAGED_IDENTITY_PATH = "/msi/token";
export const FEDERATED_TOKEN_PATH = "/oidc/token";

/** Operations of these routes (not ARM calls). */
export const SIGN_IN_OPERATIONS = ["Token", "OpenIdConfiguration", "ManagedIdentity", "FederatedToken"];

/**
 * The sign-in route a request takes, or undefined. `audiences` are what ARM at this host accepts;
 * `anyAudience` what a managed identity may ask for (every cloud's).
 */
export function signInDispatch(
    identity: Identity,
    method: string,
    path: string,
    role: HostRole,
    base: string,
    audiences: readonly string[],
    anyAudience: readonly string[],
): Dispatch | undefined {
    let m = OPENID_PATH.exec(path);
    if (m && method === "GET" && role.role !== "resourceManager") {
        const tenant = m[1];
        return { operation: "OpenIdConfiguration", run: () => identity.openIdConfiguration(base, tenant) };
    }
    m = TOKEN_PATH.exec(path);
    if (m && method === "POST" && role.role !== "resourceManager") {
        const tenant = m[1];
        return { operation: "Token", run: (_req, _url, body) => identity.token(base, tenant, new URLSearchParams(body), audiences) };
    }
    if (role.role === "authority") return { operation: "Unknown", run: () => errors.noRoute(method, path) };
    if (role.role !== "emulator") return undefined;
    if (method === "GET" && path === MANAGED_IDENTITY_PATH) {
        // A machine's managed identity asks for whichever cloud it is in.
        return {
            operation: "ManagedIdentity",
            run: (req, url) => identity.managedIdentityToken(base, header(req, "x-identity-header"), url.searchParams, anyAudience),
        };
    }
    if (method === "GET" && path === FEDERATED_TOKEN_PATH) {
        return { operation: "FederatedToken", run: (req, url) => identity.federatedTokenRequest(req.headers.authorization, url.searchParams) };
    }
    return undefined;
}
