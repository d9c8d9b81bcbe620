/**
 * How verification tells a key that has not propagated yet (worth waiting for) from what waiting
 * cannot change: a firewall, which refuses the key that still works too; shared keys turned off,
 * which the service's answer names; a clock far off the service's. Against a local HTTPS data
 * plane whose answer depends on the key presented; time passes only when the verifier sleeps.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { issueServerCertificate } from "../../emulator/certificate";
import type { ProbeSpec } from "../../src/catalog";
import { parseResourceId } from "../../src/core/resourceId";
import { verifyKey } from "../../src/probe/probe";
import { resourceIds } from "../helpers/emulator";

let server: Server;
let port: number;
/** What the data plane does with each key: accept, refuse (403 with a body), or say shared keys are off. */
let behaviour: (key: string) => { status: number; body: string } = () => ({ status: 200, body: "" });
/** How far the data plane's clock (its Date header) is behind the real one. */
let serverLagMs = 0;
let seen: string[] = [];

before(async () => {
    const dir = process.env.KEY_ROTATION_TEST_CA_DIR;
    if (!dir) throw new Error("run the tests with `npm test`: it creates the CA");
    const ca = { certPem: readFileSync(join(dir, "ca.pem"), "utf8"), keyPem: readFileSync(join(dir, "ca-key.pem"), "utf8") };
    const cert = issueServerCertificate(ca, { dns: ["localhost"] });
    server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
        const key = String(req.headers["api-key"] ?? "");
        seen.push(key);
        const { status, body } = behaviour(key);
        res.writeHead(status, { date: new Date(Date.now() - serverLagMs).toUTCString(), "content-type": "application/json" }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const target = (() => {
    const parsed = parseResourceId(resourceIds("decide").search);
    assert.ok(parsed.ok);
    return parsed.target;
})();
const spec = (): ProbeSpec => ({
    scheme: "apiKey",
    requests: [{ method: "GET", url: `https://localhost:${port}/servicestats`, accepts: [200] }],
    params: { header: "api-key" },
    sharedKeysOff: /KeyBasedAuthenticationNotPermitted/,
});
/** A clock that starts now and moves only when the verifier sleeps. */
const clock = () => {
    let now = Date.now();
    return {
        now: () => now,
        sleep: async (ms: number) => {
            now += ms;
        },
    };
};
const NEW = "new-key-0123456789abcdef";
const OLD = "old-key-0123456789abcdef";
const refused = { status: 403, body: '{"error":{"code":"AuthenticationFailed"}}' };

describe("verification's decisions", () => {
    it("a new key refused while the key that works is accepted is propagating: waited for until it is accepted", async () => {
        let calls = 0;
        behaviour = (key) => (key === OLD || (key === NEW && ++calls > 4) ? { status: 200, body: "" } : refused);
        seen = [];
        const result = await verifyKey(spec(), target, "public", { key: NEW }, { deadlineMs: 300_000, control: { key: OLD }, ...clock() });
        assert.equal(result.accepted, true);
        assert.equal(result.blocked, undefined);
        assert.equal(seen.filter((k) => k === OLD).length, 1, "the key that works is asked once");
    });

    it("both refused, twice, a few seconds apart: the network is blocked; three probes, well inside the deadline", async () => {
        behaviour = () => ({ status: 403, body: '{"code":"AuthorizationFailure","message":"This request is not authorized to perform this operation."}' });
        seen = [];
        const time = clock();
        const started = time.now();
        const result = await verifyKey(spec(), target, "public", { key: NEW }, { deadlineMs: 300_000, control: { key: OLD }, ...time });
        assert.equal(result.accepted, false);
        assert.equal(result.blocked, "network");
        assert.deepEqual(seen, [NEW, OLD, OLD]);
        assert.match(result.controlAnswer ?? "", /AuthorizationFailure/, "the service's code is kept for the message");
        assert.ok(time.now() - started <= 30_000, `${time.now() - started} ms of waiting`);
    });

    it("an emulator that answers a wrong key as a firewall does (Azurite's AuthorizationFailure) does not make propagation look like a firewall", async () => {
        let calls = 0;
        const firewallish = { status: 403, body: '{"code":"AuthorizationFailure"}' };
        behaviour = (key) => (key === OLD || (key === NEW && ++calls > 2) ? { status: 200, body: "" } : firewallish);
        const result = await verifyKey(spec(), target, "public", { key: NEW }, { deadlineMs: 300_000, control: { key: OLD }, ...clock() });
        assert.equal(result.accepted, true);
    });

    it("the key that works refused once, then accepted (it was itself propagating): not the network; the new key is waited for", async () => {
        let oldCalls = 0;
        let newCalls = 0;
        behaviour = (key) => (key === OLD ? (++oldCalls > 1 ? { status: 200, body: "" } : refused) : ++newCalls > 3 ? { status: 200, body: "" } : refused);
        const result = await verifyKey(spec(), target, "public", { key: NEW }, { deadlineMs: 300_000, control: { key: OLD }, ...clock() });
        assert.equal(result.accepted, true);
        assert.equal(result.blocked, undefined);
    });

    it("an answer that says shared keys are off ends at once, whichever key it answers", async () => {
        behaviour = () => ({
            status: 403,
            body: '{"code":"KeyBasedAuthenticationNotPermitted","message":"Key based authentication is not permitted on this storage account."}',
        });
        seen = [];
        const result = await verifyKey(spec(), target, "public", { key: NEW }, { deadlineMs: 300_000, control: { key: OLD }, ...clock() });
        assert.equal(result.blocked, "sharedKeys");
        assert.deepEqual(seen, [NEW]);
    });

    it("the new key refused as a wrong key, the key that works answered that shared keys are off: shared keys off, after one probe of the key that works", async () => {
        behaviour = (key) =>
            key === OLD
                ? { status: 403, body: '{"code":"KeyBasedAuthenticationNotPermitted","message":"Key based authentication is not permitted."}' }
                : refused;
        seen = [];
        const result = await verifyKey(spec(), target, "public", { key: NEW }, { deadlineMs: 300_000, control: { key: OLD }, ...clock() });
        assert.equal(result.blocked, "sharedKeys", "not called the network: the answer names the cause");
        assert.match(result.controlAnswer ?? "", /KeyBasedAuthenticationNotPermitted/);
        assert.deepEqual(seen, [NEW, OLD], "said at once: no second probe of the key that works");
    });

    it("a data plane whose clock is far from this machine's refuses for the date: said at once", async () => {
        behaviour = () => refused;
        serverLagMs = 20 * 60_000;
        try {
            const result = await verifyKey(spec(), target, "public", { key: NEW }, { deadlineMs: 300_000, control: { key: OLD }, ...clock() });
            assert.equal(result.blocked, "clock");
            assert.ok((result.clockSkewMs ?? 0) > 19 * 60_000);
        } finally {
            serverLagMs = 0;
        }
    });

    it("without a key that works to compare with, a refusal is waited out until the deadline, as before", async () => {
        behaviour = () => refused;
        const result = await verifyKey(spec(), target, "public", { key: NEW }, { deadlineMs: 60_000, ...clock() });
        assert.equal(result.blocked, undefined);
        assert.ok(result.attempts > 3);
    });
});
