/**
 * Azure Cache for Redis (TLS, port 6380) and Azure Managed Redis (TLS, port 10000): a RESP server
 * that knows AUTH (`AUTH {key}` or `AUTH default {key}`), PING and QUIT, with Redis' own replies:
 * `+OK`, `+PONG`, `-WRONGPASS invalid username-password pair or user is disabled.`,
 * `-NOAUTH Authentication required.`. The host name comes from TLS SNI. A connection that has
 * authenticated stays so after the key is regenerated, as on Redis; only new AUTHs fail. A cache
 * behind a firewall that shuts the caller out closes the connection without a Redis reply (what
 * clients report: no answer, a closed connection); with access keys off, AUTH gets `-WRONGPASS`
 * as for a wrong key.
 */
import type { AddressInfo } from "node:net";
import { createServer, type Server, type TLSSocket } from "node:tls";
import type { DataPlaneTarget } from "./types";
import { same } from "./types";

/** Splits complete RESP commands (multibulk or inline) off `buffer`; returns them and what is left. */
export function parseCommands(buffer: Buffer): { commands: string[][]; rest: Buffer } {
    const commands: string[][] = [];
    let at = 0;
    const line = (from: number) => {
        const end = buffer.indexOf("\r\n", from);
        return end < 0 ? undefined : { text: buffer.toString("utf8", from, end), next: end + 2 };
    };
    while (at < buffer.length) {
        if (buffer[at] === 0x2a /* * */) {
            const head = line(at);
            if (!head) break;
            const count = Number(head.text.slice(1));
            let next = head.next;
            const args: string[] = [];
            let complete = true;
            for (let i = 0; i < count; i++) {
                const size = line(next);
                if (size?.text[0] !== "$") {
                    complete = false;
                    break;
                }
                const length = Number(size.text.slice(1));
                if (buffer.length < size.next + length + 2) {
                    complete = false;
                    break;
                }
                args.push(buffer.toString("utf8", size.next, size.next + length));
                next = size.next + length + 2;
            }
            if (!complete) break;
            commands.push(args);
            at = next;
        } else {
            const inline = line(at);
            if (!inline) break;
            const args = inline.text.trim().split(/\s+/).filter(Boolean);
            if (args.length > 0) commands.push(args);
            at = inline.next;
        }
    }
    return { commands, rest: buffer.subarray(at) };
}

/** The reply to one command, and whether to close afterwards. */
export function reply(
    command: string[],
    session: { authenticated: boolean },
    accepts: (password: string) => boolean,
): { text: string; close?: boolean; auth?: boolean } {
    const [name = "", ...args] = command;
    switch (name.toUpperCase()) {
        case "AUTH": {
            if (args.length < 1 || args.length > 2) return { text: "-ERR wrong number of arguments for 'auth' command\r\n" };
            const [user, password] = args.length === 2 ? args : ["default", args[0]];
            const ok = user === "default" && accepts(password);
            if (ok) session.authenticated = true;
            return { text: ok ? "+OK\r\n" : "-WRONGPASS invalid username-password pair or user is disabled.\r\n", auth: ok };
        }
        case "QUIT":
            return { text: "+OK\r\n", close: true };
        case "PING":
            if (!session.authenticated) return { text: "-NOAUTH Authentication required.\r\n" };
            return { text: args.length > 0 ? `$${Buffer.byteLength(args[0])}\r\n${args[0]}\r\n` : "+PONG\r\n" };
        default:
            if (!session.authenticated) return { text: "-NOAUTH Authentication required.\r\n" };
            return { text: `-ERR unknown command '${name}', with args beginning with: ${args.map((a) => `'${a}' `).join("")}\r\n` };
    }
}

/** A TLS RESP server for every Redis host the emulator serves. */
export class RedisServer {
    private readonly sockets = new Set<TLSSocket>();
    private constructor(private readonly server: Server) {}

    /**
     * Starts on 127.0.0.1 (a free port). `route` finds the cache a host name (SNI) belongs to;
     * `log` records each AUTH and whether it was accepted, and each connection a firewall closed.
     */
    static async start(
        tls: { cert: string; key: string },
        route: (hostname: string) => DataPlaneTarget | undefined,
        log: (host: string, outcome: "accepted" | "refused" | "closed") => void,
    ): Promise<RedisServer> {
        const server = createServer({ cert: tls.cert, key: tls.key });
        const redis = new RedisServer(server);
        server.on("secureConnection", (socket: TLSSocket) => {
            redis.sockets.add(socket);
            socket.on("close", () => redis.sockets.delete(socket));
            socket.on("error", () => socket.destroy());
            const host = typeof socket.servername === "string" ? socket.servername : "";
            if (route(host)?.resources.some((r) => r.firewall)) {
                log(host, "closed");
                return void socket.destroy();
            }
            const session = { authenticated: false };
            let buffer: Buffer = Buffer.alloc(0);
            socket.on("data", (chunk: Buffer) => {
                buffer = Buffer.concat([buffer, chunk]);
                if (buffer.length > 1 << 20) return void socket.destroy();
                const { commands, rest } = parseCommands(buffer);
                buffer = rest;
                for (const command of commands) {
                    const target = route(host);
                    const accepts = (password: string) => !!target?.allKeys().some((k) => same(k.value, password));
                    const answer = reply(command, session, accepts);
                    if (answer.auth !== undefined || command[0]?.toUpperCase() === "AUTH") log(host, answer.auth ? "accepted" : "refused");
                    socket.write(answer.text);
                    if (answer.close) return void socket.end();
                }
            });
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        return redis;
    }

    get port(): number {
        return (this.server.address() as AddressInfo).port;
    }

    async stop(): Promise<void> {
        for (const socket of this.sockets) socket.destroy();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
}
