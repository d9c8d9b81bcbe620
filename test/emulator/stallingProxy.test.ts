/**
 * The stalling proxy the probe tests use (test/helpers/stallingProxy.ts): it really stalls where it
 * says, one byte at a time, and stop() closes everything it holds.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";
import { after, describe, it } from "node:test";
import { type StallingProxy, startStallingProxy } from "../helpers/stallingProxy";

const proxies: StallingProxy[] = [];
/** Each upstream server, with the connections it holds (net.Server cannot close them itself). */
const servers = new Map<Server, Set<Socket>>();
const clients: Socket[] = [];
after(async () => {
    for (const client of clients) client.destroy();
    for (const proxy of proxies) await proxy.stop();
    for (const [server, sockets] of servers) {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => server.close(resolve));
    }
});

/** A TCP server on 127.0.0.1 that answers each chunk it gets with `answer(chunk)`, and greets with `greeting`. */
async function upstream(answer: (chunk: string) => string, greeting = ""): Promise<{ host: string; port: number }> {
    const server = createServer((socket) => {
        socket.on("error", () => socket.destroy());
        if (greeting) socket.write(greeting);
        socket.on("data", (chunk) => socket.write(answer(chunk.toString())));
    });
    const sockets = new Set<Socket>();
    server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
    });
    servers.set(server, sockets);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { host: "127.0.0.1", port: (server.address() as AddressInfo).port };
}

/** Opens a CONNECT to `target` through the proxy; `received` grows as bytes come in. */
async function tunnel(proxy: StallingProxy, target: string): Promise<{ socket: Socket; received: () => string; until: (text: string) => Promise<void> }> {
    const { port } = new URL(proxy.url);
    const socket = connect(Number(port), "127.0.0.1");
    clients.push(socket);
    await once(socket, "connect");
    let text = "";
    const waiters: Array<() => void> = [];
    socket.on("data", (chunk: Buffer) => {
        text += chunk.toString("latin1");
        for (const w of waiters.splice(0)) w();
    });
    socket.on("error", () => {});
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
    const until = async (wanted: string) => {
        while (!text.includes(wanted)) await new Promise<void>((resolve) => waiters.push(resolve));
    };
    return { socket, received: () => text, until };
}

describe("the stalling proxy", () => {
    it("connect: the CONNECT answer trickles and never ends its headers", async () => {
        const proxy = await startStallingProxy({ stall: "connect", intervalMs: 5 });
        proxies.push(proxy);
        const { socket, received, until } = await tunnel(proxy, "acct.blob.core.windows.net:443");
        await until("X-Stall: aaa");
        assert.ok(received().startsWith("HTTP/1.1 200 Connection Established\r\nX-Stall: aaa"));
        assert.ok(!received().includes("\r\n\r\n"), "the headers never end");
        assert.ok(proxy.trickled >= received().length, "every byte came alone");
        assert.deepEqual(proxy.connects, ["acct.blob.core.windows.net:443"]);
        const closed = once(socket, "close");
        await proxy.stop();
        await closed;
    });

    it("tunnel: the CONNECT completes, then everything upstream sends trickles", async () => {
        const to = await upstream(() => "", "hello");
        const proxy = await startStallingProxy({ stall: "tunnel", upstream: to, intervalMs: 5 });
        proxies.push(proxy);
        const { until, received } = await tunnel(proxy, "acct.blob.core.windows.net:443");
        await until("hello");
        assert.equal(received(), "HTTP/1.1 200 Connection Established\r\n\r\nhello");
        assert.equal(proxy.trickled, 5, "each byte of the answer came alone");
    });

    it("afterHandshake: upstream's first answer passes at full speed, the one after the client's second write trickles", async () => {
        const to = await upstream((chunk) => `ECHO:${chunk};`);
        const proxy = await startStallingProxy({ stall: "afterHandshake", upstream: to, intervalMs: 5 });
        proxies.push(proxy);
        const { socket, until } = await tunnel(proxy, "cache.redis.cache.windows.net:6380");
        await until("\r\n\r\n");
        socket.write("hello");
        await until("ECHO:hello;");
        assert.equal(proxy.trickled, 0, "the handshake is not slowed");
        socket.write("PING");
        await until("ECHO:PING;");
        assert.equal(proxy.trickled, "ECHO:PING;".length, "the answer trickled");
    });

    it("refuses a tunnel mode without an upstream", async () => {
        await assert.rejects(startStallingProxy({ stall: "tunnel" }), /needs an upstream/);
    });
});
