/**
 * A CONNECT proxy on 127.0.0.1 that stalls, as a broken corporate proxy can: every byte it sends
 * keeps an idle timeout from firing, yet the answer never (or only very slowly) comes. For tests of
 * a probe's wall-clock deadline.
 *
 * - `stall: "connect"`: the CONNECT answer trickles out one byte per interval and never ends (a
 *   status line, then a header that goes on forever).
 * - `stall: "tunnel"`: the CONNECT completes at once, then everything `upstream` sends (the TLS
 *   handshake, the HTTP or RESP answer) trickles out one byte per interval.
 * - `stall: "afterHandshake"`: the same, but upstream's bytes pass at full speed until the client
 *   has written twice (a TLS ClientHello, then its Finished or its request): the handshake
 *   completes, the answer trickles.
 *
 * ```ts
 * const proxy = await startStallingProxy({ stall: "connect" });
 * // HTTPS_PROXY=proxy.url …
 * await proxy.stop();
 * ```
 */
import { createServer, type IncomingMessage } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";

/** How {@link startStallingProxy} stalls. */
export interface StallingProxyOptions {
    /** Where it stalls: the CONNECT answer, the whole tunnel, or the tunnel after the TLS handshake. */
    stall: "connect" | "tunnel" | "afterHandshake";
    /**
     * Where the tunnel modes connect, whatever host the client asked for (an emulator's own
     * address: `{ host: "127.0.0.1", port: Number(new URL(emulator.url).port) }`).
     */
    upstream?: { host: string; port: number };
    /** Time between two trickled bytes (default 1000: one byte per second). */
    intervalMs?: number;
}

/** A running stalling proxy. */
export interface StallingProxy {
    /** `http://127.0.0.1:{port}`, for HTTPS_PROXY. */
    readonly url: string;
    /** The `host:port` of every CONNECT it got, in order. */
    readonly connects: readonly string[];
    /** Bytes it has trickled so far (not those passed at full speed). */
    readonly trickled: number;
    /** Closes every connection and timer and stops listening. */
    stop(): Promise<void>;
}

/** The status line of a CONNECT answer, then a header that never ends. */
const ENDLESS_ANSWER = "HTTP/1.1 200 Connection Established\r\nX-Stall: ";

/** Starts a stalling proxy on 127.0.0.1 (a free port). */
export async function startStallingProxy(options: StallingProxyOptions): Promise<StallingProxy> {
    const interval = options.intervalMs ?? 1000;
    if (options.stall !== "connect" && !options.upstream) throw new Error(`stall "${options.stall}" needs an upstream`);
    const sockets = new Set<Socket>();
    const timers = new Set<NodeJS.Timeout>();
    const connects: string[] = [];
    let trickled = 0;

    const track = (socket: Socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => socket.destroy());
    };
    /** Writes `next()` one byte per interval to `socket` while it is open; `next` returns undefined when nothing waits. */
    const trickle = (socket: Socket, next: () => number | undefined) => {
        const timer = setInterval(() => {
            if (socket.destroyed) {
                clearInterval(timer);
                timers.delete(timer);
                return;
            }
            const byte = next();
            if (byte === undefined) return;
            trickled++;
            socket.write(Buffer.of(byte));
        }, interval);
        timers.add(timer);
        socket.on("close", () => {
            clearInterval(timer);
            timers.delete(timer);
        });
    };

    const server = createServer((_req, res) => void res.writeHead(405).end());
    server.on("connect", (req: IncomingMessage, client: Socket) => {
        connects.push(req.url ?? "");
        track(client);
        if (options.stall === "connect") {
            let at = 0;
            trickle(client, () => (at < ENDLESS_ANSWER.length ? ENDLESS_ANSWER.charCodeAt(at++) : 0x61 /* a */));
            return;
        }
        const upstream = connect(options.upstream!.port, options.upstream!.host);
        track(upstream);
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        const waiting: number[] = [];
        let clientWrites = 0;
        let slow = options.stall === "tunnel";
        client.on("data", (chunk: Buffer) => {
            clientWrites++;
            if (clientWrites >= 2) slow = true;
            upstream.write(chunk);
        });
        upstream.on("data", (chunk: Buffer) => {
            if (!slow && waiting.length === 0) client.write(chunk);
            else waiting.push(...chunk);
        });
        trickle(client, () => (slow ? waiting.shift() : undefined));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        url,
        connects,
        get trickled() {
            return trickled;
        },
        async stop() {
            for (const timer of timers) clearInterval(timer);
            timers.clear();
            for (const socket of sockets) socket.destroy();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}
