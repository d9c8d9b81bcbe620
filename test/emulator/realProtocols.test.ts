/**
 * Each service's data plane on its real host names, through the emulator's proxy, with requests
 * signed here from the services' documentation (independently of the emulator's verifiers and of
 * the package's signers): the current key is accepted, a revoked one refused in the service's own
 * shape, a key still propagating refused until its delay has passed. The official SDKs' side is
 * test/provider-host/sdkConsumers.test.ts.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request } from "node:https";
import type { Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { connect as tlsConnect } from "node:tls";
import { HttpsProxyAgent } from "https-proxy-agent";
import type { AzureEmulator } from "../../emulator";
import { postDataPlane } from "../../scripts/consumers";
import { CATALOG } from "../../src/catalog";
import { resourceIds, startEmulator } from "../helpers/emulator";

let emulator: AzureEmulator;
let proxy: string;
let agent: HttpsProxyAgent<string>;
before(async () => {
    emulator = await startEmulator();
    proxy = await emulator.startProxy();
    agent = new HttpsProxyAgent(proxy);
});
after(() => emulator.stop());

const has = (service: string) => CATALOG.some((e) => e.service === service);
const skipUnless = (service: string) => ({ skip: !has(service) && `${service} is not in the catalog yet` });
const nameOf = (id: string, index = -1) => id.split("/").at(index)!;

interface Answer {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
}

/** One HTTPS request through the emulator's proxy. */
function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
        const req = request(url, { method: options.method ?? "GET", headers: options.headers, agent }, (res) => {
            let body = "";
            res.setEncoding("latin1");
            res.on("data", (d: string) => (body += d));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.on("error", reject);
        req.end(options.body);
    });
}

/** A CONNECT through the proxy: the status line it answers. */
function connectStatus(target: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const req = httpRequest(proxy, { method: "CONNECT", path: target });
        req.on("connect", (res, socket: Socket) => {
            socket.destroy();
            resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
    });
}

/** Sends RESP commands over TLS through the proxy (SNI = the host name) and collects the replies. */
function redis(host: string, port: number, commands: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
        const req = httpRequest(proxy, { method: "CONNECT", path: `${host}:${port}` });
        req.on("connect", (res, raw: Socket) => {
            if (res.statusCode !== 200) return reject(new Error(`CONNECT ${res.statusCode}`));
            const socket = tlsConnect({ socket: raw, servername: host }, () => {
                socket.write(commands.map((c) => `${c}\r\n`).join(""));
            });
            let text = "";
            socket.on("data", (d: Buffer) => (text += d.toString()));
            socket.on("end", () => resolve(text));
            socket.on("error", reject);
        });
        req.on("error", reject);
        req.end();
    });
}

/** SignalR / Web PubSub: an HS256 JWT with the key's UTF-8 bytes, aud the URL. */
function jwt(key: string, aud: string): string {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const body = `${enc({ alg: "HS256", typ: "JWT" })}.${enc({ aud, iat: now, exp: now + 3600 })}`;
    return `${body}.${createHmac("sha256", key).update(body).digest("base64url")}`;
}

/** Service Bus family: `SharedAccessSignature sr&sig&se&skn`, the key's UTF-8 bytes. */
function sas(key: string, rule: string, resource: string): string {
    const sr = encodeURIComponent(resource);
    const se = Math.floor(Date.now() / 1000) + 600;
    const sig = encodeURIComponent(createHmac("sha256", key).update(`${sr}\n${se}`).digest("base64"));
    return `SharedAccessSignature sr=${sr}&sig=${sig}&se=${se}&skn=${rule}`;
}

describe("the services' own data planes through the proxy", () => {
    it("the proxy tunnels the hosts of emulated resources (and Redis ports), and refuses any other", async () => {
        const id = resourceIds("tunnel").signalr;
        emulator.createResource(id);
        assert.equal(await connectStatus(`${nameOf(id)}.service.signalr.net:443`), 200);
        assert.equal(await connectStatus(`${nameOf(id)}.service.signalr.azure.us:443`), 200);
        assert.equal(await connectStatus(`${nameOf(id)}.service.signalr.net:8443`), 403);
        assert.equal(await connectStatus("nosuch.service.signalr.net:443"), 403);
        assert.equal(await connectStatus("example.com:443"), 403);
        assert.equal(await connectStatus("nosuch.blob.core.windows.net:443"), 403);
    });

    it("signalr: a JWT signed with the current key gets 404 (nobody connected); a revoked key 401 with WWW-Authenticate; health needs none", async () => {
        const id = resourceIds("proto").signalr;
        const { keys } = emulator.createResource(id);
        const url = `https://${nameOf(id)}.service.signalr.net/api/hubs/keyrotation/users/keyrotation-probe?api-version=2022-06-01`;
        const head = (key: string, aud = url) => call(url, { method: "HEAD", headers: { Authorization: `Bearer ${jwt(key, aud)}` } });
        assert.equal((await head(keys.Primary)).status, 404);
        assert.equal((await head(keys.Secondary, url.replace(/\?.*$/, ""))).status, 404, "aud without the query");
        assert.equal((await head(keys.Salt)).status, 401, "the salt is not an access key");
        emulator.regenerate(id, "Primary");
        const refused = await head(keys.Primary);
        assert.equal(refused.status, 401);
        assert.equal(refused.headers["www-authenticate"], 'Bearer error="invalid_token", error_description="The signature key was not found"');
        const audience = await head(keys.Secondary, url.replace("keyrotation-probe", "someone-else"));
        assert.match(String(audience.headers["www-authenticate"]), /The audience is invalid/);
        assert.equal((await call(`https://${nameOf(id)}.service.signalr.net/api/health`, { method: "HEAD" })).status, 200);
        assert.deepEqual(
            emulator.dataPlaneRequests().map((r) => r.bearer),
            emulator.dataPlaneRequests().map(() => false),
            "a service's own JWT is not an Entra token",
        );
    });

    it("keyPropagationMs: a new key is refused (like a wrong one) until it has propagated; the key it replaced at once; the generic endpoint too", async () => {
        const id = resourceIds("propagation").signalr;
        const before = { ...emulator.createResource(id, { keyPropagationMs: 400 }).keys };
        const url = `https://${nameOf(id)}.service.signalr.net/api/hubs/h/users/u?api-version=2022-06-01`;
        const head = (key: string) => call(url, { method: "HEAD", headers: { Authorization: `Bearer ${jwt(key, url)}` } });
        assert.equal((await head(before.Primary)).status, 404, "the keys a resource is created with work at once");
        emulator.regenerate(id, "Primary");
        const fresh = emulator.resource(id)!.keys.Primary;
        assert.equal((await head(before.Primary)).status, 401);
        assert.equal((await head(fresh)).status, 401);
        assert.equal(emulator.authenticate(id, fresh), undefined);
        assert.equal((await postDataPlane(emulator.url, id, { credential: fresh })).status, 401);
        assert.equal((await head(before.Secondary)).status, 404, "the other key is unaffected");
        await sleep(450);
        assert.equal((await head(fresh)).status, 404);
        assert.equal(emulator.authenticate(id, fresh), "Primary");
        assert.equal((await postDataPlane(emulator.url, id, { credential: fresh })).status, 200);
    });

    it("the emulator's default keyPropagationMs applies to resources that set none", async () => {
        const id = resourceIds("default-propagation").signalr;
        emulator.createResource(id);
        emulator.keyPropagationMs = 60_000;
        try {
            emulator.regenerate(id, "Secondary");
            assert.equal(emulator.authenticate(id, emulator.resource(id)!.keys.Secondary), undefined);
        } finally {
            emulator.keyPropagationMs = 0;
        }
        assert.equal(emulator.authenticate(id, emulator.resource(id)!.keys.Secondary), "Secondary");
    });

    it("apim-tenant-access: SharedAccessSignature uid=integration (HMAC-SHA512) lists APIs; a revoked key or another uid gets 401", async () => {
        const id = resourceIds("proto")["apim-tenant-access"];
        const { keys } = emulator.createResource(id);
        const service = nameOf(id, -3);
        const url = `https://${service}.management.azure-api.net${id.replace(/\/tenant\/access$/, "")}/apis?api-version=2021-08-01&$top=1`;
        const token = (key: string, uid = "integration") => {
            const ex = new Date(Date.now() + 3600_000).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
            return `SharedAccessSignature uid=${uid}&ex=${ex}&sn=${createHmac("sha512", key).update(`${uid}\n${ex}`).digest("base64")}`;
        };
        const ok = await call(url, { headers: { Authorization: token(keys.Secondary) } });
        assert.equal(ok.status, 200, ok.body);
        assert.deepEqual(JSON.parse(ok.body).value, []);
        assert.equal((await call(url, { headers: { Authorization: token(keys.Primary, "git") } })).status, 401);
        emulator.regenerate(id, "Primary");
        const refused = await call(url, { headers: { Authorization: token(keys.Primary) } });
        assert.equal(refused.status, 401);
        assert.equal(JSON.parse(refused.body).error.code, "Unauthorized");
    });

    it(
        "servicebus: a Manage rule reads $namespaceinfo (200); Listen/Send rules get 401 'claim(s) are required'; a revoked key 401 InvalidSignature",
        skipUnless("servicebus-queue"),
        async () => {
            const ids = resourceIds("proto");
            const root = emulator.createResource(ids["servicebus-namespace"]);
            const send = emulator.createResource(ids["servicebus-queue"]);
            const ns = nameOf(ids["servicebus-namespace"], -3).toLowerCase();
            const queue = nameOf(ids["servicebus-queue"], -3);
            const base = `https://${ns}.servicebus.windows.net/`;
            const info = `${base}$namespaceinfo?api-version=2021-05`;
            const ok = await call(info, { headers: { Authorization: sas(root.keys.Primary, "RootManageSharedAccessKey", base) } });
            assert.equal(ok.status, 200, ok.body);
            assert.match(ok.body, /<NamespaceInfo /);
            const claim = await call(`${base}${queue}?api-version=2021-05`, {
                headers: { Authorization: sas(send.keys.Primary, nameOf(ids["servicebus-queue"]), `${base}${queue}`) },
            });
            assert.equal(claim.status, 401);
            assert.match(claim.body, /<Error><Code>401<\/Code><Detail>Unauthorized access\. 'Manage' claim\(s\) are required/);
            const old = root.keys.Primary;
            emulator.regenerate(ids["servicebus-namespace"], "Primary");
            const refused = await call(info, { headers: { Authorization: sas(old, "RootManageSharedAccessKey", base) } });
            assert.equal(refused.status, 401);
            assert.match(refused.body, /InvalidSignature: The token has an invalid signature\./);
            const manage = emulator.createResource(ids["servicebus-topic"], { rights: ["Listen", "Send", "Manage"] });
            const topic = nameOf(ids["servicebus-topic"], -3);
            const rule = nameOf(ids["servicebus-topic"]);
            assert.equal(
                (await call(`${base}${topic}?api-version=2021-05`, { headers: { Authorization: sas(manage.keys.Secondary, rule, `${base}${topic}`) } })).status,
                200,
            );
        },
    );

    it("notificationhubs: a Listen rule reads a registration (404 proves the key); a revoked key 401", skipUnless("notificationhubs-hub"), async () => {
        const id = resourceIds("proto")["notificationhubs-hub"];
        const { keys } = emulator.createResource(id);
        const ns = nameOf(id, -5).toLowerCase();
        const hub = nameOf(id, -3);
        const url = `https://${ns}.servicebus.windows.net/${hub}/registrations/keyrotation-probe?api-version=2020-06`;
        const auth = (key: string) => ({ Authorization: sas(key, nameOf(id), `https://${ns}.servicebus.windows.net/`) });
        assert.equal((await call(url, { headers: auth(keys.Primary) })).status, 404);
        emulator.regenerate(id, "Primary");
        assert.equal((await call(url, { headers: auth(keys.Primary) })).status, 401);
    });

    it(
        "container-registry: /v2/ challenges; Basic on the token endpoint gives a token /v2/ accepts; a revoked password 401",
        skipUnless("container-registry"),
        async () => {
            const id = resourceIds("proto")["container-registry"];
            const { keys } = emulator.createResource(id);
            const registry = `${nameOf(id).toLowerCase()}.azurecr.io`;
            const challenge = await call(`https://${registry}/v2/`);
            assert.equal(challenge.status, 401);
            assert.equal(challenge.headers["www-authenticate"], `Bearer realm="https://${registry}/oauth2/token",service="${registry}"`);
            const basic = (password: string) => `Basic ${Buffer.from(`${nameOf(id)}:${password}`).toString("base64")}`;
            const token = await call(`https://${registry}/oauth2/token?service=${registry}&scope=registry:catalog:*`, {
                headers: { Authorization: basic(keys.Secondary) },
            });
            assert.equal(token.status, 200, token.body);
            const bearer = JSON.parse(token.body).access_token as string;
            assert.equal((await call(`https://${registry}/v2/`, { headers: { Authorization: `Bearer ${bearer}` } })).status, 200);
            assert.equal((await call(`https://${registry}/v2/`, { headers: { Authorization: basic(keys.Primary) } })).status, 200);
            emulator.regenerate(id, "Primary");
            assert.equal(
                (
                    await call(`https://${registry}/oauth2/token?service=${registry}&scope=registry:catalog:*`, {
                        headers: { Authorization: basic(keys.Primary) },
                    })
                ).status,
                401,
            );
        },
    );

    it("batch: Shared Key on {account}.westus.batch.azure.com lists applications; a revoked key 403 AuthenticationFailed", skipUnless("batch"), async () => {
        const id = resourceIds("proto").batch;
        const { keys } = emulator.createResource(id);
        const account = nameOf(id);
        const path = "/applications?api-version=2024-07-01.20.0&maxresults=1";
        const signed = (key: string) => {
            const date = new Date().toUTCString();
            const text = `GET\n\n\n\n\n\n\n\n\n\n\n\nocp-date:${date}\n/${account}/applications\napi-version:2024-07-01.20.0\nmaxresults:1`;
            return {
                "ocp-date": date,
                Authorization: `SharedKey ${account}:${createHmac("sha256", Buffer.from(key, "base64")).update(text).digest("base64")}`,
            };
        };
        const url = `https://${account.toLowerCase()}.westus.batch.azure.com${path}`;
        const ok = await call(url, { headers: signed(keys.Primary) });
        assert.equal(ok.status, 200, ok.body);
        assert.deepEqual(JSON.parse(ok.body).value, []);
        emulator.regenerate(id, "Primary");
        const refused = await call(url, { headers: signed(keys.Primary) });
        assert.equal(refused.status, 403);
        assert.equal(JSON.parse(refused.body).code, "AuthenticationFailed");
    });

    it("maps: subscription-key on atlas.microsoft.com gets a tile; a revoked key 401", skipUnless("maps"), async () => {
        const id = resourceIds("proto").maps;
        const { keys } = emulator.createResource(id);
        const url = "https://atlas.microsoft.com/map/tile?api-version=2024-04-01&tilesetId=microsoft.terra.main&zoom=0&x=0&y=0";
        const ok = await call(url, { headers: { "subscription-key": keys.Primary } });
        assert.equal(ok.status, 200);
        assert.equal(ok.headers["content-type"], "image/png");
        emulator.regenerate(id, "Primary");
        assert.equal((await call(url, { headers: { "subscription-key": keys.Primary } })).status, 401);
    });

    it("storage: a Shared Key request for an account that refuses shared keys gets 403 KeyBasedAuthenticationNotPermitted", skipUnless("storage"), async () => {
        const id = resourceIds("nokeys").storage;
        const { keys } = emulator.createResource(id, { localAuthDisabled: true });
        const account = nameOf(id);
        const date = new Date().toUTCString();
        const text = `GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:${date}\nx-ms-version:2026-04-06\n/${account}/\ncomp:properties\nrestype:service`;
        const refused = await call(`https://${account}.blob.core.windows.net/?restype=service&comp=properties`, {
            headers: {
                "x-ms-date": date,
                "x-ms-version": "2026-04-06",
                Authorization: `SharedKey ${account}:${createHmac("sha256", Buffer.from(keys.Primary, "base64")).update(text).digest("base64")}`,
            },
        });
        assert.equal(refused.status, 403);
        assert.equal(refused.headers["x-ms-error-code"], "KeyBasedAuthenticationNotPermitted");
    });

    for (const [service, port] of [
        ["redis", 6380],
        ["managed-redis", 10000],
    ] as const) {
        it(`${service}: AUTH over TLS on port ${port} (+OK, +PONG); a revoked key -WRONGPASS`, skipUnless(service), async () => {
            const id = resourceIds("proto")[service];
            const { keys } = emulator.createResource(id);
            const host = service === "redis" ? `${nameOf(id).toLowerCase()}.redis.cache.windows.net` : `${nameOf(id, -3).toLowerCase()}.westus.redis.azure.net`;
            assert.equal(
                await redis(host, port, ["PING", `AUTH ${keys.Primary}`, "PING", "QUIT"]),
                "-NOAUTH Authentication required.\r\n+OK\r\n+PONG\r\n+OK\r\n",
            );
            emulator.regenerate(id, "Primary");
            assert.equal(
                await redis(host, port, [`AUTH default ${keys.Primary}`, "QUIT"]),
                "-WRONGPASS invalid username-password pair or user is disabled.\r\n+OK\r\n",
            );
            assert.equal(await connectStatus(`${host}:443`), 403, "no HTTPS on a cache's name");
        });
    }
});
