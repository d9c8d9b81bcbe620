/**
 * The probes' own network access: one HTTPS request, or one TLS socket (Redis), direct or through
 * the proxy HTTPS_PROXY names (a CONNECT tunnel, so the proxy never sees the request). Probes never
 * share the ARM client: no ARM token ever goes to a data plane. TLS certificates are always checked.
 */

import type { IncomingHttpHeaders } from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { type TLSSocket, connect as tlsConnect } from "node:tls";

/** One probe request. */
export interface ProbeHttpRequest {
    method: "GET" | "HEAD" | "POST";
    url: string;
    headers: Record<string, string>;
    body?: string;
}

/** What a data plane answered: the status, headers (lower-cased) and at most 64 KiB of the body. */
export interface ProbeHttpResponse {
    status: number;
    headers: IncomingHttpHeaders;
    body: string;
}

const MAX_BODY = 64 * 1024;

/**
 * The proxy to use for a data-plane host. KEY_ROTATION_DATA_PLANE_PROXY, the package's own
 * variable, comes first and serves every probe: it is what the emulator's environment sets, so that
 * a shell that loads it keeps its HTTPS_PROXY and NO_PROXY, and npm, the Pulumi CLI and every other
 * tool reach the network as before (an HTTPS_PROXY pointing at the emulator sent them there, and
 * got 403). NO_PROXY, the shell's list for its own proxy, does not apply to it (a corporate
 * NO_PROXY naming `.windows.net` would send a rehearsal's probes to Azure itself). Without it,
 * HTTPS_PROXY / https_proxy (or ALL_PROXY), unless NO_PROXY names the host: `*`, the host itself,
 * or a domain it is under (`example.com`, `.example.com` or `*.example.com`); an entry's port, if
 * any, is ignored.
 */
export function proxyFor(host: string, env: NodeJS.ProcessEnv = process.env): URL | undefined {
    const own = env.KEY_ROTATION_DATA_PLANE_PROXY;
    if (own) return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(own) ? own : `http://${own}`);
    const proxy = env.HTTPS_PROXY || env.https_proxy || env.ALL_PROXY || env.all_proxy;
    if (!proxy) return undefined;
    const name = host.toLowerCase().replace(/\.$/, "");
    const excluded = (env.NO_PROXY || env.no_proxy || "")
        .split(/[\s,]+/)
        .map((entry) => entry.trim().toLowerCase())
        .filter(Boolean)
        .some((entry) => {
            if (entry === "*") return true;
            const domain = entry.replace(/:\d+$/, "").replace(/^\*?\./, "");
            return name === domain || name.endsWith(`.${domain}`);
        });
    if (excluded) return undefined;
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`);
}

/**
 * A socket to host:port through the proxy's CONNECT, or undefined to connect directly. The proxy's
 * user and password from its URL, if any, go in Proxy-Authorization (and nowhere else); an
 * `https:` proxy is reached over TLS. Ends when `signal` aborts, however the proxy trickles its
 * answer (an idle timeout would be reset by every byte).
 */
async function tunnel(host: string, port: number, signal: AbortSignal): Promise<Socket | undefined> {
    const proxy = proxyFor(host);
    if (!proxy) return undefined;
    const secure = proxy.protocol === "https:";
    const headers: Record<string, string> = { host: `${host}:${port}` };
    if (proxy.username || proxy.password) {
        const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
        headers["proxy-authorization"] = `Basic ${Buffer.from(credentials).toString("base64")}`;
    }
    return new Promise<Socket>((resolve, reject) => {
        const options = {
            host: proxy.hostname,
            port: Number(proxy.port || (secure ? 443 : 80)),
            method: "CONNECT",
            path: `${host}:${port}`,
            headers,
            signal,
            ...(secure ? { servername: proxy.hostname, agent: false as const } : {}),
        };
        const req = secure ? httpsRequest(options) : httpRequest(options);
        req.once("connect", (res, socket) => {
            if (res.statusCode === 200) resolve(socket);
            else {
                socket.destroy();
                const why = res.statusCode === 407 ? ": it asks for credentials, which go in HTTPS_PROXY as http://user:password@host:port" : "";
                reject(new Error(`the proxy ${proxy.host} refused a tunnel to ${host}:${port} (HTTP ${res.statusCode})${why}`));
            }
        });
        req.once("error", (error) => reject(signal.aborted ? new Error(`the proxy ${proxy.host} did not open a tunnel to ${host}:${port} in time`) : error));
        req.end();
    });
}

/** Sends one HTTPS request; ends within `timeoutMs` of wall-clock time: tunnel, TLS and answer together. */
export async function probeRequest(probe: ProbeHttpRequest, timeoutMs: number): Promise<ProbeHttpResponse> {
    const url = new URL(probe.url);
    if (url.protocol !== "https:") throw new Error(`probes use https only, not ${url.protocol}`);
    const port = Number(url.port || 443);
    const { signal, done } = deadline(timeoutMs, `no answer from ${url.host} within ${timeoutMs} ms`);
    try {
        const socket = await tunnel(url.hostname, port, signal);
        return await exchange(probe, url, port, socket, signal);
    } catch (error) {
        throw signal.aborted ? signal.reason : error;
    } finally {
        done();
    }
}

/** One wall-clock deadline: an AbortSignal that fires after `timeoutMs` with `message`, and the means to clear it. */
function deadline(timeoutMs: number, message: string): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(Object.assign(new Error(message), { code: "ETIMEDOUT" })), timeoutMs);
    return { signal: controller.signal, done: () => clearTimeout(timer) };
}

function exchange(probe: ProbeHttpRequest, url: URL, port: number, socket: Socket | undefined, signal: AbortSignal): Promise<ProbeHttpResponse> {
    return new Promise<ProbeHttpResponse>((resolve, reject) => {
        const req = httpsRequest(
            {
                method: probe.method,
                host: url.hostname,
                port,
                path: `${url.pathname}${url.search}`,
                headers: { ...probe.headers, ...(probe.body !== undefined ? { "content-length": String(Buffer.byteLength(probe.body)) } : {}) },
                servername: url.hostname,
                // Without an agent Node knows no default port and would send `Host: name:443`, not the host that was signed.
                defaultPort: 443,
                signal,
                // Node uses createConnection only when no agent is given (agent: false makes a new Agent, which ignores it).
                ...(socket ? { createConnection: () => tlsConnect({ socket, servername: url.hostname }) } : { agent: false }),
            },
            (res) => {
                const chunks: Buffer[] = [];
                let size = 0;
                res.on("data", (chunk: Buffer) => {
                    if (size < MAX_BODY) chunks.push(chunk.subarray(0, MAX_BODY - size));
                    size += chunk.length;
                });
                res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
                res.on("error", reject);
            },
        );
        req.on("error", reject);
        req.end(probe.body);
    });
}

/**
 * Runs a line-based exchange over TLS (Redis's RESP): connects, sends each command and reads one
 * reply line for it (at most 64 KiB). Ends within `timeoutMs` of wall-clock time, the tunnel included.
 */
export async function tlsExchange(host: string, port: number, commands: readonly string[], timeoutMs: number): Promise<string[]> {
    const { signal, done } = deadline(timeoutMs, `no answer from ${host}:${port} within ${timeoutMs} ms`);
    try {
        const through = await tunnel(host, port, signal);
        return await respExchange(host, port, commands, through, signal);
    } catch (error) {
        throw signal.aborted ? signal.reason : error;
    } finally {
        done();
    }
}

function respExchange(host: string, port: number, commands: readonly string[], through: Socket | undefined, signal: AbortSignal): Promise<string[]> {
    return new Promise<string[]>((resolve, reject) => {
        const socket: TLSSocket = tlsConnect({ host, port, servername: host, ...(through ? { socket: through } : {}) });
        const abort = () => finish(signal.reason as Error);
        signal.addEventListener("abort", abort, { once: true });
        const replies: string[] = [];
        let buffer = "";
        const finish = (error?: Error) => {
            signal.removeEventListener("abort", abort);
            socket.destroy();
            if (error) reject(error);
            else resolve(replies);
        };
        socket.once("secureConnect", () => socket.write(commands[0]));
        socket.on("data", (data: Buffer) => {
            buffer += data.toString("utf8");
            if (buffer.length > MAX_BODY) return finish(new Error(`${host}:${port} sent a reply longer than ${MAX_BODY} bytes`));
            let at = buffer.indexOf("\r\n");
            while (at >= 0) {
                replies.push(buffer.slice(0, at));
                buffer = buffer.slice(at + 2);
                if (replies.length === commands.length || replies[replies.length - 1].startsWith("-")) return finish();
                socket.write(commands[replies.length]);
                at = buffer.indexOf("\r\n");
            }
        });
        socket.once("error", (error) => finish(error));
        socket.once("end", () => finish(new Error(`${host}:${port} closed the connection`)));
    });
}
