/**
 * Guarantee 3: no key, connection string, callback URL or signature, client secret or token in a
 * message, in any encoding. Cases that were found, then properties over generated secrets and the
 * ways they can be written.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ArmError, knownSecretCount, parseErrorBody, redact, rememberSecret } from "../../src/arm/errors";
import { fastCheck } from "../helpers/properties";

describe("redaction of secrets that were never seen before", () => {
    it("removes all but a rare random key of each shape the services use, never seen before (keys read are remembered and always removed)", () => {
        // Keys are random bytes from Azure's generator, modelled by a hash. The shape alone cannot tell
        // every key from a word: a key without a digit, say, is kept. The misses must stay rare.
        const shapes: Array<[string, (b: Buffer) => string]> = [
            ["base64, 32 bytes", (b) => b.subarray(0, 32).toString("base64")],
            ["base64, 64 bytes", (b) => b.toString("base64")],
            ["base64url, 32 bytes", (b) => b.subarray(0, 32).toString("base64url")],
            ["base64, 48 bytes (no padding)", (b) => b.subarray(0, 48).toString("base64")],
            ["hex, 16 bytes", (b) => b.subarray(0, 16).toString("hex")],
        ];
        for (const [shape, encode] of shapes) {
            let missed = 0;
            for (let i = 0; i < 5_000; i++) {
                const key = encode(createHash("sha512").update(`key ${i}`).digest());
                if (redact(`the key ${key} was refused`).includes(key)) missed++;
            }
            assert.ok(missed <= 5, `${shape}: ${missed} of 5000 kept`);
        }
    });

    const key = "q1W2e3R4t5Y6u7I8o9P0a1S2d3F4g5H6j7K8l9Z0x1C=";
    for (const [what, message] of [
        ["a URL-encoded signature", `callback failed: https://x/invoke?sp=%2Ftriggers&sig%3D${"Ab1_"}zX9yW8vU7tS6rQ5pO4nM3lK2jI1h`],
        ["a JSON signature", `{"sig":"zX9yW8vU7tS6rQ5pO4nM3lK2jI1hG0fE"}`],
        ["an escaped JSON signature", `{\\"sig\\":\\"zX9yW8vU7tS6rQ5pO4nM3lK2jI1hG0fE\\"}`],
        ["a connection string with spaces", `Endpoint=https://a.service.signalr.net; AccessKey = ${key}; Version=1.0`],
        ["a storage connection string", `DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${key};EndpointSuffix=core.windows.net`],
        ["a Service Bus connection string", `Endpoint=sb://n.servicebus.windows.net/;SharedAccessKeyName=r;SharedAccessKey=${key}`],
        ["a Redis connection string", `n.redis.cache.windows.net:6380,password=${key},ssl=True`],
        ["a bare base64 key", `the key ${key} is invalid`],
        ["a bare APIM key (32 hex)", "the key 0123456789abcdef0123456789abcdef was refused"],
        ["a SharedAccessSignature header", "Authorization: SharedAccessSignature sr=x&sig=abc&se=1&skn=r"],
        ["a bearer token", "Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl"],
        ["a client secret in a form", "client_id=x&client_secret=Zq8~abcdefghijklmnopqrstuv&scope=y"],
    ] as const) {
        it(`removes ${what}`, () => {
            const clean = redact(message);
            for (const secret of [key, "zX9yW8vU7tS6rQ5pO4nM3lK2jI1h", "0123456789abcdef0123456789abcdef", "sig=abc", "eyJhdWQiOiJ4In0", "Zq8~abcdefgh"]) {
                assert.ok(!clean.includes(secret), `${what}: ${clean}`);
            }
        });
    }

    it("keeps what a user needs: resource ids, operations, codes, request ids", () => {
        const message =
            "SignalR_RegenerateKey on /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/MyGroup2024/providers/Microsoft.SignalRService/signalR/hub-prod-01 failed: HTTP 409 Conflict: busy (x-ms-request-id 3f2b9c1e-aaaa-bbbb-cccc-0123456789ab)";
        assert.equal(redact(message), message);
    });
});

describe("redaction that runs twice", () => {
    it("leaves a redacted value as it is: a probe URL in an error reads key=[redacted], not key=[redacted]]", () => {
        const once = redact("GET https://store.azconfig.io/kv?key=keyrotation-probe&api-version=1.0 (HMAC-SHA256 request signing) answered HTTP 401");
        assert.match(once, /kv\?key=\[redacted\]&api-version=1\.0 /);
        assert.equal(redact(once), once);
        assert.equal(redact(redact('{"key":"abc","password":"x1"}')), redact('{"key":"abc","password":"x1"}'));
        assert.ok(!redact(redact("AccountKey=abc;sig=def")).includes("]]"));
    });
});

describe("redaction of secrets the provider has seen", () => {
    it("removes a remembered key in every encoding it may take", () => {
        fastCheck(
            fc.property(
                fc.uint8Array({ minLength: 16, maxLength: 64 }).map((b) => Buffer.from(b).toString("base64")),
                fc.constantFrom<(k: string) => string>(
                    (k) => k,
                    (k) => encodeURIComponent(k),
                    (k) => encodeURIComponent(encodeURIComponent(k)),
                    (k) => JSON.stringify(k).slice(1, -1).replace(/\//g, "\\/"),
                    (k) => k.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
                ),
                fc.string({ maxLength: 30 }),
                fc.string({ maxLength: 30 }),
                (key, encode, before, after) => {
                    rememberSecret(key);
                    const message = `${before}${encode(key)}${after}`;
                    const clean = redact(message);
                    return !clean.includes(encode(key)) && !clean.includes(key);
                },
            ),
        );
    });

    it("an error body's text is redacted before it is cut short: no part of a key at the cut survives", () => {
        fastCheck(
            fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 260, max: 310 }), (bytes, at) => {
                const key = Buffer.from(bytes).toString("base64");
                rememberSecret(key);
                const { message = "" } = parseErrorBody(`${"x".repeat(at)} ${key} was refused`);
                return !Array.from({ length: key.length - 7 }, (_, i) => key.slice(i, i + 8)).some((part) => message.includes(part));
            }),
        );
    });

    it("every ArmError message and armMessage is redacted", () => {
        fastCheck(
            fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string({ maxLength: 40 }), (bytes, noise) => {
                const key = Buffer.from(bytes).toString("base64");
                rememberSecret(key);
                const error = new ArmError({ operation: "op", resourceId: "/r", code: "Bad", armMessage: `${noise} key=${key} ${encodeURIComponent(key)}` });
                return !error.message.includes(key) && !error.armMessage!.includes(key) && !error.message.includes(encodeURIComponent(key));
            }),
        );
    });
});

describe("the secrets remembered in one process", () => {
    it("are capped, however many keys a deployment reads, and the newest are always redacted", () => {
        // Not shaped like a key (all lower case), so only the remembered value can remove it.
        const secret = (i: number) => `plain-secret-value-number-${i}`;
        for (let i = 0; i < 5_000; i++) rememberSecret(secret(i));
        assert.ok(knownSecretCount() <= 2_000, `${knownSecretCount()} values remembered`);
        for (const i of [4_999, 4_900, 4_700]) assert.equal(redact(`listKeys answered ${secret(i)}`), "listKeys answered [redacted]");
    });

    it("a value read again becomes the newest, and stays redacted", () => {
        const first = "plain-secret-read-again-first";
        rememberSecret(first);
        for (let i = 0; i < 1_500; i++) rememberSecret(`plain-filler-value-${i}`);
        rememberSecret(first);
        for (let i = 1_500; i < 2_500; i++) rememberSecret(`plain-filler-value-${i}`);
        assert.equal(redact(`value ${first}`), "value [redacted]");
    });
});

describe("redaction keeps what explains a refusal", () => {
    it("an error code in JSON stays", () => {
        const body = '{"error":{"code":"Denied","message":"Denied by the resource provider."}}';
        assert.equal(redact(body), body);
    });
});
