/**
 * A CONNECT proxy on 127.0.0.1 for HTTPS_PROXY: it tunnels the host names the emulator serves
 * (Azure's cloud names and the services' data-plane names, port 443, and the Redis ports 6380 and
 * 10000) and the emulator's own address to the emulator, and refuses anything else, so a client
 * configured for a cloud runs unchanged against the emulator and never reaches the internet.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";

/** One CONNECT request the proxy got. */
export interface Tunnel {
    /** The host:port asked for. */
    target: string;
    /** Whether it was tunnelled to the emulator (a host the emulator serves) or refused. */
    allowed: boolean;
}

export class ConnectProxy {
    private readonly sockets = new Set<Socket>();

    private constructor(
        private readonly server: Server,
        /** The proxy URL, for HTTPS_PROXY. */
        readonly url: string,
    ) {}

    /**
     * Starts a proxy. `upstream` says where a host name and port go (one of the emulator's ports on
     * 127.0.0.1), or undefined to refuse it; `tunnels` records every CONNECT.
     */
    static async start(
        upstream: (hostname: string, port: string) => { host: string; port: number } | undefined,
        tunnels: Tunnel[],
        /** The port to listen on; when it is busy, a free one is taken instead. 0 (default): a free one. */
        port = 0,
    ): Promise<ConnectProxy> {
        const server = createServer((_req, res) => void res.writeHead(405).end());
        const proxy = new ConnectProxy(server, "");
        server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
            const target = (req.url ?? "").toLowerCase();
            const at = target.lastIndexOf(":");
            const [hostname, port] = at > 0 ? [target.slice(0, at), target.slice(at + 1)] : [target, ""];
            const to = upstream(hostname, port);
            tunnels.push({ target, allowed: !!to });
            if (!to) return void client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
            const remote = connect(to.port, to.host, () => {
                client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
                if (head.length > 0) remote.write(head);
                remote.pipe(client);
                client.pipe(remote);
            });
            for (const socket of [client, remote]) {
                proxy.sockets.add(socket);
                socket.on("close", () => proxy.sockets.delete(socket));
                socket.on("error", () => (socket === client ? remote : client).destroy());
            }
        });
        await new Promise<void>((resolve, reject) => {
            server.once("error", (error: NodeJS.ErrnoException) => {
                if (error.code !== "EADDRINUSE" || port === 0) return reject(error);
                // The port asked for is busy: a free one. A server whose listen failed must be closed
                // before it listens again, or the second listen never reports.
                server.close();
                server.removeAllListeners("listening");
                server.once("error", reject);
                server.listen(0, "127.0.0.1", resolve);
            });
            server.listen(port, "127.0.0.1", resolve);
        });
        (proxy as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        return proxy;
    }

    async stop(): Promise<void> {
        for (const socket of this.sockets) socket.destroy();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
}
