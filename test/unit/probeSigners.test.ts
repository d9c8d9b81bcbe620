/**
 * Each probe signer against the test vectors recorded from the official SDKs (the research's
 * Appendix A: the SDKs were run against a capture server and their signatures recomputed). A signer
 * that decodes a key it should not, orders a string-to-sign differently or encodes the result
 * another way fails here before it fails against Azure.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { batch } from "../../src/catalog/batch";
import { signalr } from "../../src/catalog/signalr";
import { webPubSub } from "../../src/catalog/webPubSub";
import { SIGNERS, type SignInput } from "../../src/probe/signers";

const KEY = Buffer.alloc(64, 7).toString("base64");
const NOW = new Date("Tue, 01 Dec 2026 02:24:19 GMT");
const input = (url: string, extra: Partial<SignInput> = {}): SignInput => ({
    method: "GET",
    url: new URL(url),
    body: "",
    key: KEY,
    params: {},
    now: NOW,
    ...extra,
});

describe("probe signers reproduce the official SDKs' signatures", () => {
    it("Storage Shared Key (blob service properties)", () => {
        const headers = SIGNERS.storageSharedKey(
            input("https://acct.blob.core.windows.net/?restype=service&comp=properties", {
                params: { account: "acct" },
                headers: { "x-ms-client-request-id": "00000000-0000-0000-0000-000000000001", "x-ms-version": "2026-04-06" },
            }),
        );
        assert.equal(headers.authorization, "SharedKey acct:TpPjfaalbJPMetoUqoBVTwLAY4UYwUMsA+WgEndHMFg=");
        assert.equal(headers["x-ms-date"], "Tue, 01 Dec 2026 02:24:19 GMT");
    });

    it("App Configuration HMAC-SHA256 with its credential id", () => {
        const headers = SIGNERS.appConfigHmac(input("https://store.azconfig.io/kv?api-version=2026-04-01&key=probe*", { params: { id: "ABCD-l0-s0:abcdef" } }));
        assert.equal(
            headers.authorization,
            "HMAC-SHA256 Credential=ABCD-l0-s0:abcdef&SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=kfajCRilMWu9ydlt17NqVXrRXeczzL8jsMDe6mPlUQE=",
        );
        assert.equal(headers["x-ms-content-sha256"], "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    });

    it("Communication Services HMAC-SHA256 (no credential id)", () => {
        const headers = SIGNERS.acsHmac(input("https://res.communication.azure.com/phoneNumbers?skip=0&api-version=2025-06-01&top=100"));
        assert.equal(
            headers.authorization,
            "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=peVbC3vN8Qwa+9Oq9WBZyWYUcdmtDFeyyIKGewvncu0=",
        );
    });

    it("Cosmos DB master-key authorization for the account read", () => {
        const headers = SIGNERS.cosmosMaster(input("https://acct.documents.azure.com/"));
        assert.equal(headers.authorization, "type%3Dmaster%26ver%3D1.0%26sig%3DgSKn71LyFuYBGBfnNUM3B3Fm2%2BnND5fMLkcvG%2FD6JUM%3D");
    });

    it("Batch Shared Key (ocp-date, query names as sent)", () => {
        const headers = SIGNERS.batchSharedKey(
            input("https://acct.westus.batch.azure.com/applications?api-version=2024-07-01.20.0&maxresults=1", { params: { account: "acct" } }),
        );
        assert.equal(headers.authorization, "SharedKey acct:D8QJntF1gsqdAGk53igU26YPOCbbsWkQtnG316K0Lyo=");
        assert.equal(headers["ocp-date"], "Tue, 01 Dec 2026 02:24:19 GMT");
    });

    it("Notification Hubs / Service Bus SAS, signed with the key's UTF-8 bytes", () => {
        const key = "AbCdEf0123456789abcdefABCDEF0123456789abcde=";
        const headers = SIGNERS.sbSas({
            ...input("https://ns.servicebus.windows.net/$namespaceinfo?api-version=2021-05", { key }),
            params: { resource: "https://ns.servicebus.windows.net/", rule: "DefaultListenSharedAccessSignature" },
            now: new Date((1796095651 - 3600) * 1000), // tokens live an hour, as the SDKs make them
        });
        assert.equal(
            headers.authorization,
            "SharedAccessSignature sr=https%3A%2F%2Fns.servicebus.windows.net%2F&sig=PhOVWEllepiQzU4VoJoJjynbyEKtYBsUtu%2BztgebENs%3D&se=1796095651&skn=DefaultListenSharedAccessSignature",
        );
    });

    it("API Management SharedAccessSignature (HMAC-SHA512, expiry with seven fractional digits)", () => {
        const key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab==";
        const headers = SIGNERS.apimSas({
            ...input("https://s.management.azure-api.net/apis", { key }),
            params: { uid: "integration" },
            // An hour before the expiry the vector was recorded with: tokens live an hour.
            now: new Date("2026-12-01T02:24:19Z"),
        });
        assert.equal(
            headers.authorization,
            "SharedAccessSignature uid=integration&ex=2026-12-01T03:24:19.0000000Z&sn=UyhKN3TlMM/9zJ9L0F1E71uT+wQRuti/RVWHzboqKaBOFq6NhqraghdF8pnzVnKWnVz84Hw0AWN5JK2e2fRlHw==",
        );
    });

    it("SignalR / Web PubSub access token: HS256 over the key's UTF-8 bytes, audience the request URL", () => {
        const url = "https://name.webpubsub.azure.com/api/hubs/keyrotation/users/keyrotation-probe?api-version=2024-01-01";
        const token = SIGNERS.jwt(input(url)).authorization.replace(/^Bearer /, "");
        const [head, payload, signature] = token.split(".");
        assert.deepEqual(JSON.parse(Buffer.from(head, "base64url").toString()), { alg: "HS256", typ: "JWT" });
        const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
        assert.equal(claims.aud, url);
        assert.ok(claims.exp > NOW.getTime() / 1000);
        assert.equal(signature, createHmac("sha256", Buffer.from(KEY, "utf8")).update(`${head}.${payload}`).digest("base64url"));
        assert.notEqual(signature, createHmac("sha256", Buffer.from(KEY, "base64")).update(`${head}.${payload}`).digest("base64url"));
    });

    it("SignalR's probe token has the request URL without its query as audience (its REST API's rule, and its SDK's); Web PubSub's keeps the query", () => {
        const url = "https://name.service.signalr.net/api/hubs/keyrotation/users/keyrotation-probe?api-version=2022-06-01";
        const audienceOf = (params: Readonly<Record<string, string>> | undefined) => {
            const token = SIGNERS.jwt({ ...input(url), params: params ?? {} }).authorization.replace(/^Bearer /, "");
            return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()).aud;
        };
        assert.ok(!("refused" in signalr.verify) && !("refused" in webPubSub.verify));
        assert.equal(
            audienceOf("refused" in signalr.verify ? undefined : signalr.verify.params),
            "https://name.service.signalr.net/api/hubs/keyrotation/users/keyrotation-probe",
        );
        assert.equal(audienceOf("refused" in webPubSub.verify ? undefined : webPubSub.verify.params), url);
    });

    it("a SAS rule name is URL-encoded in skn (the service reads the token as a query string, where + is a space)", () => {
        const headers = SIGNERS.sbSas({
            ...input("https://ns.servicebus.windows.net/$namespaceinfo?api-version=2021-05"),
            params: { resource: "https://ns.servicebus.windows.net/", rule: "send+listen,1" },
        });
        assert.match(headers.authorization, /&skn=send%2Blisten%2C1$/);
    });

    it("Batch signs with the account name in lower case, as Azure holds it, however the resource id spells it", () => {
        assert.ok(!("refused" in batch.verify));
        const url = "https://mybatch.westus.batch.azure.com/applications?api-version=2024-07-01.20.0&maxresults=1";
        const upper = SIGNERS.batchSharedKey({ ...input(url), params: { account: "MyBatch" } });
        const lower = SIGNERS.batchSharedKey({ ...input(url), params: { account: "mybatch" } });
        assert.equal(upper.authorization, lower.authorization);
        assert.match(upper.authorization, /^SharedKey mybatch:/);
    });

    it("keys sent as they are: api-key header and basic authentication", () => {
        assert.deepEqual(SIGNERS.apiKey({ ...input("https://s.search.windows.net/servicestats"), params: { header: "api-key" } }), { "api-key": KEY });
        assert.deepEqual(SIGNERS.basic({ ...input("https://r.azurecr.io/oauth2/token"), key: "pw", params: { username: "r" } }), {
            authorization: `Basic ${Buffer.from("r:pw").toString("base64")}`,
        });
    });
});
