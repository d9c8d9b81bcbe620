/**
 * `npm run bench [-- --n 200 --concurrency 10 --rounds 3 ...]`: the cost of rotations through this
 * package beside the bare-HTTPS floor and the official Azure SDK, on the embedded emulator (in a
 * process of its own). Contenders alternate A B C in every round so machine noise cancels in the
 * ratios. Prints Markdown tables and writes the same figures as JSON under bench/results/.
 *
 * Every run is checked: each rotation must have regenerated exactly one key on the emulator, so a
 * contender that skips work fails instead of looking fast.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { createCertificateAuthority } from "../emulator/certificate";
import { writeCaBundle } from "../scripts/caBundle";
import { simulateConsumers } from "../scripts/consumers";
import { captureRegistrations, ProviderHost, programDirectory } from "../scripts/engine";
import { KeyRotation } from "../src";
import { CATALOG } from "../src/catalog";
import { runInFreshProcess } from "./contenderProcess";
import { PackageContender } from "./contenders/packageHost";
import { EmulatorProcess, type LoggedRequest } from "./emulatorProcess";
import { type BenchResults, CONTENDERS, type Comparison, type ContenderId, type RunFigures, renderMarkdown, type Target } from "./report";
import { median, percentile, round } from "./stats";
import { type BenchService, type BenchTarget, benchTargets, serviceOfPath } from "./targets";

const root = join(__dirname, "..", "..");

interface Options {
    n: number;
    concurrency: number;
    rounds: number;
    retryAfterSeconds: number;
    diffs: number;
    coldStarts: number;
    scale: number[];
    /** Rotations in the consumer simulation (per service and strategy). */
    consumerRotations: number;
    /** ARM latencies to compare A, B and C at; diff, preview, cold start and scale use the first. */
    latenciesMs: number[];
    /** Write the hosts' CPU profiles here. */
    profile?: string;
    out: string;
}

function parseOptions(argv: string[]): Options {
    const value = (name: string, fallback: string) => {
        const i = argv.indexOf(`--${name}`);
        return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
    };
    const int = (name: string, fallback: number, min: number) => {
        const v = Number(value(name, String(fallback)));
        if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
        return v;
    };
    const list = (name: string, fallback: string, min: number) =>
        value(name, fallback)
            .split(",")
            .filter(Boolean)
            .map((s) => {
                const v = Number(s);
                if (!Number.isInteger(v) || v < min) throw new Error(`--${name} takes integers ≥ ${min} separated by commas, got ${s}`);
                return v;
            });
    const profile = value("profile", "");
    return {
        n: int("n", 200, 1),
        concurrency: int("concurrency", 10, 1),
        rounds: int("rounds", 3, 1),
        retryAfterSeconds: int("retry-after", 0, 0),
        diffs: int("diffs", 10_000, 1),
        coldStarts: int("cold-starts", 5, 1),
        scale: list("scale", "50,200,1000", 1),
        consumerRotations: int("consumer-rotations", 10, 1),
        latenciesMs: list("latency-ms", "0,100", 0),
        profile: profile || undefined,
        out: value("out", join(root, "bench", "results")),
    };
}

async function main(options: Options, caDir: string): Promise<void> {
    const log = (line: string) => process.stderr.write(`${line}\n`);
    // One poll per SignalR rotation, answered after the Retry-After every contender honours.
    const emulator = await EmulatorProcess.start(caDir, { lro: { pollsUntilDone: 1, retryAfterSeconds: options.retryAfterSeconds } });
    if (options.profile) {
        mkdirSync(options.profile, { recursive: true });
        process.env.KEY_ROTATION_BENCH_PROFILE_DIR = options.profile;
    }
    const programDir = programDirectory(root);
    try {
        const all = benchTargets(Math.max(options.n, ...options.scale));
        await emulator.createResources(all.map((t) => t.id));
        const targets = all.slice(0, options.n);
        const mix = countBy(targets);

        const [registration] = await captureRegistrations(() => [
            new KeyRotation("bench", { resourceId: all[0].id, keyType: "Primary", trigger: "0", verify: false }),
        ]);
        const provider = String(registration.inputs.__provider);
        const a = new PackageContender(emulator.env, programDir, registration.inputs);

        log(`creating ${all.length} KeyRotations (unmeasured)`);
        await a.deploy(all, options.concurrency, "created");

        // CPU is the host's for A (the wire engine's is negligible) and this process's for B and C.
        // Every run starts cold, in a fresh process, as `pulumi up` starts a fresh provider host and a
        // user's script starts a fresh node. CPU is that process's (A: the host's; the wire engine's
        // own is negligible).
        const runs: Record<ContenderId, (round: string) => Promise<{ wallMs: number; cpuMs?: number }>> = {
            A: async (r) => {
                const d = await a.deploy(targets, options.concurrency, r);
                return { wallMs: d.wallMs, cpuMs: d.hostCpuMs };
            },
            B: () => runInFreshProcess({ contender: "B", env: emulator.env, targets, concurrency: options.concurrency }),
            C: () => runInFreshProcess({ contender: "C", env: emulator.env, targets, concurrency: options.concurrency }),
        };
        const comparisons: BenchResults["comparisons"] = [];
        let requests = {} as BenchResults["requests"];
        for (const latencyMs of options.latenciesMs) {
            await emulator.setArmLatency(latencyMs);
            const rounds: Comparison["rounds"] = [];
            for (let r = 1; r <= options.rounds; r++) {
                const figures = {} as Record<ContenderId, RunFigures>;
                for (const id of ["A", "B", "C"] as ContenderId[])
                    figures[id] = await measured(emulator, targets, () => runs[id](`latency-${latencyMs}-round-${r}`));
                rounds.push({
                    round: r,
                    wallMs: mapValues(figures, (f) => round(f.wallMs, 1)),
                    cpuMsPerRotation: mapValues(figures, (f) => (f.cpuMs === undefined ? null : round(f.cpuMs / targets.length, 3))),
                    ratioAB: round(figures.A.wallMs / figures.B.wallMs, 3),
                    ratioCB: round(figures.C.wallMs / figures.B.wallMs, 3),
                });
                if (latencyMs === options.latenciesMs[0]) {
                    requests = mapValues(figures, (f) => ({ armRequestsPerRotation: f.armRequestsPerRotation, tokenRequestsPerRun: f.tokenRequests }));
                }
                log(
                    `ARM latency ${latencyMs} ms, round ${r}: A ${figures.A.wallMs.toFixed(0)} ms, B ${figures.B.wallMs.toFixed(0)} ms, C ${figures.C.wallMs.toFixed(0)} ms`,
                );
            }
            const medianOf = (pick: (x: Comparison["rounds"][number]) => number | null) => {
                const v = rounds.map(pick).filter((c): c is number => c !== null);
                return v.length ? round(median(v), 3) : null;
            };
            comparisons.push({
                armLatencyMs: latencyMs,
                rounds,
                median: {
                    wallMs: mapValues({ A: 0, B: 0, C: 0 } as Record<ContenderId, number>, (_, id) => round(median(rounds.map((x) => x.wallMs[id])), 1)),
                    cpuMsPerRotation: mapValues({ A: 0, B: 0, C: 0 } as Record<ContenderId, number>, (_, id) => medianOf((x) => x.cpuMsPerRotation[id])),
                    ratioAB: round(median(rounds.map((x) => x.ratioAB)), 3),
                    ratioCB: round(median(rounds.map((x) => x.ratioCB)), 3),
                },
            });
        }
        await emulator.setArmLatency(options.latenciesMs[0]);
        const hostPeak = await a.deploy(targets, options.concurrency, "rss");

        log(`${options.diffs} diffs and a preview of ${targets.length}`);
        await emulator.reset();
        const diffSamples = await a.diffLatencies(all[0], options.diffs);
        const diffArm = (await emulator.log()).requests.length;
        await emulator.reset();
        const preview = await a.preview(targets, options.concurrency, "previewed");
        const previewArm = (await emulator.log()).requests.length;

        log(`${options.coldStarts} cold starts`);
        const coldStarts: number[] = [];
        for (let k = 0; k < options.coldStarts; k++) coldStarts.push(await a.coldStartMs(all[k % all.length], `cold-${k}`));

        const scale: BenchResults["scale"] = [];
        for (const n of options.scale) {
            log(`scale: N=${n}`);
            const subset = all.slice(0, n);
            const figures = await a.deploy(subset, options.concurrency, `scale-${n}`, true);
            scale.push({
                n,
                wallMs: round(figures.wallMs, 1),
                msPerRotation: round(figures.wallMs / n, 3),
                hostCpuMsPerRotation: figures.hostCpuMs === undefined ? null : round(figures.hostCpuMs / n, 3),
                hostPeakRssMiB: mib(figures.hostPeakRssBytes),
                hostLiveHeapMiB: mib(figures.hostLiveHeapBytes),
            });
        }

        log(`consumers across ${options.consumerRotations} rotations, Alternate and a fixed Primary`);
        await emulator.setArmLatency(0);
        const consumers = await consumerSimulation(emulator, programDir, options.consumerRotations);

        const results: BenchResults = {
            generatedAt: new Date().toISOString(),
            machine: {
                cpus: cpus().length,
                cpuModel: cpus()[0]?.model ?? "unknown",
                memoryGiB: round(totalmem() / 2 ** 30, 1),
                node: process.version,
                platform: process.platform,
            },
            options: {
                n: options.n,
                concurrency: options.concurrency,
                rounds: options.rounds,
                retryAfterSeconds: options.retryAfterSeconds,
                latenciesMs: options.latenciesMs,
                diffs: options.diffs,
                coldStarts: options.coldStarts,
                scale: options.scale,
                consumerRotations: options.consumerRotations,
            },
            mix,
            contenders: CONTENDERS,
            comparisons,
            requests,
            coldStartMs: { samples: coldStarts.map((v) => round(v, 1)), median: round(median(coldStarts), 1), max: round(Math.max(...coldStarts), 1) },
            hostPeakRssMiB: mib(hostPeak.hostPeakRssBytes),
            diff: { count: options.diffs, p50Ms: round(percentile(diffSamples, 50), 4), p99Ms: round(percentile(diffSamples, 99), 4), armRequests: diffArm },
            preview: {
                resources: targets.length,
                pendingRotations: preview.pending,
                armRequests: previewArm,
                hostCpuMsPerResource: preview.hostCpuMs === undefined ? null : round(preview.hostCpuMs / targets.length, 3),
            },
            provider: { bytes: Buffer.byteLength(provider), sha256: createHash("sha256").update(provider).digest("hex") },
            scale,
            consumers,
            targets: [],
        };
        results.targets = evaluate(results, options);

        const markdown = renderMarkdown(results);
        console.log(markdown);
        mkdirSync(options.out, { recursive: true });
        const stamp = results.generatedAt.replace(/[:.]/g, "-");
        writeFileSync(join(options.out, `bench-${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
        writeFileSync(join(options.out, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
        writeFileSync(join(options.out, "latest.md"), `${markdown}\n`);
        log(`\nwrote ${join(options.out, "latest.json")} and bench-${stamp}.json`);
    } finally {
        await emulator.stop();
        rmSync(programDir, { recursive: true, force: true });
    }
}

/**
 * Issue 5's proof, in numbers: applications authenticating on the emulated data plane with the key a
 * deployment outputs, while deployments rotate it, with Alternate and with a fixed Primary.
 */
async function consumerSimulation(emulator: EmulatorProcess, programDir: string, rotations: number): Promise<BenchResults["consumers"]> {
    const host = await ProviderHost.start({ cwd: programDir, env: emulator.env });
    try {
        const rows: BenchResults["consumers"] = [];
        for (const entry of CATALOG.filter((e) => "pairs" in e.alternate)) {
            for (const keyType of ["Alternate", "Primary"]) {
                const createResource = (id: string) => emulator.createResources([id]);
                const run = await simulateConsumers({
                    host,
                    dataPlaneUrl: emulator.env.AZURE_RESOURCE_MANAGER_ENDPOINT,
                    service: entry.service,
                    keyType,
                    rotations,
                    createResource,
                });
                rows.push({ service: entry.service, ...run });
            }
        }
        return rows;
    } finally {
        await host.stop();
    }
}

/** Runs one contender over `targets` and checks on the emulator that each rotated exactly one key. */
async function measured(
    emulator: EmulatorProcess,
    targets: readonly BenchTarget[],
    run: () => Promise<{ wallMs: number; cpuMs?: number }>,
): Promise<RunFigures> {
    const ids = targets.map((t) => t.id);
    const tokensBefore = await emulator.reset();
    const before = await emulator.generations(ids, "Primary");
    const { wallMs, cpuMs } = await run();
    const after = await emulator.generations(ids, "Primary");
    if (after - before !== targets.length) throw new Error(`expected ${targets.length} Primary keys regenerated, the emulator saw ${after - before}`);
    const { requests, tokens } = await emulator.log();
    return { wallMs, cpuMs, armRequestsPerRotation: perRotation(requests, targets), tokenRequests: tokens - tokensBefore };
}

function perRotation(requests: LoggedRequest[], targets: readonly BenchTarget[]): Partial<Record<BenchService, number>> {
    const rotations = countBy(targets);
    const counts: Partial<Record<BenchService, number>> = {};
    for (const r of requests) {
        const service = serviceOfPath(r.path);
        if (service) counts[service] = (counts[service] ?? 0) + 1;
    }
    return Object.fromEntries(
        Object.entries(rotations)
            .filter(([, n]) => n > 0)
            .map(([s, n]) => [s, round((counts[s as BenchService] ?? 0) / n, 3)]),
    );
}

function evaluate(r: BenchResults, options: Options): Target[] {
    const a = r.requests.A;
    const expectedArm = (s: BenchService) => 2 + (s === "signalr" ? 1 : 0); // regenerate + read-back (+ the one poll the emulator asks for)
    const armOk = (Object.entries(a.armRequestsPerRotation) as Array<[BenchService, number]>).every(([s, v]) => v === expectedArm(s));
    const atScale = r.scale.find((s) => s.n === 1000) ?? r.scale[r.scale.length - 1];
    const standard = options.n === 200 && options.concurrency === 10;
    return [
        ...r.comparisons.flatMap((c): Target[] => [
            {
                name: `A/B, ARM latency ${c.armLatencyMs} ms`,
                goal: `≤ 1.10${standard ? "" : " (at N=200, C=10)"}`,
                measured: c.median.ratioAB.toFixed(2),
                met: c.median.ratioAB <= 1.1,
            },
            {
                name: `A faster than C, ARM latency ${c.armLatencyMs} ms`,
                goal: "A < C",
                measured: `${c.median.wallMs.A.toFixed(0)} vs ${c.median.wallMs.C.toFixed(0)} ms`,
                met: c.median.wallMs.A < c.median.wallMs.C,
            },
        ]),
        { name: "token requests per run (A)", goal: "1", measured: String(a.tokenRequestsPerRun), met: a.tokenRequestsPerRun === 1 },
        {
            name: "ARM requests per rotation (A)",
            goal: "regenerate + read-back (+1 poll, SignalR)",
            measured: Object.entries(a.armRequestsPerRotation)
                .map(([s, v]) => `${s} ${v}`)
                .join(", "),
            met: armOk,
        },
        {
            name: "ARM requests in preview and diff",
            goal: "0",
            measured: String(r.diff.armRequests + r.preview.armRequests),
            met: r.diff.armRequests + r.preview.armRequests === 0,
        },
        { name: "`__provider` per resource", goal: "≤ 2048 bytes", measured: `${r.provider.bytes} bytes`, met: r.provider.bytes <= 2048 },
        { name: "cold start (median)", goal: "≤ 1000 ms", measured: `${r.coldStartMs.median.toFixed(0)} ms`, met: r.coldStartMs.median <= 1000 },
        {
            name: `host peak RSS at N=${atScale?.n ?? "?"}`,
            goal: "≤ 150 MiB (at N=1000)",
            measured: atScale?.hostPeakRssMiB === null || !atScale ? "n/a" : `${atScale.hostPeakRssMiB.toFixed(1)} MiB`,
            met: atScale?.hostPeakRssMiB !== null && atScale !== undefined && atScale.hostPeakRssMiB <= 150,
        },
        { name: "diff p99", goal: "≤ 2 ms", measured: `${r.diff.p99Ms.toFixed(3)} ms`, met: r.diff.p99Ms <= 2 },
        {
            name: "consumer failures with Alternate",
            goal: "0",
            measured: String(r.consumers.filter((c) => c.keyType === "Alternate").reduce((n, c) => n + c.liveFailures + c.lateFailures, 0)),
            met: r.consumers.filter((c) => c.keyType === "Alternate").every((c) => c.liveFailures + c.lateFailures === 0),
        },
    ];
}

function countBy(targets: readonly BenchTarget[]): Record<BenchService, number> {
    const counts: Record<BenchService, number> = { communication: 0, "apim-subscription": 0, signalr: 0 };
    for (const t of targets) counts[t.service]++;
    return counts;
}

function mapValues<K extends string, V, W>(record: Record<K, V>, f: (v: V, k: K) => W): Record<K, W> {
    return Object.fromEntries((Object.entries(record) as Array<[K, V]>).map(([k, v]) => [k, f(v, k)])) as Record<K, W>;
}

function mib(bytes: number | undefined): number | null {
    return bytes === undefined ? null : round(bytes / 2 ** 20, 1);
}

// Node reads NODE_EXTRA_CA_CERTS only at start: create the emulator's CA, then run the benchmark in
// a child process that trusts it (TLS checks stay on everywhere).
if (require.main === module) {
    const caDir = process.env.KEY_ROTATION_BENCH_CA_DIR;
    let options: Options;
    try {
        options = parseOptions(process.argv.slice(2));
    } catch (error) {
        console.error(`bench: ${(error as Error).message}`);
        process.exit(2);
    }
    if (!caDir) {
        const dir = mkdtempSync(join(tmpdir(), "key-rotation-bench-"));
        const bundle = writeCaBundle(dir, createCertificateAuthority("pulumi-azure-key-rotation bench CA"));
        const child = spawnSync(process.execPath, [__filename, ...process.argv.slice(2)], {
            stdio: "inherit",
            env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle, KEY_ROTATION_BENCH_CA_DIR: dir },
        });
        rmSync(dir, { recursive: true, force: true });
        process.exit(child.status ?? 1);
    }
    main(options, caDir).catch((error) => {
        console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        process.exit(1);
    });
}
