import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { locationState, operationState, pollTarget } from "../../src/arm/lro";
import { backoffMs, DEFAULT_RETRY, isRetryableStatus, nextDelayMs, retryAfterMs } from "../../src/arm/retry";
import { KeyedMutex } from "../../src/core/lock";

describe("retry policy", () => {
    it("retries throttling, timeouts, conflicts and server errors only", () => {
        assert.deepEqual([408, 409, 429, 500, 502, 503, 504].map(isRetryableStatus), Array(7).fill(true));
        assert.deepEqual([400, 401, 403, 404, 501].map(isRetryableStatus), Array(5).fill(false));
    });

    it("reads Retry-After in seconds, as a date, and the ms variants", () => {
        assert.equal(retryAfterMs({ "retry-after": "3" }), 3000);
        assert.equal(retryAfterMs({ "retry-after": new Date(10_000).toUTCString() }, 4_000), 6000);
        assert.equal(retryAfterMs({ "retry-after-ms": "250", "retry-after": "9" }), 250);
        assert.equal(retryAfterMs({ "x-ms-retry-after-ms": "40" }), 40);
        assert.equal(retryAfterMs({ "retry-after": "soon" }), undefined);
        assert.equal(retryAfterMs({}), undefined);
    });

    it("backs off exponentially with jitter between half and all of the ceiling", () => {
        const options = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 10_000 };
        assert.equal(
            backoffMs(1, options, () => 0),
            50,
        );
        assert.equal(
            backoffMs(1, options, () => 1),
            100,
        );
        assert.equal(
            backoffMs(4, options, () => 1),
            800,
        );
        assert.equal(
            backoffMs(20, options, () => 1),
            10_000,
        );
    });

    it("stops at the attempt cap and the total-time cap, and honours the server's delay", () => {
        const options = { maxAttempts: 3, maxTotalMs: 5_000, baseDelayMs: 100, maxDelayMs: 4_000 };
        assert.equal(nextDelayMs(1, 0, 2_000, options), 2_000);
        assert.equal(nextDelayMs(3, 0, undefined, options), undefined);
        assert.equal(nextDelayMs(1, 4_000, 2_000, options), undefined);
        assert.equal(nextDelayMs(1, 0, 60_000, options), 4_000);
    });
});

describe("long-running operation helpers", () => {
    it("prefers Azure-AsyncOperation over Location", () => {
        assert.deepEqual(pollTarget({ "azure-asyncoperation": "https://a/op", location: "https://a/loc" }), {
            url: "https://a/op",
            mode: "azure-async-operation",
        });
        assert.deepEqual(pollTarget({ location: "https://a/loc" }), { url: "https://a/loc", mode: "location" });
        assert.equal(pollTarget({}), undefined);
    });

    it("maps status strings case-insensitively; unknown ones are still running", () => {
        assert.equal(operationState("SUCCEEDED"), "succeeded");
        assert.equal(operationState("failed"), "failed");
        assert.equal(operationState("Canceled"), "canceled");
        assert.equal(operationState("Updating"), "running");
        assert.equal(locationState(202), "running");
        assert.equal(locationState(204), "succeeded");
    });
});

describe("KeyedMutex", () => {
    it("runs tasks for one key one at a time, and other keys in parallel", async () => {
        const mutex = new KeyedMutex();
        const events: string[] = [];
        const task = (name: string, ms: number) => async () => {
            events.push(`start ${name}`);
            await new Promise((r) => setTimeout(r, ms));
            events.push(`end ${name}`);
        };
        await Promise.all([mutex.run("a", task("a1", 20)), mutex.run("a", task("a2", 1)), mutex.run("b", task("b1", 1))]);
        assert.ok(events.indexOf("end a1") < events.indexOf("start a2"));
        assert.ok(events.indexOf("start b1") < events.indexOf("end a1"));
    });

    it("keeps going after a failed task", async () => {
        const mutex = new KeyedMutex();
        await assert.rejects(mutex.run("a", async () => Promise.reject(new Error("boom"))));
        assert.equal(await mutex.run("a", async () => 42), 42);
    });
});
