import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ArmError, isArmError, parseErrorBody, redact } from "../../src/arm/errors";

describe("ARM errors", () => {
    it("name the operation, resource, status, ARM code and message, and request id", () => {
        const error = new ArmError({
            operation: "SignalR_RegenerateKey",
            resourceId: "/subscriptions/00000000-0000-0000-0000-000000000001/x",
            status: 409,
            code: "Conflict",
            armMessage: "busy",
            requestId: "r-1",
        });
        assert.equal(
            error.message,
            "SignalR_RegenerateKey on /subscriptions/00000000-0000-0000-0000-000000000001/x failed: HTTP 409 Conflict: busy (x-ms-request-id r-1)",
        );
        assert.ok(isArmError(error));
        assert.ok(isArmError(Object.assign(new Error("x"), { name: "ArmError" })));
        assert.ok(!isArmError(new Error("x")));
    });

    it("read ARM's shape, APIM's shape with details, the token endpoint's, and plain text", () => {
        assert.deepEqual(parseErrorBody({ error: { code: "ResourceNotFound", message: "gone" } }), { code: "ResourceNotFound", message: "gone" });
        assert.deepEqual(
            parseErrorBody({ error: { code: "ValidationError", message: "bad", details: [{ code: "x", message: "sid too long", target: "sid" }] } }),
            {
                code: "ValidationError",
                message: "bad sid too long",
            },
        );
        assert.deepEqual(parseErrorBody('{"error":"invalid_client","error_description":"AADSTS7000215"}'), {
            code: "invalid_client",
            message: "AADSTS7000215",
        });
        assert.deepEqual(parseErrorBody({ code: "Conflict", message: "m" }), { code: "Conflict", message: "m" });
        assert.deepEqual(parseErrorBody("<html>Bad gateway</html>"), { message: "<html>Bad gateway</html>" });
        assert.deepEqual(parseErrorBody(undefined), {});
    });

    it("never carry tokens, signatures or connection-string keys", () => {
        const leaky = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl sig=abcDEF123 Endpoint=x;AccessKey=SECRETKEY123;Version=1.0";
        const clean = redact(leaky, ["SECRETKEY123"]);
        for (const secret of ["eyJhbGciOiJIUzI1NiJ9", "abcDEF123", "SECRETKEY123"]) assert.ok(!clean.includes(secret), clean);
        const error = new ArmError({ operation: "op", resourceId: "/r", armMessage: "callback https://x/invoke?sig=TOPSECRETSIG&sv=1" });
        assert.ok(!error.message.includes("TOPSECRETSIG"));
        assert.ok(!error.armMessage!.includes("TOPSECRETSIG"));
    });
});
