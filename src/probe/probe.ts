/**
 * Proving a key works: the catalog's probe for the service, signed by the scheme's signer, sent to
 * the data plane, and retried with back-off until the service accepts the key or a deadline passes
 * (a new key takes a while to reach every region and gateway).
 */
import { redact } from "../arm/errors";
import { CLOUD_SUFFIXES, type CloudName, type ProbeRequest, type ProbeSpec } from "../catalog/lookup";
import type { TargetResource } from "../core/resourceId";
import { SIGNERS } from "./signers";
import { probeRequest, tlsExchange } from "./transport";

/** What the probe signs with: the key, and the values of the key set its scheme needs. */
export interface ProbeCredential {
    key: string;
    connectionString?: string;
    username?: string;
    endpoint?: string;
    /** Storage: the account's endpoints by service, from its GET (Azure DNS zone endpoints are not on the standard hosts). */
    endpoints?: Record<string, string>;
}

/** One probe's result. `answer` says what the data plane did, without any secret. */
export interface ProbeOutcome {
    accepted: boolean;
    answer: string;
    /** No answer came at all (name resolution, connection, TLS, timeout): the data plane may be out of reach from here. */
    unreachable: boolean;
    /**
     * An answer that neither accepts nor refuses a key (not 401 or 403): a 400 or 404, say, which
     * waiting will not change. Busy answers (408, 429, 5xx) are not: they are waited out.
     */
    inconclusive?: boolean;
    /** How far this machine's clock is ahead of the data plane's (its `Date` header), when it answered with one. */
    clockSkewMs?: number;
}

/** How long after a first refusal of the key that works it is asked again, before the cause is called the network. */
export const CONTROL_CONFIRM_MS = 5_000;

/** An answer that refuses the key (401, 403, a Redis error reply): not a busy or missing answer. */
function isRefusal(outcome: ProbeOutcome): boolean {
    return !outcome.accepted && !outcome.unreachable && !outcome.inconclusive && /^HTTP (401|403)\b|answered -/.test(outcome.answer);
}

/** Clock skew beyond which signed requests are refused for their date, not their key (the services allow 5 to 15 minutes). */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** The outcome of proving a key: the last probe's, how many were sent, over how long. */
export interface VerifyResult extends ProbeOutcome {
    attempts: number;
    elapsedMs: number;
    /**
     * Refused for a reason waiting cannot change: the answer says shared keys are off, or the key
     * that still works was refused too (`network`: a firewall in front of the data plane).
     */
    blocked?: "sharedKeys" | "network" | "clock";
    /** With `network`: what the key that still works was answered. */
    controlAnswer?: string;
}

export interface VerifyOptions {
    /** Give up after this long. */
    deadlineMs: number;
    /**
     * A key that works now (the one consumers hold): when the new key is refused, it is probed once.
     * Refused too, the cause is not propagation but the network (or shared keys turned off), and
     * waiting cannot help: verification ends at once.
     */
    control?: ProbeCredential;
    /** Each probe ends within this long. */
    requestTimeoutMs?: number;
    sleep?: (ms: number) => Promise<void>;
    now?: () => number;
}

/** Fills a probe template: names, subscription and group, cloud suffixes, `{endpoint}`, `{username}`, `{cs:Part}`. */
export function fillProbeTemplate(template: string, target: TargetResource, cloud: CloudName, credential: ProbeCredential): string {
    const names: Record<string, string> = { ...target.names, subscriptionId: target.subscriptionId, resourceGroupName: target.resourceGroupName };
    return template.replace(/\{([^}]+)\}/g, (whole, name: string) => {
        if (name.startsWith("cloud:")) return CLOUD_SUFFIXES[cloud][name.slice(6) as keyof (typeof CLOUD_SUFFIXES)["public"]] ?? whole;
        if (name === "endpoint") return required(credential.endpoint, "endpoint").replace(/\/+$/, "");
        if (name === "username") return required(credential.username, "username");
        if (name.startsWith("endpoints.")) {
            const service = name.slice("endpoints.".length);
            const given = credential.endpoints?.[service];
            // Without the account's own endpoints, the standard host of the cloud.
            return (given ?? `https://${names.accountName ?? ""}.${service}.${CLOUD_SUFFIXES[cloud].storage}`).replace(/\/+$/, "");
        }
        if (name.startsWith("cs:")) return connectionStringPart(required(credential.connectionString, "connection string"), name.slice(3)).replace(/\/+$/, "");
        return names[name] ?? whole;
    });
}

function required(value: string | undefined, what: string): string {
    if (!value) throw new Error(`the probe needs the ${what}, which the key set does not have`);
    return value;
}

/** A part of a `Name=value;Name=value` connection string, the name compared ignoring case. */
function connectionStringPart(connectionString: string, name: string): string {
    for (const part of connectionString.split(";")) {
        const at = part.indexOf("=");
        if (at > 0 && part.slice(0, at).trim().toLowerCase() === name.toLowerCase()) return part.slice(at + 1).trim();
    }
    throw new Error(`the connection string has no ${name}`);
}

/** The probe in words, for messages and the README: method, URL (filled where it can be) and scheme. */
export function describeProbe(spec: ProbeSpec, target?: TargetResource, cloud?: CloudName, credential?: ProbeCredential): string {
    const first = spec.requests[0];
    let url = first.url;
    if (target && cloud && credential) {
        try {
            url = fillProbeTemplate(first.url, target, cloud, credential);
        } catch {
            // Keep the template: the message says what is missing elsewhere.
        }
    }
    if (url.startsWith("rediss://")) return `AUTH at ${url.slice("rediss://".length)} (${SCHEME_NAMES[spec.scheme]})`;
    return `${first.method} ${url} (${SCHEME_NAMES[spec.scheme]})`;
}

const SCHEME_NAMES: Readonly<Record<ProbeSpec["scheme"], string>> = {
    jwt: "an access token signed with the key",
    acsHmac: "HMAC-SHA256 request signing",
    appConfigHmac: "HMAC-SHA256 request signing",
    apimSas: "a SharedAccessSignature",
    storageSharedKey: "Shared Key",
    batchSharedKey: "Shared Key",
    sbSas: "a SAS token",
    cosmosMaster: "master-key authorization",
    apiKey: "the key in a header",
    basic: "basic authentication",
    redisAuth: "the Redis protocol over TLS",
};

/** Sends the probe once: each request in turn while they answer 404, until one decides. */
export async function probeKey(
    spec: ProbeSpec,
    target: TargetResource,
    cloud: CloudName,
    credential: ProbeCredential,
    timeoutMs = 30_000,
    now = Date.now(),
): Promise<ProbeOutcome> {
    let outcome: ProbeOutcome = { accepted: false, answer: "no request", unreachable: false };
    for (const [i, request] of spec.requests.entries()) {
        outcome = await probeOnce(spec, request, target, cloud, credential, timeoutMs, now);
        const last = i === spec.requests.length - 1;
        if (outcome.accepted || last || !/^HTTP 404\b/.test(outcome.answer)) break;
    }
    return outcome;
}

async function probeOnce(
    spec: ProbeSpec,
    request: ProbeRequest,
    target: TargetResource,
    cloud: CloudName,
    credential: ProbeCredential,
    timeoutMs: number,
    now: number,
): Promise<ProbeOutcome> {
    const url = fillProbeTemplate(request.url, target, cloud, credential);
    const secrets = [credential.key, credential.connectionString ?? ""];
    try {
        if (spec.scheme === "redisAuth") {
            const { hostname, port } = new URL(url);
            const auth = `*2\r\n$4\r\nAUTH\r\n$${Buffer.byteLength(credential.key)}\r\n${credential.key}\r\n`;
            const replies = await tlsExchange(hostname, Number(port || 6380), [auth, "*1\r\n$4\r\nPING\r\n"], timeoutMs);
            return {
                accepted: replies[0] === "+OK",
                answer: redact(`${hostname}:${port} answered ${replies.join(" ")}`, secrets).slice(0, 300),
                unreachable: false,
            };
        }
        const params = Object.fromEntries(Object.entries(spec.params ?? {}).map(([k, v]) => [k, fillProbeTemplate(v, target, cloud, credential)]));
        // Every probe is bodyless (issueToken is a POST with an empty body).
        const body = "";
        const headers = SIGNERS[spec.scheme]({ method: request.method, url: new URL(url), body, key: credential.key, params, now: new Date(now) });
        const response = await probeRequest(
            { method: request.method, url, headers: { accept: "application/json", ...headers }, body: request.method === "POST" ? body : undefined },
            timeoutMs,
        );
        const accepted =
            request.accepts.includes(response.status) ||
            (!!request.acceptsRefusal && response.status === request.acceptsRefusal.status && request.acceptsRefusal.body.test(response.body));
        // Redacted whole, then cut: a cut first could leave part of a key that redaction no longer recognizes.
        const detail = redact(response.body.replace(/\s+/g, " ").trim(), secrets).slice(0, 200);
        const busy = response.status === 408 || response.status === 429 || response.status >= 500;
        const inconclusive = !accepted && response.status !== 401 && response.status !== 403 && !busy;
        const served = Date.parse(String(response.headers.date ?? ""));
        const clockSkewMs = Number.isFinite(served) ? now - served : undefined;
        return { accepted, answer: `HTTP ${response.status}${detail ? ` ${detail}` : ""}`, unreachable: false, inconclusive, clockSkewMs };
    } catch (error) {
        const e = error as Error & { code?: string };
        const what = e.code ? `${e.code}: ${e.message}` : e.message;
        return { accepted: false, answer: redact(`no answer from ${hostOf(url)}: ${what}`, secrets).slice(0, 300), unreachable: true };
    }
}

/** The host of a probe URL, for messages (the URL as written when it does not parse). */
function hostOf(url: string): string {
    try {
        return new URL(url).host;
    } catch {
        return url;
    }
}

/**
 * Probes until the key is accepted or the deadline passes, backing off from 1 s to 15 s between
 * probes: Azure does not accept a new key everywhere at once. What waiting cannot change ends it
 * early: an answer that says shared keys are off (the catalog's pattern); a refusal of the key that
 * still works too (`control`); three probes without an answer, or with an answer that neither
 * accepts nor refuses a key.
 */
export async function verifyKey(
    spec: ProbeSpec,
    target: TargetResource,
    cloud: CloudName,
    credential: ProbeCredential,
    options: VerifyOptions,
): Promise<VerifyResult> {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const started = now();
    const timeout = () => Math.max(1_000, Math.min(options.requestTimeoutMs ?? 30_000, options.deadlineMs - (now() - started)));
    let wait = 1_000;
    let unreachable = 0;
    let inconclusive = 0;
    // The key that works: not yet probed, accepted (so the new one is propagating), or refused once.
    let control: "unknown" | "accepted" | "refused" = "unknown";
    const elapsedMs = () => now() - started;
    for (let attempts = 1; ; attempts++) {
        const outcome = await probeKey(spec, target, cloud, credential, timeout(), now());
        if (outcome.accepted) return { ...outcome, attempts, elapsedMs: elapsedMs() };
        if (spec.sharedKeysOff?.test(outcome.answer)) return { ...outcome, attempts, elapsedMs: elapsedMs(), blocked: "sharedKeys" };
        const refused = isRefusal(outcome);
        // Signatures carry the time: a clock far off the service's is refused whatever the key.
        if (refused && Math.abs(outcome.clockSkewMs ?? 0) > CLOCK_SKEW_MS) return { ...outcome, attempts, elapsedMs: elapsedMs(), blocked: "clock" };
        // A refusal of the key that works too says the new key is not the cause. It is asked twice, a few
        // seconds apart (a key made active moments ago, with verification off, may itself be propagating):
        // three probes in all, then the cause is called the network.
        for (let asked = 0; refused && options.control && control !== "accepted" && asked < 2; asked++) {
            if (control === "refused") await sleep(Math.min(CONTROL_CONFIRM_MS, Math.max(0, options.deadlineMs - elapsedMs())));
            const answer = await probeKey(spec, target, cloud, options.control, timeout(), now());
            if (answer.accepted) control = "accepted";
            else if (!isRefusal(answer)) break;
            else if (spec.sharedKeysOff?.test(answer.answer))
                return { ...outcome, attempts, elapsedMs: elapsedMs(), blocked: "sharedKeys", controlAnswer: answer.answer };
            else if (control === "refused") return { ...outcome, attempts, elapsedMs: elapsedMs(), blocked: "network", controlAnswer: answer.answer };
            else control = "refused";
        }
        unreachable = outcome.unreachable ? unreachable + 1 : 0;
        inconclusive = outcome.inconclusive ? inconclusive + 1 : 0;
        // A key that has not propagated yet is refused, and waited for. A data plane out of reach never
        // answers, and one that neither accepts nor refuses will not start to: stop after three tries.
        if (unreachable >= 3 || inconclusive >= 3 || elapsedMs() + wait > options.deadlineMs) return { ...outcome, attempts, elapsedMs: elapsedMs() };
        await sleep(wait);
        wait = Math.min(wait * 2, 15_000);
    }
}
