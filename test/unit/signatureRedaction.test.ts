/**
 * The HMAC-SHA256 scheme (App Configuration, Communication Services) carries its signature as
 * `Signature=<base64>`: a data plane answer that quotes the Authorization header back must not put
 * that signature, made with the key, into a message.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { redact } from "../../src/arm/errors";

describe("an echoed HMAC-SHA256 Authorization header is redacted", () => {
    it("the Signature value is removed, in a header line, a query and JSON", () => {
        for (let i = 0; i < 50; i++) {
            const signature = createHmac("sha256", `key${i}`).update("GET\n/kv\nx-ms-date;host;x-ms-content-sha256").digest("base64");
            for (const text of [
                `HTTP 401 the request's Authorization: HMAC-SHA256 Credential=id-abc&SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature} is invalid`,
                `{"error":"invalid_token","authorization":"HMAC-SHA256 Credential=id&SignedHeaders=host&Signature=${signature}"}`,
                `{"signature":"${signature}"}`,
            ]) {
                const out = redact(text);
                assert.ok(!out.includes(signature.slice(0, 16)), `${text} => ${out}`);
                assert.match(out, /\[redacted\]/);
            }
        }
    });

    it("the words around it stay: the scheme, the credential id and the signed headers", () => {
        const out = redact("HMAC-SHA256 Credential=id-abc&SignedHeaders=x-ms-date;host&Signature=qF00OY5PjidsRn9ayOHXNZAE50R6gUjFF97SlWjWpKM=");
        assert.equal(out, "HMAC-SHA256 Credential=id-abc&SignedHeaders=x-ms-date;host&Signature=[redacted]");
    });
});
