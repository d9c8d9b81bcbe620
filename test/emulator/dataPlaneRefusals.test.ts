/**
 * What each service's data plane answers when it will not let a request in, as the service itself
 * answers it: shared keys turned off, a firewall that shuts the caller out (whatever the key), a
 * wrong key. The expected codes and texts are the ones public sources quote (research notes for
 * issue 19, section B), written here, not taken from the emulator's code.
 */
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import type { Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { connect as tlsConnect } from "node:tls";
import type { AzureEmulator } from "../../emulator";
import { batchApplicationsHeaders, cosmosAccountHeaders, sasToken, serviceJwt, storagePropertiesHeaders, wrongKey } from "../helpers/dataPlaneSigners";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { call } from "../helpers/emulatorCalls";

let emulator: AzureEmulator;
let proxy: string;
before(async () => {
    emulator = await startEmulator();
    proxy = await emulator.startProxy();
});
after(() => emulator.stop());

const nameOf = (id: string, index = -1) => id.split("/").at(index)!;
const get = (url: string, headers: Record<string, string>) => call(url, { headers, proxy });

/** Sends RESP commands over TLS through the proxy; resolves with the replies, or `closed` if the connection closed before any. */
function redis(host: string, port: number, commands: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
        const req = httpRequest(proxy, { method: "CONNECT", path: `${host}:${port}` });
        req.on("connect", (res, raw: Socket) => {
            if (res.statusCode !== 200) return reject(new Error(`CONNECT ${res.statusCode}`));
            let text = "";
            const socket = tlsConnect({ socket: raw, servername: host }, () => socket.write(commands.map((c) => `${c}\r\n`).join("")));
            socket.on("data", (d: Buffer) => (text += d.toString()));
            socket.on("close", () => resolve(text === "" ? "closed" : text));
            socket.on("error", () => {});
        });
        req.on("error", reject);
        req.end();
    });
}

describe("Storage: shared keys off, a firewall and a wrong key each get their own 403", () => {
    const url = (account: string) => `https://${account}.blob.core.windows.net/?restype=service&comp=properties`;

    it("shared keys off: 403 KeyBasedAuthenticationNotPermitted, even with the current key", async () => {
        const id = resourceIds("st-nokeys").storage;
        const { keys } = emulator.createResource(id, { localAuthDisabled: true });
        const answer = await get(url(nameOf(id)), storagePropertiesHeaders(nameOf(id), keys.Primary));
        assert.equal(answer.status, 403);
        assert.equal(answer.headers["x-ms-error-code"], "KeyBasedAuthenticationNotPermitted");
        assert.match(answer.body, /<Message>Key based authentication is not permitted on this storage account\./);
    });

    it("a firewall: 403 AuthorizationFailure for the current key, the other key and a wrong key alike", async () => {
        const id = resourceIds("st-fw").storage;
        const { keys } = emulator.createResource(id, { firewall: true });
        for (const key of [keys.Primary, keys.Secondary, wrongKey(keys.Primary)]) {
            const answer = await get(url(nameOf(id)), storagePropertiesHeaders(nameOf(id), key));
            assert.equal(answer.status, 403);
            assert.equal(answer.headers["x-ms-error-code"], "AuthorizationFailure");
            assert.match(answer.body, /<Message>This request is not authorized to perform this operation\./);
        }
    });

    it("a wrong key: 403 AuthenticationFailed with the detail; the other key still works", async () => {
        const id = resourceIds("st-wrong").storage;
        const { keys } = emulator.createResource(id);
        const answer = await get(url(nameOf(id)), storagePropertiesHeaders(nameOf(id), wrongKey(keys.Primary)));
        assert.equal(answer.status, 403);
        assert.equal(answer.headers["x-ms-error-code"], "AuthenticationFailed");
        assert.match(answer.body, /<AuthenticationErrorDetail>The MAC signature found in the HTTP request/);
        assert.equal((await get(url(nameOf(id)), storagePropertiesHeaders(nameOf(id), keys.Secondary))).status, 200);
    });

    it("wrongKeyAnswer azurite: a wrong key gets AuthorizationFailure, the firewall's code; only a probe with the other key tells them apart", async () => {
        const azurite = resourceIds("st-azurite").storage;
        const walled = resourceIds("st-walled").storage;
        const a = emulator.createResource(azurite, { wrongKeyAnswer: "azurite" });
        const w = emulator.createResource(walled, { firewall: true });
        const wrong = await get(url(nameOf(azurite)), storagePropertiesHeaders(nameOf(azurite), wrongKey(a.keys.Primary)));
        const blocked = await get(url(nameOf(walled)), storagePropertiesHeaders(nameOf(walled), w.keys.Primary));
        assert.equal(wrong.status, blocked.status);
        assert.equal(wrong.headers["x-ms-error-code"], "AuthorizationFailure");
        assert.equal(wrong.headers["x-ms-error-code"], blocked.headers["x-ms-error-code"], "the code alone cannot tell them apart");
        // The other, still valid key: the wrong key's account lets it in, the firewall refuses it too.
        assert.equal((await get(url(nameOf(azurite)), storagePropertiesHeaders(nameOf(azurite), a.keys.Secondary))).status, 200);
        assert.equal((await get(url(nameOf(walled)), storagePropertiesHeaders(nameOf(walled), w.keys.Secondary))).status, 403);
    });

    it("a key still propagating is refused as a wrong key (AuthenticationFailed), not as a firewall", async () => {
        const id = resourceIds("st-prop").storage;
        emulator.createResource(id, { keyPropagationMs: 60_000 });
        emulator.regenerate(id, "Secondary");
        const answer = await get(url(nameOf(id)), storagePropertiesHeaders(nameOf(id), emulator.resource(id)!.keys.Secondary));
        assert.equal(answer.headers["x-ms-error-code"], "AuthenticationFailed");
    });

    it("the firewall shuts out the caller of the data plane, not ARM nor the applications (authenticate())", () => {
        const id = resourceIds("st-fw").storage;
        assert.equal(emulator.authenticate(id, emulator.resource(id)!.keys.Primary), "Primary");
    });
});

describe("Cosmos DB: 401 substatus 5202 with local auth off, 403 behind a firewall, 401 for a wrong key", () => {
    const url = (id: string) => `https://${nameOf(id)}.documents.azure.com/`;

    it("local auth off", async () => {
        const id = resourceIds("cos-nokeys").cosmosdb;
        const { keys } = emulator.createResource(id, { localAuthDisabled: true });
        const answer = await get(url(id), cosmosAccountHeaders(keys.Primary));
        assert.equal(answer.status, 401);
        assert.equal(answer.headers["x-ms-substatus"], "5202");
        assert.match(JSON.parse(answer.body).message, /^Local Authorization is disabled\. Use an AAD token to authorize all requests\./);
    });

    it("a firewall", async () => {
        const id = resourceIds("cos-fw").cosmosdb;
        const { keys } = emulator.createResource(id, { firewall: true });
        const answer = await get(url(id), cosmosAccountHeaders(keys.Primary));
        assert.equal(answer.status, 403);
        const body = JSON.parse(answer.body);
        assert.equal(body.code, "Forbidden");
        assert.match(body.message, /This is blocked by your Cosmos DB account firewall settings/);
    });

    it("a wrong key", async () => {
        const id = resourceIds("cos-wrong").cosmosdb;
        const { keys } = emulator.createResource(id);
        const answer = await get(url(id), cosmosAccountHeaders(wrongKey(keys.Primary)));
        assert.equal(answer.status, 401);
        assert.match(JSON.parse(answer.body).message, /The input authorization token can't serve the request/);
        assert.equal((await get(url(id), cosmosAccountHeaders(keys.Primary))).status, 200);
    });
});

describe("Service Bus and Event Hubs: 401 for all three, told apart by the detail", () => {
    for (const [service, provider] of [
        ["servicebus-namespace", "servicebus"],
        ["eventhubs-namespace", "eventhubs"],
    ] as const) {
        const base = (id: string) => `https://${nameOf(id, -3).toLowerCase()}.servicebus.windows.net/`;
        const info = (id: string, key: string) =>
            get(`${base(id)}$namespaceinfo?api-version=2021-05`, { Authorization: sasToken(key, "RootManageSharedAccessKey", base(id)) });

        it(`${provider}: local auth off (the namespace's): LocalAuthDisabled`, async () => {
            const id = resourceIds(`${provider}-nokeys`)[service];
            const { keys } = emulator.createResource(id, { localAuthDisabled: true });
            const answer = await info(id, keys.Primary);
            assert.equal(answer.status, 401);
            assert.match(answer.body, /<Detail>LocalAuthDisabled: Authorization failed because SAS authentication has been disabled for the namespace\./);
        });

        it(`${provider}: a firewall: Ip has been prevented to connect to the endpoint`, async () => {
            const id = resourceIds(`${provider}-fw`)[service];
            const { keys } = emulator.createResource(id, { firewall: true });
            const answer = await info(id, keys.Primary);
            assert.equal(answer.status, 401);
            assert.match(answer.body, /<Detail>Ip has been prevented to connect to the endpoint\./);
        });

        it(`${provider}: a wrong key: InvalidSignature`, async () => {
            const id = resourceIds(`${provider}-wrong`)[service];
            const { keys } = emulator.createResource(id);
            const answer = await info(id, wrongKey(keys.Primary));
            assert.equal(answer.status, 401);
            assert.match(answer.body, /<Detail>InvalidSignature: The token has an invalid signature\./);
        });
    }

    it("a firewall on one rule is its namespace's: another rule of it is refused too", async () => {
        const ids = resourceIds("sb-fw-ns");
        emulator.createResource(ids["servicebus-queue"], { firewall: true });
        const root = emulator.createResource(ids["servicebus-namespace"]);
        const base = `https://${nameOf(ids["servicebus-namespace"], -3).toLowerCase()}.servicebus.windows.net/`;
        const answer = await get(`${base}$namespaceinfo?api-version=2021-05`, {
            Authorization: sasToken(root.keys.Primary, "RootManageSharedAccessKey", base),
        });
        assert.match(answer.body, /Ip has been prevented/);
    });
});

describe("the other services' refusals", () => {
    it("AI Services: 403 AuthenticationTypeDisabled with local auth off; 403 'Virtual Network/Firewall rules' behind a firewall; 401 for a wrong key", async () => {
        const host = (id: string) => `https://${nameOf(id).toLowerCase()}.openai.azure.com/openai/models?api-version=2024-10-21`;
        const off = resourceIds("cog-nokeys")["cognitive-services"];
        const fw = resourceIds("cog-fw")["cognitive-services"];
        const ok = resourceIds("cog-wrong")["cognitive-services"];
        const offKeys = emulator.createResource(off, { localAuthDisabled: true }).keys;
        const fwKeys = emulator.createResource(fw, { firewall: true }).keys;
        emulator.createResource(ok);
        const a = await get(host(off), { "api-key": offKeys.Primary });
        assert.equal(a.status, 403);
        assert.equal(JSON.parse(a.body).error.code, "AuthenticationTypeDisabled");
        const b = await get(host(fw), { "api-key": fwKeys.Primary });
        assert.equal(b.status, 403);
        assert.equal(JSON.parse(b.body).error.message, "Access denied due to Virtual Network/Firewall rules.");
        const c = await get(host(ok), { "api-key": "0".repeat(32) });
        assert.equal(c.status, 401);
    });

    it("Container Registry: 403 DENIED behind a firewall; 401 UNAUTHORIZED for a wrong password", async () => {
        const fw = resourceIds("acrfw")["container-registry"];
        const ok = resourceIds("acrwrong")["container-registry"];
        const { keys } = emulator.createResource(fw, { firewall: true });
        emulator.createResource(ok);
        const basic = (id: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${nameOf(id)}:${password}`).toString("base64")}` });
        const a = await get(`https://${nameOf(fw).toLowerCase()}.azurecr.io/v2/`, basic(fw, keys.Primary));
        assert.equal(a.status, 403);
        assert.equal(JSON.parse(a.body).errors[0].code, "DENIED");
        assert.match(JSON.parse(a.body).errors[0].message, /^client with IP '.+' is not allowed access/);
        const b = await get(`https://${nameOf(ok).toLowerCase()}.azurecr.io/v2/`, basic(ok, "not-the-password"));
        assert.equal(b.status, 401);
        assert.equal(JSON.parse(b.body).errors[0].code, "UNAUTHORIZED");
    });

    it("Batch: without SharedKey in allowedAuthenticationModes, 403 AuthenticationFailed whose detail says SharedKey is not allowed", async () => {
        const id = resourceIds("batchoff").batch;
        const { keys } = emulator.createResource(id, { localAuthDisabled: true });
        const account = nameOf(id);
        const answer = await get(
            `https://${account.toLowerCase()}.westus.batch.azure.com/applications?api-version=2024-07-01.20.0&maxresults=1`,
            batchApplicationsHeaders(account, keys.Primary),
        );
        assert.equal(answer.status, 403);
        const body = JSON.parse(answer.body);
        assert.equal(body.code, "AuthenticationFailed");
        assert.deepEqual(body.values, [
            { key: "AuthenticationErrorDetail", value: "The specified type of authentication SharedKey is not allowed for this account." },
        ]);
    });

    it("SignalR: an access-key token is refused with 403 when local auth is off (401 for a wrong key)", async () => {
        const off = resourceIds("sr-nokeys").signalr;
        const ok = resourceIds("sr-wrong").signalr;
        const { keys } = emulator.createResource(off, { localAuthDisabled: true });
        emulator.createResource(ok);
        const url = (id: string) => `https://${nameOf(id)}.service.signalr.net/api/hubs/h/users/u?api-version=2022-06-01`;
        assert.equal((await call(url(off), { method: "HEAD", headers: { Authorization: `Bearer ${serviceJwt(keys.Primary, url(off))}` }, proxy })).status, 403);
        assert.equal((await call(url(ok), { method: "HEAD", headers: { Authorization: `Bearer ${serviceJwt("wrong", url(ok))}` }, proxy })).status, 401);
    });

    it("App Configuration: 403 behind a firewall (public network access off)", async () => {
        const id = resourceIds("acfw")["app-configuration"];
        emulator.createResource(id, { firewall: true });
        const answer = await get(`https://${nameOf(id).toLowerCase()}.azconfig.io/kv?api-version=1.0`, {});
        assert.equal(answer.status, 403);
    });

    it("Redis: a firewall closes the connection without a Redis reply; with access keys off, AUTH gets -WRONGPASS", async () => {
        const fw = resourceIds("redisfw").redis;
        const off = resourceIds("redisoff").redis;
        const fwKeys = emulator.createResource(fw, { firewall: true }).keys;
        const offKeys = emulator.createResource(off, { localAuthDisabled: true }).keys;
        emulator.clearRequests();
        assert.equal(await redis(`${nameOf(fw).toLowerCase()}.redis.cache.windows.net`, 6380, [`AUTH ${fwKeys.Primary}`, "QUIT"]), "closed");
        assert.equal(emulator.dataPlaneRequests()[0]?.fault, "firewall");
        assert.equal(
            await redis(`${nameOf(off).toLowerCase()}.redis.cache.windows.net`, 6380, [`AUTH ${offKeys.Primary}`, "QUIT"]),
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n+OK\r\n",
        );
    });

    it("Maps has no network rules: createResource refuses a firewall", () => {
        assert.throws(() => emulator.createResource(resourceIds("mapsfw").maps, { firewall: true }), /firewall: Maps accounts have no network rules/);
    });
});
