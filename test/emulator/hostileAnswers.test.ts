/**
 * Hostile and broken ARM answers against the real client stack (axios, @azure/identity, token
 * cache) and the core's rotation logic: every URL an answer gives stays on ARM's origin, a 200 is
 * not a key set, and every call ends.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { isArmError } from "../../src/arm/errors";
import type { ArmClient } from "../../src/core/armClient";
import { MAX_PAGES, RotationStepError, readKeys, regenerateKey, rotateKey } from "../../src/core/rotate";
import { clientFor, contextFor } from "../helpers/armClient";
import { resourceIds, startEmulator } from "../helpers/emulator";

let emulator: AzureEmulator;
let client: ArmClient;
let sleeps: number[];
const ids = resourceIds("hostile");
const workflow = ids["logic-apps-standard"];

before(async () => {
    emulator = await startEmulator({ triggersPageSize: 1 });
    for (const id of Object.values(ids)) emulator.createResource(id);
    emulator.createResource(workflow, {
        triggers: [
            { name: "manual", kind: "Request" },
            { name: "webhook", kind: "Request" },
        ],
    });
});
beforeEach(() => {
    ({ client, sleeps } = clientFor(emulator, { retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, maxTotalMs: 5_000 } }));
    emulator.faults.clear();
    emulator.clearRequests();
});
after(() => emulator.stop());

let fresh = 0;
/** A new SignalR resource: a regenerate whose operation was never followed leaves its resource busy, as Azure does. */
function freshSignalR(): string {
    const id = resourceIds(`hostile${++fresh}`).signalr;
    emulator.createResource(id);
    return id;
}

/** Every request of the test went to the emulator's own address: nothing reached the trap or any other origin. */
function assertStayedOnArm() {
    assert.deepEqual(emulator.tokenLeaks(), []);
    const own = new URL(emulator.url).host;
    assert.ok(
        emulator.requests.every((r) => r.host === own),
        JSON.stringify(emulator.requests.map((r) => r.host)),
    );
}

describe("guarantee 1: the token goes to ARM's origin only, whatever an answer says", () => {
    const trapHost = () => new URL(emulator.trapUrl).host;
    const hostileLinks = (): Array<[string, string]> => [
        ["an absolute URL on another origin", `${emulator.trapUrl}/steal`],
        ["a protocol-relative URL", `//${trapHost()}/steal`],
        ["userinfo that string joining turns into another host", `@${trapHost()}/steal`],
        ["a relative link that string joining turns into another port", "1/steal"],
        ["a relative link that string joining turns into another host", ".evil.example/page"],
        ["a port-looking relative link", ":8443/page"],
        ["plain http on ARM's own host", emulator.url.replace("https:", "http:")],
        ["a URL with credentials", `https://user:pass@${trapHost()}/x`],
    ];

    it("a nextLink is resolved against the endpoint; one on another origin is refused before anything is sent", async () => {
        for (const [what, link] of hostileLinks()) {
            emulator.clearRequests();
            emulator.faults.add({ operation: "WorkflowTriggers_List", tamper: { nextLink: link } });
            const error = await readKeys(contextFor(client, workflow)).then(
                () => undefined,
                (e: unknown) => e,
            );
            assert.ok(isArmError(error), `${what}: ${String(error)}`);
            // Same-origin links are followed to ARM (which answers 404); others are refused unsent.
            assert.ok(error.code === "UntrustedUrl" || error.status === 404, `${what}: ${error.message}`);
            assertStayedOnArm();
        }
    });

    it("a hostile Azure-AsyncOperation or Location is never polled; the rotation may still happen, so it is reported as unconfirmed", async () => {
        for (const [what, link] of hostileLinks().filter(([, l]) => /^(https?:)?\/\//.test(l) || l.startsWith("https:"))) {
            for (const header of ["Azure-AsyncOperation", "AZURE-ASYNCOPERATION", "location"]) {
                emulator.clearRequests();
                const headers: Record<string, string | null> = { "Azure-AsyncOperation": null, Location: null, [header]: link };
                emulator.faults.add({ operation: "SignalR_RegenerateKey", tamper: { headers } });
                const error = await rotateKey(contextFor(client, freshSignalR()), "Secondary").then(
                    () => undefined,
                    (e: unknown) => e,
                );
                assert.ok(error instanceof RotationStepError, `${what} in ${header}: ${String(error)}`);
                assert.equal(error.step, "regenerate");
                assert.equal(error.happened, "maybe");
                assert.match(error.message, /UntrustedUrl/);
                assertStayedOnArm();
            }
        }
    });
});

describe("guarantee 2: an answer is validated before it is trusted", () => {
    for (const [what, tamper] of [
        ["an empty body", { body: "empty" }],
        ["an HTML page", { body: "html" }],
        ["text that is not JSON", { body: "notJson" }],
        ["only one of the two keys", { body: "partial" }],
        ["keys that are not strings", { json: { primaryKey: 42, secondaryKey: { value: "x" } } }],
        [
            "a connection string that does not hold its key",
            {
                json: {
                    primaryKey: "A".repeat(44),
                    secondaryKey: "B".repeat(44),
                    primaryConnectionString: "endpoint=https://x/;accesskey=C",
                    secondaryConnectionString: "endpoint=https://x/;accesskey=D",
                },
            },
        ],
    ] as const) {
        it(`a listKeys answer of 200 with ${what} is an error naming the operation and the fields, never a key set`, async () => {
            emulator.faults.add({ operation: "CommunicationServices_ListKeys", tamper });
            await assert.rejects(readKeys(contextFor(client, ids.communication)), (e: unknown) => {
                assert.ok(isArmError(e), String(e));
                assert.equal(e.code, "InvalidKeySet");
                assert.equal(e.operation, "CommunicationServices_ListKeys");
                assert.match(e.message, /nothing from it was recorded/);
                for (const key of Object.values(emulator.resource(ids.communication)!.keys)) assert.ok(!e.message.includes(key));
                return true;
            });
        });
    }

    it("after a regenerate, a short read-back fails the read-back step: the rotation happened, no key is made up", async () => {
        const before = emulator.resource(ids.communication)!.generations.Secondary;
        emulator.faults.add({ operation: "CommunicationServices_ListKeys", tamper: { body: "partial" } });
        await assert.rejects(rotateKey(contextFor(client, ids.communication), "Secondary"), (e: unknown) => {
            assert.ok(e instanceof RotationStepError);
            assert.equal(e.step, "readBack");
            assert.equal(e.happened, "yes");
            return true;
        });
        assert.equal(emulator.resource(ids.communication)!.generations.Secondary, before + 1);
    });

    it("a regenerate answer that should hold the key set but is short is not used: the keys are read back instead", async () => {
        const id = freshSignalR();
        emulator.faults.add({ operation: "SignalR_RegenerateKey", tamper: { body: "partial" } });
        const keys = await rotateKey(contextFor(client, id), "Primary");
        const now = emulator.resource(id)!.keys;
        assert.equal(keys.primaryKey, now.Primary);
        assert.equal(keys.secondaryKey, now.Secondary);
        assert.ok(emulator.armRequests().some((r) => r.operation === "SignalR_ListKeys"));
    });

    it("a SignalR regenerate whose 202 holds the new key set needs no read-back", async () => {
        const id = freshSignalR();
        const keys = await rotateKey(contextFor(client, id), "Secondary");
        assert.equal(keys.secondaryKey, emulator.resource(id)!.keys.Secondary);
        assert.deepEqual(
            emulator.armRequests().map((r) => r.operation),
            ["SignalR_RegenerateKey", "OperationStatus", "OperationStatus"],
        );
    });
});

describe("guarantee 4: every call ends, in bounded time and requests", () => {
    it("a nextLink back to the same page fails after two requests, naming the loop", async () => {
        const self = `${emulator.url}${workflow.replace("/workflows/", "/hostruntime/runtime/webhooks/workflow/api/management/workflows/")}/triggers?api-version=2025-05-01`;
        emulator.faults.add({ operation: "WorkflowTriggers_List", tamper: { nextLink: self }, count: 1000 });
        await assert.rejects(readKeys(contextFor(client, workflow)), /InvalidNextLink: page 2 links back to a page already read/);
        assert.equal(emulator.armRequests().length, 2);
    });

    it(`a list that never ends is cut at ${MAX_PAGES} pages`, async () => {
        let page = 0;
        emulator.faults.add({
            operation: "WorkflowTriggers_List",
            tamper: { transform: (r) => ({ ...r, body: { value: [], nextLink: `${emulator.url}/subscriptions/x/page/${++page}?api-version=1` } }) },
            count: 1000,
        });
        emulator.faults.add({
            operation: "Unknown",
            tamper: { transform: () => ({ status: 200, body: { value: [], nextLink: `${emulator.url}/subscriptions/x/page/${++page}?api-version=1` } }) },
            count: 1000,
        });
        await assert.rejects(readKeys(contextFor(client, workflow)), /goes on past 100 pages/);
        assert.equal(emulator.armRequests().length, MAX_PAGES);
    });

    it("an answer larger than the limit is refused without being read whole", async () => {
        emulator.faults.add({ operation: "Subscription_ListSecrets", tamper: { body: "huge" } });
        await assert.rejects(readKeys(contextFor(client, ids["apim-subscription"])), /ResponseTooLarge/);
        assert.equal(emulator.armRequests().length, 1, "not retried");
    });

    it("a Retry-After longer than the deadline is cut to fit: polling goes on and the rotation completes", async () => {
        const slow = await startEmulator({ lro: { pollsUntilDone: 3, retryAfterSeconds: 700 } });
        try {
            const { client: c, sleeps: waits } = clientFor(slow);
            slow.createResource(ids.signalr);
            await regenerateKey(contextFor(c, ids.signalr), "Primary");
            assert.deepEqual(waits, [60_000, 60_000, 60_000], "each wait capped at 60 s, polling went on");
            assert.equal(slow.resource(ids.signalr)!.generations.Primary, 1);
        } finally {
            await slow.stop();
        }
    });

    it("an operation that never ends stops at the deadline with an error saying it was still running and may still complete", async () => {
        let now = 0;
        const { client: c } = clientFor(emulator, {
            now: () => now,
            sleep: async (ms) => {
                now += ms;
            },
        });
        emulator.faults.add({ operation: "SignalR_RegenerateKey", operationNeverEnds: true });
        await assert.rejects(regenerateKey(contextFor(c, freshSignalR()), "Secondary"), (e: unknown) => {
            assert.ok(isArmError(e));
            assert.equal(e.code, "OperationTimedOut");
            assert.ok(e.mayHaveSucceeded);
            assert.match(
                e.message,
                /accepted the operation \(HTTP 202\) but it was still running \(status InProgress\) when polling stopped after \d+ s and \d+ polls/,
            );
            assert.match(e.message, /may still complete/);
            return true;
        });
        const polls = emulator.armRequests().filter((r) => r.operation === "OperationStatus").length;
        assert.ok(polls > 10 && polls <= 600, `${polls} polls`);
    });

    it("a 202 without Azure-AsyncOperation or Location is not taken as finished", async () => {
        emulator.faults.add({ operation: "SignalR_RegenerateKey", tamper: { headers: { "Azure-AsyncOperation": null, Location: null } } });
        await assert.rejects(regenerateKey(contextFor(client, freshSignalR()), "Secondary"), (e: unknown) => {
            assert.ok(isArmError(e));
            assert.equal(e.code, "NoOperationMonitor");
            assert.ok(e.mayHaveSucceeded);
            assert.match(e.message, /neither an Azure-AsyncOperation nor a Location header/);
            return true;
        });
    });

    it("a silent token endpoint fails sign-in at its deadline, naming the authority host", async () => {
        const { createCredential, TokenCache } = await import("../../src/arm/credential");
        const { resolveConfiguration } = await import("../../src/arm/configuration");
        const configuration = resolveConfiguration(() => undefined, { ...process.env, ...emulator.env() });
        const tokens = new TokenCache(createCredential(configuration), configuration.settings.scope, {
            authority: configuration.settings.authorityHost,
            timeoutMs: 1000,
        });
        emulator.faults.add({ operation: "Token", hang: true, count: 10 });
        const started = Date.now();
        await assert.rejects(tokens.token(), (e: Error) => {
            assert.match(e.message, /signing in timed out after 1 s: no answer from https:\/\/127\.0\.0\.1:\d+/);
            return true;
        });
        assert.ok(Date.now() - started < 5_000, "ended at the deadline");
    });

    it("a regenerate answered with server errors until the retries give up is reported as possibly done; a 4xx refusal is not", async () => {
        // A 504 is ARM not hearing back from the service in time: the key may have been regenerated.
        emulator.faults.add({ operation: "CommunicationServices_RegenerateKey", status: 504, code: "GatewayTimeout", count: 10 });
        await assert.rejects(regenerateKey(contextFor(client, ids.communication), "Primary"), (e: unknown) => {
            assert.ok(isArmError(e) && e.status === 504, String(e));
            assert.ok(e.mayHaveSucceeded, "a 5xx on the regenerate may have taken effect");
            return true;
        });
        emulator.faults.clear();
        emulator.faults.add({ operation: "CommunicationServices_RegenerateKey", status: 409, code: "Conflict", count: 10 });
        await assert.rejects(
            regenerateKey(contextFor(client, ids.communication), "Primary"),
            (e: unknown) => isArmError(e) && e.status === 409 && !e.mayHaveSucceeded,
        );
    });

    it("a dropped regenerate whose retry cannot sign in is reported as possibly done, with the sign-in's cause", async () => {
        const { tokens } = clientFor(emulator);
        let signIns = 0;
        const { client: c } = clientFor(emulator, {
            tokens: {
                token: async (refresh?: boolean) => {
                    if (++signIns > 1) throw new Error("AADSTS7000215: Invalid client secret provided");
                    return tokens.token(refresh);
                },
            },
        });
        emulator.faults.add({ operation: "CommunicationServices_RegenerateKey", drop: true, count: 1 });
        await assert.rejects(regenerateKey(contextFor(c, ids.communication), "Primary"), (e: unknown) => {
            assert.ok(isArmError(e), String(e));
            assert.equal(e.code, "SignInFailed");
            assert.ok(e.mayHaveSucceeded);
            assert.match(e.message, /an earlier attempt may have taken effect, and signing in again to retry or confirm it failed: AADSTS7000215/);
            return true;
        });
        // Failing to sign in before anything was sent is the sign-in's own error: nothing may have happened.
        signIns = 1;
        await assert.rejects(regenerateKey(contextFor(c, ids.communication), "Primary"), (e: unknown) => !isArmError(e) && /AADSTS7000215/.test(String(e)));
    });

    it("a dropped regenerate that is retried and then fails is reported as possibly done; a refused connection is not", async () => {
        emulator.faults.add({ operation: "CommunicationServices_RegenerateKey", drop: true, count: 10 });
        await assert.rejects(regenerateKey(contextFor(client, ids.communication), "Primary"), (e: unknown) => isArmError(e) && e.mayHaveSucceeded);
        const { AxiosArmClient } = await import("../../src/arm/client");
        const closed = new AxiosArmClient({
            endpoint: "https://127.0.0.1:9",
            tokens: { token: async () => "t" },
            sleep: async () => undefined,
            retry: { maxAttempts: 2 },
        });
        await assert.rejects(regenerateKey(contextFor(closed, ids.communication), "Primary"), (e: unknown) => isArmError(e) && !e.mayHaveSucceeded);
        assert.ok(sleeps.length >= 1);
    });
});
