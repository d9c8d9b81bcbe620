/**
 * The emulator's data-plane verifiers against the research notes' test vectors (Appendix A), which
 * were checked byte for byte against the official SDKs' output: a correct signature is accepted, a
 * one-bit change is refused, a stale date is refused, and a key still propagating is refused until
 * its delay has passed.
 */
import assert from "node:assert/strict";
import type { IncomingHttpHeaders } from "node:http";
import { describe, it } from "node:test";
import { verifyApiKey } from "../../emulator/dataPlane/apiKey";
import { verifyApimSas } from "../../emulator/dataPlane/apimSas";
import { verifyAppConfig } from "../../emulator/dataPlane/appConfigHmac";
import { verifyBasic } from "../../emulator/dataPlane/basicAcr";
import { batchStringToSign, verifyBatchSharedKey } from "../../emulator/dataPlane/batchSharedKey";
import { verifyCosmos } from "../../emulator/dataPlane/cosmosMaster";
import { verifyAcs } from "../../emulator/dataPlane/hmacAcs";
import { DataPlane } from "../../emulator/dataPlane/index";
import { verifyJwt } from "../../emulator/dataPlane/jwt";
import { parseCommands, reply } from "../../emulator/dataPlane/redisResp";
import { certificateNames, SERVICE_HOSTS, STORAGE_DNS_ZONES } from "../../emulator/dataPlane/router";
import { verifySas } from "../../emulator/dataPlane/sbSas";
import { storageStringToSign, verifyStorageSharedKey } from "../../emulator/dataPlane/storageSharedKey";
import type { DataPlaneRequest, UsableKey } from "../../emulator/dataPlane/types";
import { type EmulatedResource, InMemoryStore } from "../../emulator/state";

const KEY_07 = Buffer.alloc(64, 7).toString("base64");
const DATE = "Tue, 01 Dec 2026 02:24:19 GMT";
const NOW = Date.parse(DATE);
const STALE = NOW + 16 * 60_000;
const EMPTY_HASH = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers";

function resource(id: string, keys: Record<string, string>, extra: Partial<EmulatedResource> = {}): EmulatedResource {
    return {
        id,
        service: "test",
        keys,
        keyIds: {},
        generations: {},
        generatedAt: {},
        busy: false,
        localAuthDisabled: false,
        ...extra,
    };
}

const keysOf = (r: EmulatedResource): UsableKey[] => Object.entries(r.keys).map(([keyType, value]) => ({ resource: r, keyType, value }));
/** The same keys, one of them another key (a revoked one). */
const revoked = (r: EmulatedResource): UsableKey[] => keysOf(r).map((k) => ({ ...k, value: k.value.replace(/^./, (c) => (c === "A" ? "B" : "A")) }));

/** A base64 signature with one bit of its bytes flipped. */
function flipBit(b64: string): string {
    const bytes = Buffer.from(b64, "base64");
    bytes[0] ^= 1;
    return bytes.toString("base64");
}

function request(method: string, host: string, target: string, headers: IncomingHttpHeaders, now = NOW, body = ""): DataPlaneRequest {
    return { method, host, target, url: new URL(target, `https://${host}`), headers: { host, ...headers }, body, now };
}

describe("Storage Shared Key (vector: account acct, service properties)", () => {
    const acct = resource(`${SUB}/Microsoft.Storage/storageAccounts/acct`, { Primary: KEY_07 });
    const signature = "TpPjfaalbJPMetoUqoBVTwLAY4UYwUMsA+WgEndHMFg=";
    const headers = (sig: string, date = DATE): IncomingHttpHeaders => ({
        "x-ms-client-request-id": "00000000-0000-0000-0000-000000000001",
        "x-ms-date": date,
        "x-ms-version": "2026-04-06",
        authorization: `SharedKey acct:${sig}`,
    });
    const req = (sig: string, now = NOW) => ({ method: "GET", target: "/?restype=service&comp=properties", headers: headers(sig), now });

    it("builds the documented string-to-sign", () => {
        assert.equal(
            storageStringToSign(req(signature), "acct"),
            "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-client-request-id:00000000-0000-0000-0000-000000000001\nx-ms-date:Tue, 01 Dec 2026 02:24:19 GMT\nx-ms-version:2026-04-06\n/acct/\ncomp:properties\nrestype:service",
        );
    });
    it("accepts the SDK's signature, refuses a flipped bit, a revoked key, a stale date", () => {
        assert.equal(verifyStorageSharedKey(req(signature), "acct", keysOf(acct), NOW).ok, true);
        const flipped = verifyStorageSharedKey(req(flipBit(signature)), "acct", keysOf(acct), NOW);
        assert.ok(!flipped.ok && /is not the same as any computed signature. Server used following string to sign: 'GET\n/.test(flipped.reason));
        assert.equal(verifyStorageSharedKey(req(signature), "acct", revoked(acct), NOW).ok, false);
        const stale = verifyStorageSharedKey(req(signature), "acct", keysOf(acct), STALE);
        assert.ok(!stale.ok && /Request date header too old/.test(stale.reason));
        assert.equal(verifyStorageSharedKey(req(signature), "other", keysOf(acct), NOW).ok, false);
    });
});

describe("App Configuration HMAC (vector: store.azconfig.io, id ABCD-l0-s0:abcdef)", () => {
    const store = resource(`${SUB}/Microsoft.AppConfiguration/configurationStores/store`, { Primary: KEY_07 }, { keyIds: { Primary: "ABCD-l0-s0:abcdef" } });
    const target = "/kv?api-version=2026-04-01&key=probe*";
    const req = (sig: string, now = NOW, credential = "ABCD-l0-s0:abcdef") =>
        request(
            "GET",
            "store.azconfig.io",
            target,
            {
                "x-ms-date": DATE,
                "x-ms-content-sha256": EMPTY_HASH,
                authorization: `HMAC-SHA256 Credential=${credential}&SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${sig}`,
            },
            now,
        );
    const idOf = (k: UsableKey) => k.resource.keyIds[k.keyType];
    const signature = "kfajCRilMWu9ydlt17NqVXrRXeczzL8jsMDe6mPlUQE=";

    it("accepts the SDK's signature, refuses a flipped bit, an unknown credential, a stale date", () => {
        assert.equal(verifyAppConfig(req(signature), keysOf(store), idOf).ok, true);
        assert.deepEqual(verifyAppConfig(req(flipBit(signature)), keysOf(store), idOf), { ok: false, reason: "Invalid Signature" });
        assert.deepEqual(verifyAppConfig(req(signature), revoked(store), idOf), { ok: false, reason: "Invalid Signature" });
        assert.deepEqual(verifyAppConfig(req(signature, NOW, "other"), keysOf(store), idOf), { ok: false, reason: "Invalid Credential" });
        assert.deepEqual(verifyAppConfig(req(signature, STALE), keysOf(store), idOf), { ok: false, reason: "The access token has expired" });
    });
    it("accepts the documentation's `, ` separators", () => {
        const r = req(signature);
        r.headers.authorization = `HMAC-SHA256 Credential=ABCD-l0-s0:abcdef, SignedHeaders=x-ms-date;host;x-ms-content-sha256, Signature=${signature}`;
        assert.equal(verifyAppConfig(r, keysOf(store), idOf).ok, true);
    });
});

describe("Communication Services HMAC (vector: res.communication.azure.com, phone numbers)", () => {
    const acs = resource(`${SUB}/Microsoft.Communication/communicationServices/res`, { Primary: KEY_07 });
    const signature = "peVbC3vN8Qwa+9Oq9WBZyWYUcdmtDFeyyIKGewvncu0=";
    const req = (sig: string, now = NOW, hash = EMPTY_HASH) =>
        request(
            "GET",
            "res.communication.azure.com",
            "/phoneNumbers?skip=0&api-version=2025-06-01&top=100",
            {
                "x-ms-date": DATE,
                "x-ms-content-sha256": hash,
                authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${sig}`,
            },
            now,
        );

    it("accepts the SDK's signature, refuses a flipped bit, a revoked key, a stale date, a wrong content hash", () => {
        assert.equal(verifyAcs(req(signature), keysOf(acs)).ok, true);
        assert.deepEqual(verifyAcs(req(flipBit(signature)), keysOf(acs)), { ok: false, reason: "Denied by the resource provider." });
        assert.equal(verifyAcs(req(signature), revoked(acs)).ok, false);
        assert.equal(verifyAcs(req(signature, STALE), keysOf(acs)).ok, false);
        assert.deepEqual(verifyAcs(req(signature, NOW, flipBit(EMPTY_HASH)), keysOf(acs)), {
            ok: false,
            reason: "Request 'x-ms-content-sha256' differs from generated content hash.",
        });
    });
});

describe("Cosmos DB master key (vector: account read)", () => {
    const account = resource(`${SUB}/Microsoft.DocumentDB/databaseAccounts/acct`, { Primary: KEY_07 });
    const sig = "gSKn71LyFuYBGBfnNUM3B3Fm2+nND5fMLkcvG/D6JUM=";
    const req = (s: string, now = NOW) =>
        request(
            "GET",
            "acct.documents.azure.com",
            "/",
            { "x-ms-date": DATE, "x-ms-version": "2020-07-15", authorization: encodeURIComponent(`type=master&ver=1.0&sig=${s}`) },
            now,
        );

    it("accepts the SDK's token (URL-encoded), refuses a flipped bit, a revoked key, a stale date", () => {
        assert.equal(req(sig).headers.authorization, "type%3Dmaster%26ver%3D1.0%26sig%3DgSKn71LyFuYBGBfnNUM3B3Fm2%2BnND5fMLkcvG%2FD6JUM%3D");
        assert.equal(verifyCosmos(req(sig), keysOf(account)).ok, true);
        const flipped = verifyCosmos(req(flipBit(sig)), keysOf(account));
        assert.ok(!flipped.ok && flipped.reason.includes("Server used the following payload to sign: 'get\\n\\n\\ntue, 01 dec 2026 02:24:19 gmt\\n\\n'"));
        assert.equal(verifyCosmos(req(sig), revoked(account)).ok, false);
        const stale = verifyCosmos(req(sig, STALE), keysOf(account));
        assert.ok(!stale.ok && /not valid at the current time/.test(stale.reason));
    });
    it("lets a read-only key read, not write", () => {
        const ro = resource(account.id, { PrimaryReadOnly: KEY_07 });
        assert.equal(verifyCosmos(req(sig), keysOf(ro)).ok, true);
    });
});

describe("Batch Shared Key (vector: account acct, applications)", () => {
    const acct = resource(`${SUB}/Microsoft.Batch/batchAccounts/acct`, { Primary: KEY_07 });
    const signature = "D8QJntF1gsqdAGk53igU26YPOCbbsWkQtnG316K0Lyo=";
    const req = (sig: string) => ({
        method: "GET",
        target: "/applications?api-version=2024-07-01.20.0&maxresults=1",
        headers: { "ocp-date": DATE, authorization: `SharedKey acct:${sig}` },
    });

    it("builds the documented string-to-sign", () => {
        assert.equal(
            batchStringToSign(req(signature), "acct"),
            "GET\n\n\n\n\n\n\n\n\n\n\n\nocp-date:Tue, 01 Dec 2026 02:24:19 GMT\n/acct/applications\napi-version:2024-07-01.20.0\nmaxresults:1",
        );
    });
    it("accepts the SDK's signature, refuses a flipped bit, a revoked key, a stale date", () => {
        assert.equal(verifyBatchSharedKey(req(signature), "acct", keysOf(acct), NOW).ok, true);
        assert.equal(verifyBatchSharedKey(req(flipBit(signature)), "acct", keysOf(acct), NOW).ok, false);
        assert.equal(verifyBatchSharedKey(req(signature), "acct", revoked(acct), NOW).ok, false);
        const stale = verifyBatchSharedKey(req(signature), "acct", keysOf(acct), STALE);
        assert.ok(!stale.ok && /too old/.test(stale.reason));
    });
});

describe("SignalR / Web PubSub JWT (vector: key text used as UTF-8)", () => {
    const wps = resource(`${SUB}/Microsoft.SignalRService/webPubSub/name`, { Primary: KEY_07 });
    const token =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3OTYwOTE4NTksImV4cCI6MTc5NjA5NTQ1OSwiYXVkIjoiaHR0cHM6Ly9uYW1lLndlYnB1YnN1Yi5henVyZS5jb20vYXBpL2h1YnMvaHViMS91c2Vycy9wcm9iZT9hcGktdmVyc2lvbj0yMDI0LTEyLTAxIn0.4oLVhf_grodv7Rri2Lu8Sx_kDbaRADvoIyEMg92vyvY";
    const url = "https://name.webpubsub.azure.com/api/hubs/hub1/users/probe?api-version=2024-12-01";
    const iat = 1796091859 * 1000;

    it("accepts the SDK's token with or without the query in the URL, and HS512", () => {
        assert.equal(verifyJwt(token, keysOf(wps), url, iat).ok, true);
        assert.equal(verifyJwt(token, keysOf(wps), "https://NAME.webpubsub.azure.com:443/api/hubs/hub1/users/probe", iat).ok, true);
    });
    it("refuses a flipped bit, a revoked key, another audience, an expired token", () => {
        const [h, p, s] = token.split(".");
        const sig = Buffer.from(s, "base64url");
        sig[0] ^= 1;
        assert.deepEqual(verifyJwt(`${h}.${p}.${sig.toString("base64url")}`, keysOf(wps), url, iat), { ok: false, reason: "The signature key was not found" });
        assert.deepEqual(verifyJwt(token, revoked(wps), url, iat), { ok: false, reason: "The signature key was not found" });
        assert.deepEqual(verifyJwt(token, keysOf(wps), "https://name.webpubsub.azure.com/api/hubs/hub1/users/other", iat), {
            ok: false,
            reason: "The audience is invalid",
        });
        const expired = verifyJwt(token, keysOf(wps), url, iat + 3600_000 + 301_000);
        assert.ok(!expired.ok && /The token expired at/.test(expired.reason));
    });
});

describe("Service Bus family SAS (vectors: ATOM SDK form, Notification Hubs SDK form)", () => {
    const key = "AbCdEf0123456789abcdefABCDEF0123456789abcde=";
    const root = resource(`${SUB}/Microsoft.ServiceBus/namespaces/ns/authorizationRules/RootManageSharedAccessKey`, { Primary: key });
    const listen = resource(`${SUB}/Microsoft.NotificationHubs/namespaces/ns/authorizationRules/DefaultListenSharedAccessSignature`, { Primary: key });
    const atom =
        "SharedAccessSignature sig=XptrqlD0dVooq2GneT%2Bs7lPzVPWoHPUKy9QNqOpbxwk%3D&se=1796092351&skn=RootManageSharedAccessKey&sr=https%3a%2f%2fns.servicebus.windows.net%2fq1%3fapi-version%3d2021-05";
    const nh =
        "SharedAccessSignature sr=https%3A%2F%2Fns.servicebus.windows.net%2F&sig=PhOVWEllepiQzU4VoJoJjynbyEKtYBsUtu%2BztgebENs%3D&se=1796095651&skn=DefaultListenSharedAccessSignature";
    const now = 1796092000 * 1000;
    const q1 = new URL("https://ns.servicebus.windows.net/q1?api-version=2021-05");

    it("accepts both SDKs' tokens (sr compared decoded, case-insensitively, prefix, query ignored)", () => {
        assert.equal(verifySas(atom, q1, [root], keysOf, now).ok, true);
        assert.equal(verifySas(nh, new URL("https://ns.servicebus.windows.net/MyHub/registrations/x?api-version=2020-06"), [listen], keysOf, now).ok, true);
    });
    it("reads skn as a query value: a rule named with + is found from %2B, not from a bare + (a space)", async () => {
        const { SIGNERS } = await import("../../src/probe/signers");
        const plus = resource(`${SUB}/Microsoft.ServiceBus/namespaces/ns/authorizationRules/send+listen`, { Primary: key });
        const token = SIGNERS.sbSas({
            method: "GET",
            url: q1,
            body: "",
            key,
            params: { resource: "https://ns.servicebus.windows.net/", rule: "send+listen" },
            now: new Date(now),
        }).authorization;
        assert.match(token, /skn=send%2Blisten$/);
        assert.equal(verifySas(token, q1, [plus], keysOf, now).ok, true);
        assert.deepEqual(verifySas(token.replace("skn=send%2Blisten", "skn=send+listen"), q1, [plus], keysOf, now), {
            ok: false,
            detail: "InvalidSignature: The token has an invalid signature.",
        });
    });
    it("refuses a flipped bit, a revoked key, another audience, an expired token, a malformed one", () => {
        const flipped = atom.replace(
            "XptrqlD0dVooq2GneT%2Bs7lPzVPWoHPUKy9QNqOpbxwk%3D",
            encodeURIComponent(flipBit("XptrqlD0dVooq2GneT+s7lPzVPWoHPUKy9QNqOpbxwk=")),
        );
        assert.deepEqual(verifySas(flipped, q1, [root], keysOf, now), { ok: false, detail: "InvalidSignature: The token has an invalid signature." });
        assert.deepEqual(verifySas(atom, q1, [root], revoked, now), { ok: false, detail: "InvalidSignature: The token has an invalid signature." });
        const other = verifySas(atom, new URL("https://ns.servicebus.windows.net/q2?api-version=2021-05"), [root], keysOf, now);
        assert.ok(!other.ok && other.detail.startsWith("InvalidAudience"));
        const expired = verifySas(atom, q1, [root], keysOf, 1796092352 * 1000);
        assert.ok(!expired.ok && expired.detail.startsWith("ExpiredToken"));
        assert.deepEqual(verifySas("SharedAccessSignature sr=x", q1, [root], keysOf, now), { ok: false, detail: "40105: Malformed authorization token." });
    });
});

describe("API Management tenant access SAS (vector: uid integration, HMAC-SHA512)", () => {
    const key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab==";
    const access = resource(`${SUB}/Microsoft.ApiManagement/service/apim/tenant/access`, { Primary: key });
    const sn = "UyhKN3TlMM/9zJ9L0F1E71uT+wQRuti/RVWHzboqKaBOFq6NhqraghdF8pnzVnKWnVz84Hw0AWN5JK2e2fRlHw==";
    const token = (s: string) => `SharedAccessSignature uid=integration&ex=2026-12-01T03:24:19.0000000Z&sn=${s}`;

    it("accepts the documented token, refuses a flipped bit, a revoked key, another uid, an expired token", () => {
        assert.equal(verifyApimSas(token(sn), "integration", keysOf(access), NOW).ok, true);
        assert.equal(verifyApimSas(token(flipBit(sn)), "integration", keysOf(access), NOW).ok, false);
        assert.equal(verifyApimSas(token(sn), "integration", revoked(access), NOW).ok, false);
        assert.equal(verifyApimSas(token(sn), "git", keysOf(access), NOW).ok, false);
        assert.equal(verifyApimSas(token(sn), "integration", keysOf(access), NOW + 2 * 3600_000).ok, false);
    });
});

describe("keys sent as they are: api-key, Basic, RESP AUTH", () => {
    const search = resource(`${SUB}/Microsoft.Search/searchServices/s`, { Primary: "abc", Secondary: "def" });
    it("api-key: the key itself, nothing else", () => {
        assert.equal(verifyApiKey("def", keysOf(search)).ok, true);
        assert.equal(verifyApiKey("deg", keysOf(search)).ok, false);
        assert.equal(verifyApiKey(undefined, keysOf(search)).ok, false);
    });
    it("Basic: the registry's name and an admin password", () => {
        const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
        assert.equal(verifyBasic(basic("MyReg", "def"), "myreg", keysOf(search)).ok, true);
        assert.equal(verifyBasic(basic("other", "def"), "myreg", keysOf(search)).ok, false);
        assert.equal(verifyBasic(basic("myreg", "deg"), "myreg", keysOf(search)).ok, false);
    });
    it("RESP: AUTH with one or two arguments, PING, QUIT, Redis' error texts", () => {
        const { commands, rest } = parseCommands(Buffer.from("*2\r\n$4\r\nAUTH\r\n$3\r\nabc\r\nPING\r\n*1\r\n$4\r\nPI"));
        assert.deepEqual(commands, [["AUTH", "abc"], ["PING"]]);
        assert.equal(rest.toString(), "*1\r\n$4\r\nPI");
        const accepts = (p: string) => p === "abc";
        const session = { authenticated: false };
        assert.equal(reply(["PING"], session, accepts).text, "-NOAUTH Authentication required.\r\n");
        assert.equal(reply(["AUTH", "abd"], session, accepts).text, "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
        assert.equal(reply(["AUTH", "someone", "abc"], session, accepts).text, "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
        assert.equal(reply(["AUTH"], session, accepts).text, "-ERR wrong number of arguments for 'auth' command\r\n");
        assert.equal(reply(["AUTH", "default", "abc"], session, accepts).text, "+OK\r\n");
        assert.equal(reply(["PING"], session, accepts).text, "+PONG\r\n");
        assert.deepEqual(reply(["QUIT"], session, accepts), { text: "+OK\r\n", close: true });
    });
});

describe("key propagation", () => {
    it("a key generated less than keyPropagationMs ago is refused, then accepted; an emulator default applies where the resource has none", () => {
        const store = new InMemoryStore();
        let fallback = 0;
        const plane = new DataPlane(store, () => fallback);
        const r = resource(
            `${SUB}/Microsoft.Search/searchServices/s`,
            { Primary: "new", Secondary: "old", Salt: "x" },
            { generatedAt: { Primary: NOW, Secondary: 0 }, keyPropagationMs: 5000 },
        );
        store.put(r);
        const types = (now: number) => plane.usableKeys(r, now).map((k) => k.keyType);
        assert.deepEqual(types(NOW + 4999), ["Secondary"]);
        assert.deepEqual(types(NOW + 5000), ["Primary", "Secondary"]);
        r.keyPropagationMs = undefined;
        fallback = 10_000;
        assert.deepEqual(types(NOW + 5000), ["Secondary"]);
        r.localAuthDisabled = true;
        assert.deepEqual(types(NOW + 60_000), []);
    });
});

describe("host names", () => {
    it("route every cloud's host to the resource named in it, and nothing else", () => {
        const store = new InMemoryStore();
        const plane = new DataPlane(store, () => 0);
        const ids = {
            storage: `${SUB}/Microsoft.Storage/storageAccounts/acct`,
            sb: `${SUB}/Microsoft.EventHub/namespaces/ns1/authorizationRules/RootManageSharedAccessKey`,
            batch: `${SUB}/Microsoft.Batch/batchAccounts/Acct`,
            amr: `${SUB}/Microsoft.Cache/redisEnterprise/amr/databases/default`,
            maps: `${SUB}/Microsoft.Maps/accounts/m`,
            signalr: `${SUB}/Microsoft.SignalRService/signalR/sig`,
        };
        for (const id of Object.values(ids)) store.put(resource(id, { Primary: "k" }));
        const route = (host: string, port = 443) => plane.route(host, port)?.resources.map((r) => r.id);
        assert.deepEqual(route("acct.blob.core.windows.net"), [ids.storage]);
        assert.deepEqual(route("ACCT.blob.core.usgovcloudapi.net"), [ids.storage]);
        assert.deepEqual(route("acct.blob.core.chinacloudapi.cn"), [ids.storage]);
        assert.equal(route("other.blob.core.windows.net"), undefined);
        assert.equal(route("acct.queue.core.windows.net"), undefined);
        assert.deepEqual(route("ns1.servicebus.usgovcloudapi.net"), [ids.sb]);
        assert.deepEqual(route("acct.westus.batch.azure.com"), [ids.batch]);
        assert.equal(route("acct.eastus.batch.azure.com"), undefined);
        assert.deepEqual(route("amr.westus.redis.azure.net", 10000), [ids.amr]);
        assert.equal(route("amr.westus.redis.azure.net", 443), undefined);
        assert.deepEqual(route("atlas.microsoft.com"), [ids.maps]);
        assert.deepEqual(route("sig.service.signalr.net"), [ids.signalr]);
        assert.deepEqual(route("sig.signalr.azure.us"), [ids.signalr]);
        assert.deepEqual(route("sig.service.signalr.azure.cn"), [ids.signalr]);
    });
    it("the certificate names every suffix with a one-label wildcard (a region label before Batch's and Managed Redis', a DNS zone's before Storage's zoned hosts)", () => {
        const names = certificateNames();
        assert.ok(names.includes("*.blob.core.windows.net"));
        assert.ok(names.includes("*.westus.batch.azure.com"));
        assert.ok(names.includes("*.westus.redis.azure.net"));
        assert.ok(names.includes("atlas.microsoft.com"));
        for (const zone of STORAGE_DNS_ZONES) assert.ok(names.includes(`*.${zone}.blob.storage.azure.net`), zone);
        const zoned = SERVICE_HOSTS.filter((h) => h.zoned).flatMap((h) => h.suffixes);
        assert.equal(names.length, new Set(SERVICE_HOSTS.filter((h) => !h.zoned).flatMap((h) => h.suffixes)).size + zoned.length * STORAGE_DNS_ZONES.length);
    });
});
