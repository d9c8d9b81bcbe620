/**
 * Why signing in failed, when MSAL does not say: it reports an untrusted certificate, nothing
 * listening and an unknown tenant alike as `endpoints_resolution_error`. Run only after a failure:
 * one plain HTTPS request to the authority's OpenID configuration, then one to the ARM endpoint,
 * each classified by Node's error code or the HTTP status. TLS checks stay on; nothing secret is
 * sent (no credential, no token) and nothing from an answer is quoted.
 */
import * as https from "node:https";

/** Where signing in went, and where each address came from (for the message). */
export interface SignInTarget {
    /** The authority host's origin, e.g. `https://login.microsoftonline.com`. */
    authorityHost: string;
    /** e.g. `AZURE_AUTHORITY_HOST`, or `the public cloud's default`. */
    authorityFrom: string;
    /** The ARM endpoint the token is asked for (its scope is `<endpoint>/.default`). */
    endpoint: string;
    /** e.g. `AZURE_RESOURCE_MANAGER_ENDPOINT`. */
    endpointFrom: string;
    /** The tenant signed in to, and the setting it came from, when known. */
    tenant?: { id: string; from: string };
}

/** How one request ended: an HTTP status, or the Node error code of a failed connection. */
export type ProbeResult = { status: number } | { code: string };

/** Makes one GET request; never throws. */
export type Probe = (url: string, timeoutMs: number) => Promise<ProbeResult>;

/** Node's codes for a certificate chain that does not lead to a trusted CA. */
const UNTRUSTED = new Set([
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "CERT_UNTRUSTED",
]);

const PROBE_TIMEOUT_MS = 5_000;

/** One GET with Node's defaults: TLS verified against the trusted CAs (NODE_EXTRA_CA_CERTS included). */
export const httpsProbe: Probe = (url, timeoutMs) =>
    new Promise((resolve) => {
        const request = https.get(url, { timeout: timeoutMs, headers: { Accept: "application/json" } }, (response) => {
            response.resume();
            resolve({ status: response.statusCode ?? 0 });
        });
        request.on("timeout", () => request.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
        request.on("error", (error: NodeJS.ErrnoException) => resolve({ code: error.code ?? "UNKNOWN" }));
    });

/** What a failed connection to `what` (at `url`, from `from`) means, in words a user can act on. */
function connectionProblem(code: string, what: string, url: string, from: string): string {
    const host = new URL(url).host;
    const at = `${what} ${url} (from ${from})`;
    if (UNTRUSTED.has(code)) {
        return (
            `the TLS certificate of ${host} is not trusted (${code}): its CA is not among those this process trusts. ` +
            "For the emulator, set NODE_EXTRA_CA_CERTS to its CA file (the environment the emulator writes does) in the shell that runs `pulumi up`: " +
            "Node reads it once, when a process starts"
        );
    }
    if (code === "CERT_HAS_EXPIRED")
        return `the TLS certificate of ${host} has expired (${code}); for the emulator, restart it (a new CA is made when the old one expires) and load its environment again`;
    if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return `the TLS certificate of ${host} does not name that host (${code}); check ${from}`;
    if (code === "ECONNREFUSED") return `nothing is listening at ${at}; check that the emulator (or the endpoint) runs, on that port`;
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `the host name of ${at} does not resolve (${code})`;
    if (code === "TIMEOUT") return `${at} did not answer within ${PROBE_TIMEOUT_MS / 1000} s`;
    return `connecting to ${at} failed (${code})`;
}

/**
 * Why signing in to `target` failed, or undefined when the authority and the ARM endpoint both
 * answer (the sign-in error itself then says why: a wrong secret, an unknown client).
 */
export async function diagnoseSignIn(target: SignInTarget, probe: Probe = httpsProbe): Promise<string | undefined> {
    const tenant = target.tenant?.id ?? "organizations";
    const discovery = `${target.authorityHost}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`;
    const authority = await probe(discovery, PROBE_TIMEOUT_MS);
    if ("code" in authority) return connectionProblem(authority.code, "the authority host", target.authorityHost, target.authorityFrom);
    if (authority.status === 400 || authority.status === 404) {
        return target.tenant
            ? `the authority ${target.authorityHost} (from ${target.authorityFrom}) does not know the tenant from ${target.tenant.from}: check that tenant id, and that this is the authority it belongs to`
            : `the authority ${target.authorityHost} (from ${target.authorityFrom}) answered ${authority.status} to its OpenID configuration: is it a Microsoft Entra authority?`;
    }
    if (authority.status >= 300)
        return `the authority ${target.authorityHost} (from ${target.authorityFrom}) answered HTTP ${authority.status} to its OpenID configuration`;
    if (new URL(target.endpoint).origin === new URL(target.authorityHost).origin) return undefined;
    const arm = await probe(`${target.endpoint}/`, PROBE_TIMEOUT_MS);
    if ("code" in arm) {
        return (
            `${connectionProblem(arm.code, "the ARM endpoint", target.endpoint, target.endpointFrom)}. ` +
            `The token is asked for that endpoint (scope ${new URL(target.endpoint).origin}/.default), so the authority may refuse it too (AADSTS500011)`
        );
    }
    return undefined;
}
