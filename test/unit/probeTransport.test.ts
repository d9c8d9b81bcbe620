/**
 * The probes' network access: which hosts go through HTTPS_PROXY, the proxy's own credentials,
 * and the bounds on what a data plane may send back.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, connect, type Socket } from "node:net";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { createServer as createTlsServer, type Server as TlsServer } from "node:tls";
import { issueServerCertificate } from "../../emulator/certificate";
import type { ProbeSpec } from "../../src/catalog";
import { parseResourceId } from "../../src/core/resourceId";
import { probeKey, verifyKey } from "../../src/probe/probe";
import { probeRequest, proxyFor, tlsExchange } from "../../src/probe/transport";
import { resourceIds } from "../helpers/emulator";

const PROXY_VARIABLES = ["KEY_ROTATION_DATA_PLANE_PROXY", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"] as const;

/** Clears this process's proxy variables; the function returned puts them back. */
function clearProxyVariables(): () => void {
    const saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
    for (const name of PROXY_VARIABLES) delete process.env[name];
    return () => {
        for (const [name, value] of Object.entries(saved)) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
        }
    };
}

/** A certificate for localhost from the test run's CA, which this process trusts (NODE_EXTRA_CA_CERTS). */
function localhostCertificate() {
    const dir = process.env.KEY_ROTATION_TEST_CA_DIR;
    if (!dir) throw new Error("run the tests with `npm test`: it creates the CA");
    const ca = { certPem: readFileSync(join(dir, "ca.pem"), "utf8"), keyPem: readFileSync(join(dir, "ca-key.pem"), "utf8") };
    const cert = issueServerCertificate(ca, { dns: ["localhost"] });
    return { cert: cert.certPem, key: cert.keyPem };
}

const listen = async <T extends Server | TlsServer>(server: T): Promise<number> => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
};

describe("which hosts a probe sends through HTTPS_PROXY", () => {
    const env = (noProxy: string) => ({ HTTPS_PROXY: "http://proxy.corp:3128", NO_PROXY: noProxy });

    it("NO_PROXY's forms: *, the host, a domain with or without a leading dot or *., an entry with a port", () => {
        const host = "acct.blob.core.windows.net";
        for (const noProxy of [
            "*",
            host,
            "core.windows.net",
            ".core.windows.net",
            "*.core.windows.net",
            "blob.core.windows.net:443",
            "localhost, *.windows.net",
        ]) {
            assert.equal(proxyFor(host, env(noProxy)), undefined, `NO_PROXY=${noProxy}`);
        }
        for (const noProxy of ["", "windows.com", "*.queue.core.windows.net", "xcore.windows.net", "acct.blob.core.windows.net.evil"]) {
            assert.equal(proxyFor(host, env(noProxy))?.host, "proxy.corp:3128", `NO_PROXY=${noProxy}`);
        }
    });

    it("takes a proxy given without a scheme as http://, and none when no variable names one", () => {
        assert.equal(proxyFor("x.example", { HTTPS_PROXY: "proxy.corp:3128" })?.href, "http://proxy.corp:3128/");
        assert.equal(proxyFor("x.example", { https_proxy: "https://proxy.corp" })?.protocol, "https:");
        assert.equal(proxyFor("x.example", {}), undefined);
    });
});

describe("a probe through a proxy", () => {
    let restoreProxyVariables = () => {};
    const certificate = localhostCertificate();
    let dataPlane: Server;
    let dataPlanePort: number;
    let proxy: Server;
    let proxyPort: number;
    let secureProxy: Server;
    let secureProxyPort: number;
    /** The CONNECT requests each proxy saw. */
    let connects: Array<{ url?: string; headers: IncomingHttpHeaders; secure: boolean }> = [];
    /** Tunnels' sockets: a server's close waits for them, and closeAllConnections does not know them. */
    const tunnels = new Set<Socket>();

    /** Answers 407 without `Proxy-Authorization: Basic alice:s=cret`, else tunnels to the target. */
    const onConnect = (secure: boolean) => (req: { url?: string; headers: IncomingHttpHeaders }, client: Socket) => {
        connects.push({ url: req.url, headers: req.headers, secure });
        tunnels.add(client);
        if (req.headers["proxy-authorization"] !== `Basic ${Buffer.from("alice:s=cret").toString("base64")}`) {
            client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
            return;
        }
        const [, port] = (req.url ?? "").split(":");
        const upstream = connect(Number(port), "127.0.0.1", () => {
            tunnels.add(upstream);
            client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
            upstream.pipe(client).pipe(upstream);
        });
        upstream.on("error", () => client.destroy());
        client.on("error", () => upstream.destroy());
    };

    before(async () => {
        dataPlane = createHttpsServer(certificate, (req, res) => res.writeHead(200, { "content-type": "text/plain" }).end(`seen ${req.url}`));
        dataPlanePort = await listen(dataPlane);
        proxy = createServer((_req, res) => res.writeHead(405).end());
        proxy.on("connect", onConnect(false));
        proxyPort = await listen(proxy);
        secureProxy = createHttpsServer(certificate, (_req, res) => res.writeHead(405).end());
        secureProxy.on("connect", onConnect(true));
        secureProxyPort = await listen(secureProxy);
    });
    beforeEach(() => {
        connects = [];
        restoreProxyVariables = clearProxyVariables();
    });
    afterEach(() => restoreProxyVariables());
    after(async () => {
        for (const socket of tunnels) socket.destroy();
        for (const server of [dataPlane, proxy, secureProxy]) {
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
        }
    });

    const probe = () => probeRequest({ method: "GET", url: `https://localhost:${dataPlanePort}/probe?x=1`, headers: {} }, 5_000);

    it("sends the proxy URL's user and password (URL-decoded) in Proxy-Authorization, to the proxy only", async () => {
        process.env.HTTPS_PROXY = `http://alice:s%3Dcret@127.0.0.1:${proxyPort}`;
        const response = await probe();
        assert.equal(response.status, 200);
        assert.equal(response.body, "seen /probe?x=1");
        assert.equal(connects.length, 1);
        assert.equal(connects[0].url, `localhost:${dataPlanePort}`);
    });

    it("reaches an https:// proxy over TLS", async () => {
        process.env.HTTPS_PROXY = `https://alice:s%3Dcret@localhost:${secureProxyPort}`;
        const response = await probe();
        assert.equal(response.status, 200);
        assert.deepEqual(
            connects.map((c) => c.secure),
            [true],
        );
    });

    it("a proxy that asks for credentials is named, with where they go, and no password is echoed", async () => {
        process.env.HTTPS_PROXY = `http://127.0.0.1:${proxyPort}`;
        await assert.rejects(probe(), (error: Error) => {
            assert.match(error.message, /the proxy 127\.0\.0\.1:\d+ refused a tunnel to localhost:\d+ \(HTTP 407\): it asks for credentials/);
            return true;
        });
        process.env.HTTPS_PROXY = `http://alice:wrong-password@127.0.0.1:${proxyPort}`;
        await assert.rejects(probe(), (error: Error) => {
            assert.match(error.message, /HTTP 407/);
            assert.doesNotMatch(error.message, /wrong-password|alice/);
            return true;
        });
    });

    it("goes direct for a host NO_PROXY names", async () => {
        process.env.HTTPS_PROXY = `http://alice:s%3Dcret@127.0.0.1:${proxyPort}`;
        process.env.NO_PROXY = "*.localdomain,localhost";
        assert.equal((await probe()).status, 200);
        assert.equal(connects.length, 0);
    });
});

describe("a Redis probe's reply", () => {
    let server: TlsServer;
    let port: number;
    const sockets = new Set<Socket>();
    let restoreProxyVariables = () => {};

    before(async () => {
        restoreProxyVariables = clearProxyVariables();
        // A server that answers a command with an endless line: 70 KiB and no CRLF.
        server = createTlsServer(localhostCertificate(), (socket) => {
            sockets.add(socket);
            socket.on("error", () => undefined);
            socket.once("data", () => socket.write("+".padEnd(70 * 1024, "x")));
        });
        port = await listen(server);
    });
    after(async () => {
        restoreProxyVariables();
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => server.close(resolve));
    });

    it("is read up to 64 KiB: a longer one ends the probe with an error, not a growing buffer", async () => {
        await assert.rejects(tlsExchange("localhost", port, ["*1\r\n$4\r\nPING\r\n"], 10_000), /sent a reply longer than 65536 bytes/);
    });
});

describe("a probe's answer in messages", () => {
    const KEY = "c2VjcmV0LWtleS1lY2hvZWQtYmFjay1ieS1hLWRhdGEtcGxhbmUtMDAwMDAwMDA=";
    let server: Server;
    let port: number;
    let restoreProxyVariables = () => {};

    before(async () => {
        restoreProxyVariables = clearProxyVariables();
        // A data plane that refuses the key and echoes it where a 200-character cut would split it.
        server = createHttpsServer(localhostCertificate(), (req, res) => {
            const status = Number(new URL(req.url ?? "/", "https://localhost").searchParams.get("status") ?? 401);
            res.writeHead(status).end(`${"x".repeat(190)} ${KEY}`);
        });
        port = await listen(server);
    });
    after(async () => {
        restoreProxyVariables();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
    });

    it("is redacted before it is cut short: no part of a key echoed back survives the cut", async () => {
        const parsed = parseResourceId(resourceIds("answer").search);
        assert.ok(parsed.ok);
        const spec: ProbeSpec = {
            scheme: "apiKey",
            requests: [{ method: "GET", url: `https://localhost:${port}/servicestats`, accepts: [200] }],
            params: { header: "api-key" },
        };
        const outcome = await probeKey(spec, parsed.target, "public", { key: KEY }, 5_000);
        assert.equal(outcome.accepted, false);
        assert.match(outcome.answer, /^HTTP 401 x+/);
        assert.ok(!outcome.answer.includes(KEY.slice(0, 8)), outcome.answer);
    });
    const probeAnswering = (status: number): ProbeSpec => ({
        scheme: "apiKey",
        requests: [{ method: "GET", url: `https://localhost:${port}/servicestats?status=${status}`, accepts: [200] }],
        params: { header: "api-key" },
    });
    const clock = () => {
        // Time passes only when the verifier sleeps; it starts at the real time, which the server's Date header is near.
        let now = Date.now();
        return {
            now: () => now,
            sleep: async (ms: number) => {
                now += ms;
            },
        };
    };

    it("an answer that neither accepts nor refuses a key (404, 400) ends verification after three probes, saying so", async () => {
        const parsed = parseResourceId(resourceIds("answer").search);
        assert.ok(parsed.ok);
        for (const status of [404, 400]) {
            const result = await verifyKey(probeAnswering(status), parsed.target, "public", { key: KEY }, { deadlineMs: 300_000, ...clock() });
            assert.equal(result.accepted, false);
            assert.equal(result.inconclusive, true);
            assert.equal(result.attempts, 3, `HTTP ${status}`);
        }
    });

    it("a refusal (401, 403) or a busy answer (429, 503) is waited out until the deadline", async () => {
        const parsed = parseResourceId(resourceIds("answer").search);
        assert.ok(parsed.ok);
        for (const status of [401, 403, 429, 503]) {
            const result = await verifyKey(probeAnswering(status), parsed.target, "public", { key: KEY }, { deadlineMs: 60_000, ...clock() });
            assert.equal(result.accepted, false);
            assert.ok(!result.inconclusive, `HTTP ${status}`);
            assert.ok(result.attempts > 3, `HTTP ${status}: ${result.attempts} probes`);
        }
    });
});
