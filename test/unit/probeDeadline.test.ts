/**
 * One wall-clock deadline for a probe's tunnel, TLS and answer, HTTPS and Redis alike: a proxy that
 * trickles a byte a second resets any idle timeout forever, and must not hold a probe past its time.
 */
import assert from "node:assert/strict";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { probeRequest, tlsExchange } from "../../src/probe/transport";
import { type StallingProxy, startStallingProxy } from "../helpers/stallingProxy";

const VARIABLES = ["KEY_ROTATION_DATA_PLANE_PROXY", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"] as const;
let saved: Record<string, string | undefined>;
const proxies: StallingProxy[] = [];
/** A liveness bound, not a timing: without one deadline a probe never ends, and the test fails by name instead of holding its file until the runner's limit. */
const LIVENESS_MS = 60_000;

/**
 * The tunnel's far end: it answers every connection with the header of a full-size TLS record
 * (handshake, 16 KiB) and the record's bytes, and keeps the connection open. Trickled by the proxy,
 * the record never ends within a probe's deadline, so the TLS handshake neither completes nor
 * fails: only a wall-clock deadline ends it (an upstream that refuses the connection would end
 * the probe at once, deadline or not).
 */
let upstream: Server;
const upstreamSockets = new Set<Socket>();

before(async () => {
    saved = Object.fromEntries(VARIABLES.map((v) => [v, process.env[v]]));
    for (const v of VARIABLES) delete process.env[v];
    upstream = createServer((socket) => {
        upstreamSockets.add(socket);
        socket.on("error", () => socket.destroy());
        socket.on("close", () => upstreamSockets.delete(socket));
        socket.write(Buffer.concat([Buffer.of(0x16, 0x03, 0x03, 0x40, 0x00), Buffer.alloc(0x4000, 0x61)]));
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
});
after(async () => {
    for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    await Promise.all(proxies.map((p) => p.stop()));
    for (const socket of upstreamSockets) socket.destroy();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

async function through(stall: "connect" | "tunnel" | "afterHandshake"): Promise<StallingProxy> {
    const proxy = await startStallingProxy({ stall, upstream: { host: "127.0.0.1", port: (upstream.address() as AddressInfo).port }, intervalMs: 100 });
    proxies.push(proxy);
    process.env.HTTPS_PROXY = proxy.url;
    return proxy;
}

describe("a probe through a proxy that trickles forever", () => {
    for (const stall of ["connect", "tunnel"] as const) {
        it(`HTTPS (${stall}): ends with the probe's deadline, the tunnel included`, { timeout: LIVENESS_MS }, async () => {
            const proxy = await through(stall);
            const started = Date.now();
            await assert.rejects(probeRequest({ method: "GET", url: "https://acct.blob.core.windows.net/", headers: {} }, 1_500), /in time|within 1500 ms/);
            // A liveness bound, not a timing: without one deadline this never ends.
            assert.ok(Date.now() - started < 30_000);
            assert.ok(proxy.trickled > 0, "the proxy was trickling");
        });

        it(`Redis over TLS (${stall}): ends with the probe's deadline, the tunnel included`, { timeout: LIVENESS_MS }, async () => {
            const proxy = await through(stall);
            await assert.rejects(tlsExchange("cache.redis.cache.windows.net", 6380, ["*1\r\n$4\r\nPING\r\n"], 1_500), /in time|within 1500 ms/);
            assert.ok(proxy.trickled > 0, "the proxy was trickling");
        });
    }
});
