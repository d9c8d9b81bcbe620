import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import type { BenchResults } from "../../bench/report";
import { median, percentile } from "../../bench/stats";
import { benchTargets, pool, serviceOfPath } from "../../bench/targets";
import { CATALOG } from "../../src/catalog";
import { packageRoot } from "../helpers/host";

// The benchmark's figures are checked for what they count (requests, tokens, sizes), never for
// time: timings are reported by `npm run bench`, not asserted.
describe("npm run bench (a small run)", () => {
    const out = mkdtempSync(join(tmpdir(), "key-rotation-bench-test-"));
    let results: BenchResults;
    const n = 20;

    before(async () => {
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
            "--latency-ms",
            "0,5",
            "--consumer-rotations",
            "3",
            "--out",
            out,
        ];
        await promisify(execFile)(process.execPath, [join(packageRoot, "dist", "bench", "index.js"), ...args], { cwd: packageRoot, timeout: 240_000 });
        results = JSON.parse(readFileSync(join(out, "latest.json"), "utf8")) as BenchResults;
    });
    after(() => rmSync(out, { recursive: true, force: true }));

    it("rotates with every contender: one regenerate and one read-back, but the package takes SignalR's keys from its regenerate answer", () => {
        assert.deepEqual(results.requests.A.armRequestsPerRotation, { communication: 2, "apim-subscription": 2, signalr: 2 }, "contender A");
        for (const id of ["B", "C"] as const) {
            assert.deepEqual(results.requests[id].armRequestsPerRotation, { communication: 2, "apim-subscription": 2, signalr: 3 }, `contender ${id}`);
        }
        assert.deepEqual(results.mix, { communication: 10, "apim-subscription": 8, signalr: 2 });
    });

    it("the package and the floor ask for exactly one token per run", () => {
        assert.equal(results.requests.A.tokenRequestsPerRun, 1);
        assert.equal(results.requests.B.tokenRequestsPerRun, 1);
        assert.ok(results.requests.C.tokenRequestsPerRun >= 1);
    });

    it("preview and diff make no ARM request, and the preview sees every pending rotation", () => {
        assert.equal(results.diff.armRequests, 0);
        assert.equal(results.diff.count, 50);
        assert.equal(results.preview.armRequests, 0);
        assert.equal(results.preview.pendingRotations, n);
    });

    it("compares A, B and C at each ARM latency, alternating in every round", () => {
        assert.deepEqual(
            results.comparisons.map((c) => c.armLatencyMs),
            [0, 5],
        );
        for (const c of results.comparisons) {
            assert.equal(c.rounds.length, 2);
            for (const r of c.rounds) for (const id of ["A", "B", "C"] as const) assert.ok(r.wallMs[id] > 0);
            assert.ok(Math.abs(c.median.ratioAB - median(c.rounds.map((r) => r.ratioAB))) < 0.001);
        }
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

    it("reports the provider size, cold starts, the scale series with memory, and each target", () => {
        assert.ok(results.provider.bytes > 0 && results.provider.bytes <= 2048);
        assert.equal(results.coldStartMs.samples.length, 1);
        assert.deepEqual(
            results.scale.map((s) => s.n),
            [10, 20],
        );
        if (process.platform === "linux")
            for (const s of results.scale) assert.ok(s.hostPeakRssMiB! > 0 && s.hostLiveHeapMiB! > 0 && s.hostLiveHeapMiB! < s.hostPeakRssMiB!);
        assert.ok(results.targets.length >= 9);
        const markdown = readFileSync(join(out, "latest.md"), "utf8");
        assert.match(markdown, /\| \*\*median\*\* \|/);
        assert.match(markdown, /serialized `__provider` per resource \| \d+ bytes/);
        assert.ok(existsSync(join(out, "latest.json")));
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
