/**
 * One wall-clock deadline for a probe's tunnel, TLS and answer, HTTPS and Redis alike: a proxy that
 * trickles a byte a second resets any idle timeout forever, and must not hold a probe past its time.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { probeRequest, tlsExchange } from "../../src/probe/transport";
import { type StallingProxy, startStallingProxy } from "../helpers/stallingProxy";

const VARIABLES = ["KEY_ROTATION_DATA_PLANE_PROXY", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"] as const;
let saved: Record<string, string | undefined>;
const proxies: StallingProxy[] = [];

before(() => {
    saved = Object.fromEntries(VARIABLES.map((v) => [v, process.env[v]]));
    for (const v of VARIABLES) delete process.env[v];
});
after(async () => {
    for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    await Promise.all(proxies.map((p) => p.stop()));
});

async function through(stall: "connect" | "tunnel" | "afterHandshake"): Promise<StallingProxy> {
    // The tunnel modes need something at the other end; a port nothing listens on is enough for "connect".
    const proxy = await startStallingProxy({ stall, upstream: { host: "127.0.0.1", port: 9 }, intervalMs: 100 });
    proxies.push(proxy);
    process.env.HTTPS_PROXY = proxy.url;
    return proxy;
}

describe("a probe through a proxy that trickles forever", () => {
    for (const stall of ["connect", "tunnel"] as const) {
        it(`HTTPS (${stall}): ends with the probe's deadline, the tunnel included`, async () => {
            const proxy = await through(stall);
            const started = Date.now();
            await assert.rejects(
                probeRequest({ method: "GET", url: "https://acct.blob.core.windows.net/", headers: {} }, 1_500),
                /in time|within 1500 ms|ECONNRESET|socket/,
            );
            // A liveness bound, not a timing: without one deadline this never ends.
            assert.ok(Date.now() - started < 30_000);
            assert.ok(stall !== "connect" || proxy.trickled > 0, "the proxy was trickling");
        });

        it(`Redis over TLS (${stall}): ends with the probe's deadline, the tunnel included`, async () => {
            await through(stall);
            await assert.rejects(tlsExchange("cache.redis.cache.windows.net", 6380, ["*1\r\n$4\r\nPING\r\n"], 1_500));
        });
    }
});
