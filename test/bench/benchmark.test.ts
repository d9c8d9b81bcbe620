import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { parseOptions, UsageError } from "../../bench/cli";
import { withGeneratedSection } from "../../bench/index";
import { floorPlan } from "../../bench/plans";
import { categoryOf, summarizeProfile } from "../../bench/profileSummary";
import type { BenchResults } from "../../bench/report";
import { median, percentile } from "../../bench/stats";
import { BENCH_SERVICES, benchTargets, pool, serviceOfPath } from "../../bench/targets";
import { CATALOG } from "../../src/catalog";
import { packageRoot } from "../helpers/host";

const bench = join(packageRoot, "dist", "bench", "index.js");
const run = promisify(execFile);
/** The tracked results, to check that a run without --write-results leaves them alone. */
const tracked = () =>
    ["latest.json", "latest.md"].map((f) =>
        createHash("sha256")
            .update(readFileSync(join(packageRoot, "bench", "results", f)))
            .digest("hex"),
    );

// The benchmark's figures are checked for what they count (requests, tokens, sizes, rows), never
// for time: timings are reported by `npm run bench`, not asserted.
describe("npm run bench (a small run)", () => {
    const out = mkdtempSync(join(tmpdir(), "key-rotation-bench-test-"));
    // The run's own temporary directory: what the benchmark leaves behind shows up here.
    const scratch = mkdtempSync(join(tmpdir(), "key-rotation-bench-scratch-"));
    let results: BenchResults;
    let markdown: string;
    let trackedBefore: string[];
    const n = 20;

    before(async () => {
        trackedBefore = tracked();
        const args = [
            "--n",
            String(n),
            "--rounds",
            "2",
            "--scale",
            "10,20",
            "--diffs",
            "50",
            "--cold-starts",
            "1",
            "--noop",
            String(n),
            "--latency-ms",
            "0,100",
            "--consumer-rotations",
            "3",
            "--propagation-ms",
            "300",
            "--propagation-rotations",
            "1",
            // The consumer and verification rows count failures, not time: services side by side.
            "--simulation-concurrency",
            "8",
            "--out",
            out,
        ];
        await run(process.execPath, [bench, ...args], { cwd: packageRoot, timeout: 300_000, env: { ...process.env, TMPDIR: scratch } });
        results = JSON.parse(readFileSync(join(out, "latest.json"), "utf8")) as BenchResults;
        markdown = readFileSync(join(out, "latest.md"), "utf8");
    });
    after(() => {
        rmSync(out, { recursive: true, force: true });
        rmSync(scratch, { recursive: true, force: true });
    });

    it("B' makes the package's requests: one fewer where the regenerate answers the key set (Storage, Service Bus, SignalR); B and C read back", () => {
        const own = { communication: 2, "apim-subscription": 2, storage: 1, "servicebus-namespace": 1, signalr: 2 };
        assert.deepEqual(results.requests.A.armRequestsPerRotation, own, "contender A");
        assert.deepEqual(results.requests["B'"].armRequestsPerRotation, own, "contender B'");
        for (const id of ["B", "C"] as const) {
            assert.deepEqual(
                results.requests[id].armRequestsPerRotation,
                { communication: 2, "apim-subscription": 2, storage: 2, "servicebus-namespace": 2, signalr: 3 },
                `contender ${id}`,
            );
        }
        assert.deepEqual(results.mix, { communication: 6, "apim-subscription": 4, storage: 4, "servicebus-namespace": 4, signalr: 2 });
        assert.deepEqual(
            results.services.map((s) => [s.service, s.regenerateAnswer]),
            [
                ["communication", "regeneratedKey"],
                ["apim-subscription", "nothing"],
                ["storage", "keySet"],
                ["servicebus-namespace", "keySet"],
                ["signalr", "keySet"],
            ],
        );
        assert.match(markdown, /\| storage \| the full key set: no read-back \| 1\.00 \| 1\.00 \| 2\.00 \| 2\.00 \|/);
        assert.match(markdown, /\| signalr \| the full key set: no read-back \(long-running: \+1 status poll\) \| 2\.00 \| 2\.00 \| 3\.00 \| 3\.00 \|/);
    });

    it("the package, the floor in the host and the bare floor ask for exactly one token per run", () => {
        for (const id of ["A", "B'", "B"] as const) assert.equal(results.requests[id].tokenRequestsPerRun, 1, id);
        assert.ok(results.requests.C.tokenRequestsPerRun >= 1);
    });

    it("signing in is one request per run, the token's, for the package as for the floor (no OpenID configuration first)", () => {
        for (const id of ["A", "B'", "B"] as const) assert.deepEqual(results.requests[id].signInRequestsPerRun, { Token: 1 }, id);
        assert.ok((results.requests.C.signInRequestsPerRun.Token ?? 0) >= 1);
        assert.equal(results.startup.A.signInRequests, 1, "a fresh host of the package, from the host's own count");
        assert.equal(results.startup["B'"].signInRequests, 1);
        assert.match(markdown, /\| sign-in requests per run \(the emulator's log, last round at the first ARM latency\) \| A \| B' \| B \| C \|/);
        assert.match(markdown, /\| token \(`POST …\/oauth2\/v2\.0\/token`\) \| 1 \| 1 \| 1 \| \d+ \|/);
    });

    it("a no-op deployment (fresh hosts checking and diffing unchanged resources) makes no request and loads neither axios nor @azure/identity", () => {
        for (const id of ["A", "B'"] as const) {
            const noop = results.noop[id];
            assert.deepEqual([noop.samples, noop.resources, noop.armRequests, noop.signInRequests], [1, n, 0, 0], id);
        }
        assert.deepEqual(Object.keys(results.noop.A.moduleLoadMs), ["package"]);
        assert.deepEqual(Object.keys(results.noop["B'"].moduleLoadMs), ["floor"]);
        assert.match(
            markdown,
            new RegExp(
                `\\| no-op deployment: a fresh host checks and diffs ${n} unchanged resources \\(median of 1 fresh hosts each\\) \\| A \\| B' \\| A − B' \\|`,
            ),
        );
        assert.match(markdown, /\| requests: ARM, sign-in \| 0, 0 \| 0, 0 \| \|/);
    });

    it("preview and diff make no ARM request, and the preview sees every pending rotation", () => {
        assert.equal(results.diff.armRequests, 0);
        assert.equal(results.diff.count, 50);
        for (const k of ["A", "B'", "empty"] as const) assert.ok(results.diff.p99Ms[k] > 0 && results.diff.p50Ms[k] > 0, k);
        assert.equal(results.preview.armRequests, 0);
        assert.equal(results.preview.pendingRotations, n);
    });

    it("compares A, B', B and C at each ARM latency, alternating in every round, then alone where A makes fewer requests, with the split", () => {
        assert.deepEqual(
            results.comparisons.map((c) => [c.subset, c.armLatencyMs, c.services.join(",")]),
            [
                ["mix", 0, "communication,apim-subscription,storage,servicebus-namespace,signalr"],
                ["mix", 100, "communication,apim-subscription,storage,servicebus-namespace,signalr"],
                ["fewer round trips", 100, "storage,servicebus-namespace,signalr"],
            ],
        );
        for (const c of results.comparisons) {
            assert.equal(c.rounds.length, 2);
            for (const r of c.rounds) for (const id of ["A", "B'", "B", "C"] as const) assert.ok(r.wallMs[id] > 0);
            for (const ratio of ["A/B'", "A/B", "A/C", "B'/B"] as const) {
                assert.ok(Math.abs(c.median.ratios[ratio] - median(c.rounds.map((r) => r.ratios[ratio]))) < 0.001, ratio);
            }
            assert.equal(c.split.hostAndEngineMs, Math.round((c.median.wallMs["B'"] - c.median.wallMs.B) * 10) / 10);
            assert.equal(c.split.packageMs, Math.round((c.median.wallMs.A - c.median.wallMs["B'"]) * 10) / 10);
        }
        assert.match(markdown, /host and engine hop \(B' − B\)/);
        assert.match(markdown, /the package's own \(A − B'\)/);
    });

    it("measures fresh hosts of A and B': the fixed cost, module loading and sign-in in the host", () => {
        assert.equal(results.startup.A.samples, 1);
        assert.equal(results.startup["B'"].samples, 1);
        assert.deepEqual(Object.keys(results.startup.A.moduleLoadMs).sort(), ["@azure/identity", "axios", "package"]);
        assert.deepEqual(Object.keys(results.startup["B'"].moduleLoadMs), ["floor"]);
        assert.equal(results.startup["B'"].signInRequests, 1, "the floor signs in with one plain token request");
        assert.match(markdown, /\| first rotation over a warm one \(the fixed cost\) \|/);
        assert.match(markdown, /\| of which loading @azure\/identity \|/);
    });

    it("prints the consumer counts: none fail with Alternate, the late consumer fails after every fixed-key rotation", () => {
        const services = CATALOG.filter((e) => "pairs" in e.alternate).map((e) => e.service);
        assert.deepEqual(results.consumers.map((c) => `${c.service}/${c.keyType}`).sort(), services.flatMap((s) => [`${s}/Alternate`, `${s}/Primary`]).sort());
        for (const c of results.consumers) {
            assert.equal(c.rotations, 3);
            assert.ok(c.liveAttempts > 0);
            if (c.keyType === "Alternate") assert.deepEqual([c.liveFailures, c.lateFailures], [0, 0], c.service);
            else assert.equal(c.lateFailures, 3, c.service);
        }
    });

    it("prints the verification rows: with keys propagating, every service with a probe, Alternate without and with verification", () => {
        const services = CATALOG.filter((e) => "scheme" in e.verify && "pairs" in e.alternate).map((e) => e.service);
        assert.deepEqual(
            results.propagation.map((p) => p.service),
            services,
        );
        for (const p of results.propagation) {
            assert.equal(p.unverified.verify, false);
            assert.equal(p.verified.verify, true);
            assert.equal(p.verified.liveFailures + p.verified.lateFailures, 0, p.service);
            assert.ok(p.unverified.liveFailures > 0, `${p.service}: an unverified rotation moves live consumers to a key still propagating`);
        }
        assert.match(markdown, /\| keys accepted 300 ms after they are made, Alternate, 1 rotations \|/);
    });

    it("reports the provider sizes, the memory of the bare host and of A and B' across the scale series", () => {
        assert.ok(results.provider.A.bytes > 0 && results.provider.A.bytes <= 2048);
        assert.ok(results.provider["B'"].bytes > 0);
        assert.deepEqual(
            results.memory.scale.map((s) => s.n),
            [10, 20],
        );
        if (process.platform === "linux") {
            assert.ok(results.memory.bareHost.peakRssMiB! > 0 && results.memory.bareHost.liveHeapMiB! > 0);
            for (const s of results.memory.scale) {
                for (const m of [s.A, s["B'"]]) assert.ok(m.peakRssMiB! > 0 && m.liveHeapMiB! > 0 && m.liveHeapMiB! < m.peakRssMiB!);
            }
        }
    });

    it("evaluates every restated target, and the request counts meet theirs", () => {
        const names = results.targets.map((t) => t.name);
        for (const expected of [
            "A/B', ARM latency 0 ms",
            "A/B', ARM latency 100 ms",
            "A no slower than C, ARM latency 100 ms",
            "A faster than C where it makes fewer ARM requests (storage, servicebus-namespace, signalr), ARM latency 100 ms",
            "fixed cost per `pulumi up` over B' (first rotation over a warm one, in the host)",
            "host peak RSS at N=20 over the bare host",
            "live heap after GC, N=10 → N=20",
            "diff p99 over an empty gRPC call's p99, same host",
            `no-op deployment over B' (a fresh host checks and diffs ${n} unchanged resources)`,
        ]) {
            assert.ok(names.includes(expected), expected);
        }
        const met = (name: string) => results.targets.find((t) => t.name === name)?.met;
        assert.equal(met("ARM requests per rotation"), true);
        assert.equal(met("ARM requests per later rotation, every service (status polls apart)"), true);
        assert.equal(results.requestsPerService.length, CATALOG.length, "every catalog service is counted");
        assert.ok(markdown.includes("| ARM requests, every service (verification off) |"));
        assert.equal(met("token requests per run (A)"), true);
        assert.equal(met("ARM requests in preview and diff"), true);
        assert.equal(met("requests in a no-op deployment (A): ARM and sign-in"), true);
        assert.equal(met("modules a no-op deployment loads (A)"), true);
        assert.equal(met("sign-in requests per run (A)"), true);
        assert.equal(met("consumer failures with Alternate"), true);
        for (const t of results.targets) assert.ok(markdown.includes(`| ${t.name} | ${t.goal} |`), t.name);
        assert.match(markdown, /\| \*\*median\*\* \|/);
        assert.match(markdown, /serialized `__provider` per resource \(B' \d+ bytes\) \| \d+ bytes/);
    });

    it("--write-results would fill bench/README.md's generated section from the run, and leave the rest as it is", () => {
        const readme = readFileSync(join(packageRoot, "bench", "README.md"), "utf8");
        const written = withGeneratedSection(readme, results);
        const [before, after] = [readme.split("<!-- bench:where-the-time-goes:begin"), written.split("<!-- bench:where-the-time-goes:begin")];
        assert.equal(after[0], before[0]);
        assert.equal(written.split("<!-- bench:where-the-time-goes:end -->")[1], readme.split("<!-- bench:where-the-time-goes:end -->")[1]);
        for (const row of [
            "| bare HTTPS work, plain process (B) |",
            "| first rotation over a warm one (the fixed cost) |",
            "| no-op deployment: a fresh host checks and diffs",
            "| sign-in requests per run (the emulator's log",
            "| target | goal | measured | |",
        ]) {
            assert.ok(written.includes(row), row);
        }
        assert.equal(withGeneratedSection(written, results), written, "running it again changes nothing");
    });

    it("writes only where it was told: no tracked results, no program or CA directory left behind", () => {
        assert.ok(existsSync(join(out, "latest.json")));
        assert.deepEqual(tracked(), trackedBefore);
        assert.deepEqual(readdirSync(scratch), []);
    });
});

describe("npm run bench's command line", () => {
    it("--help prints the usage, exits 0 and writes nothing", async () => {
        const scratch = mkdtempSync(join(tmpdir(), "key-rotation-bench-help-"));
        try {
            const before = tracked();
            const { stdout } = await run(process.execPath, [bench, "--help"], { cwd: packageRoot, env: { ...process.env, TMPDIR: scratch } });
            assert.match(stdout, /^Usage: npm run bench -- \[options\]/);
            for (const flag of ["--n", "--latency-ms", "--profile", "--out", "--write-results", "--help"]) assert.ok(stdout.includes(flag), flag);
            assert.deepEqual(readdirSync(scratch), []);
            assert.deepEqual(tracked(), before);
        } finally {
            rmSync(scratch, { recursive: true, force: true });
        }
    });

    it("refuses an unknown flag or a bad value with the usage, exit code 2", async () => {
        for (const args of [["--bogus"], ["--n", "0"], ["results"]]) {
            await assert.rejects(run(process.execPath, [bench, ...args], { cwd: packageRoot }), (error: { code: number; stderr: string }) => {
                assert.equal(error.code, 2, args.join(" "));
                assert.match(error.stderr, /^.+\n\nUsage: npm run bench/);
                return true;
            });
        }
    });

    it("parses values with util.parseArgs: defaults, lists, the explicit --write-results", () => {
        const defaults = parseOptions([]);
        assert.notEqual(defaults, "help");
        if (defaults === "help") return;
        assert.deepEqual(
            [defaults.n, defaults.latenciesMs, defaults.scale, defaults.writeResults, defaults.out, defaults.noop, defaults.simulationConcurrency],
            [200, [0, 100], [50, 200, 1000], false, undefined, 100, 1],
        );
        const given = parseOptions(["--n=5", "--latency-ms", "0,20", "--write-results", "--out", "/tmp/x"]);
        assert.ok(given !== "help");
        assert.deepEqual([given.n, given.latenciesMs, given.writeResults, given.out], [5, [0, 20], true, "/tmp/x"]);
        assert.equal(parseOptions(["-h"]), "help");
        assert.throws(() => parseOptions(["--scale", "10,x"]), UsageError);
        assert.throws(() => parseOptions(["--write-results=yes"]), UsageError);
    });
});

describe("benchmark helpers", () => {
    it("percentile is nearest-rank and median averages the middle pair", () => {
        const samples = Array.from({ length: 100 }, (_, i) => i + 1);
        assert.equal(percentile(samples, 50), 50);
        assert.equal(percentile(samples, 99), 99);
        assert.equal(percentile([5], 99), 5);
        assert.equal(median([3, 1, 2, 4]), 2.5);
        assert.ok(Number.isNaN(median([])));
    });

    it("targets are distinct, one in ten a SignalR, and recognised from their request paths", () => {
        const targets = benchTargets(100);
        assert.equal(new Set(targets.map((t) => t.id)).size, 100);
        assert.equal(targets.filter((t) => t.service === "signalr").length, 10);
        for (const t of targets) assert.equal(serviceOfPath(`${t.id}/listKeys`), t.service);
        assert.equal(
            serviceOfPath("/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.SignalRService/locations/westus/operationStatuses/x"),
            "signalr",
        );
    });

    it("the floor's plans follow the catalog: the package's requests for B', a read-back always for B", () => {
        for (const { service, entry } of BENCH_SERVICES) {
            const target = benchTargets(10).find((t) => t.service === service)!;
            const own = floorPlan(target.id, "package");
            const readBack = floorPlan(target.id, "readBack");
            assert.equal(own.apiVersion, entry.defaultApiVersion);
            assert.deepEqual(own.regenerate, readBack.regenerate);
            assert.equal(own.regenerate.longRunning, entry.regenerate.longRunning);
            assert.ok(own.regenerate.path.startsWith(target.id), service);
            assert.equal(own.readBack === undefined, entry.regenerate.answer === "keySet", service);
            assert.ok(readBack.readBack?.startsWith(target.id), service);
            assert.ok(own.minPollDelayMs > 0 && readBack.minPollDelayMs === 0);
        }
    });

    it("the profile summary adds up self time by who caused it: Node's frames count for their caller, idle left out", () => {
        const frame = (url: string, functionName = "f") => ({ functionName, url });
        assert.equal(categoryOf(frame("file:///x/node_modules/axios/dist/node/axios.cjs")), "axios");
        assert.equal(categoryOf(frame("file:///x/node_modules/@azure/msal-node/dist/index.cjs")), "@azure/identity");
        assert.equal(categoryOf(frame("file:///x/node_modules/@grpc/grpc-js/build/src/server.js")), "Pulumi's host (gRPC, protobuf)");
        assert.equal(categoryOf(frame("file:///x/dist/src/provider.js")), "this package");
        assert.equal(categoryOf(frame("node:_http_client")), undefined);
        assert.equal(categoryOf(frame("", "(idle)")), null);
        const profile = {
            nodes: [
                { id: 1, callFrame: frame("", "(root)"), children: [2, 3, 5, 6] },
                { id: 2, callFrame: frame("file:///x/dist/src/provider.js"), children: [4] },
                { id: 3, callFrame: frame("", "(garbage collector)") },
                { id: 4, callFrame: frame("node:_http_client") },
                { id: 5, callFrame: frame("node:_tls_wrap") },
                { id: 6, callFrame: frame("", "(idle)") },
            ],
            samples: [2, 3, 4, 5, 6, 1],
            timeDeltas: [1000, 500, 2000, 250, 9000, 700],
        };
        assert.deepEqual(summarizeProfile(profile), {
            "this package": 3,
            "garbage collection": 0.5,
            "Node's HTTP, TLS, net and streams (event loop, no caller on the stack)": 0.25,
        });
    });

    it("pool never runs more than its concurrency at once and visits every item", async () => {
        let running = 0;
        let peak = 0;
        const seen: number[] = [];
        await pool([...Array(25).keys()], 4, async (item) => {
            peak = Math.max(peak, ++running);
            await new Promise((r) => setTimeout(r, 1));
            seen.push(item);
            running--;
        });
        assert.equal(peak, 4);
        assert.deepEqual(
            seen.sort((a, b) => a - b),
            [...Array(25).keys()],
        );
    });
});
