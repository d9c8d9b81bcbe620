/**
 * `npm run bench [-- --help]`: the cost of rotations through this package (A) beside the smallest
 * dynamic provider making the same requests in the same Pulumi host (B'), bare HTTPS in a plain
 * process (B) and the official Azure SDK (C), on the embedded emulator (in a process of its own).
 * Contenders alternate A B' B C in every round so machine noise cancels in the ratios. Prints
 * Markdown tables and writes them with the JSON figures to a temporary directory (or --out);
 * only --write-results writes the tracked bench/results/latest.* and bench/README.md's tables.
 *
 * Every run is checked: each rotation must have regenerated exactly one key on the emulator, so a
 * contender that skips work fails instead of looking fast.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createCertificateAuthority } from "../emulator/certificate";
import { refuse } from "../emulator/commandLine";
import { writeCaBundle } from "../scripts/caBundle";
import { simulateConsumers } from "../scripts/consumers";
import { captureRegistrations, type Props, ProviderHost, programDirectory } from "../scripts/engine";
import { KeyRotation } from "../src";
import { CATALOG } from "../src/catalog";
import { type Options, parseOptions, USAGE, UsageError } from "./cli";
import { runInFreshProcess } from "./contenderProcess";
import { FloorRotation } from "./contenders/floorProvider";
import { type DeploymentResult, HostContender, type NoopSample, peakRssBytes, type StartupSample } from "./contenders/hostContender";
import { EmulatorProcess, type LoggedRequest } from "./emulatorProcess";
import { evaluate } from "./goals";
import { type FloorPlan, floorPlan } from "./plans";
import { profilePerRotation } from "./profileSummary";
import {
    type BenchResults,
    CONTENDER_IDS,
    CONTENDERS,
    type Comparison,
    type ContenderId,
    type HostContenderId,
    type MemoryFigures,
    type NoopFigures,
    type RoundFigures,
    type RunFigures,
    renderMarkdown,
    type StartupFigures,
    whereTheTimeGoes,
} from "./report";
import { requestsPerService, requestsPerServiceTable } from "./requestsPerService";
import { median, percentile, round } from "./stats";
import { BENCH_SERVICES, type BenchService, type BenchTarget, benchTargets, countBy, pool, serviceOfPath } from "./targets";
import { WireHost } from "./wireEngine";

const root = join(__dirname, "..", "..");
const log = (line: string) => process.stderr.write(`${line}\n`);
/** Rotations after the first in each fresh host of the startup measurement. */
const WARM_ROTATIONS = 5;

/** What the run created, removed on the way out, however it ends. */
const cleanups: Array<() => Promise<void> | void> = [];
async function cleanUp(): Promise<void> {
    for (const cleanup of cleanups.splice(0).reverse()) {
        try {
            await cleanup();
        } catch (error) {
            log(`bench: cleaning up: ${(error as Error).message}`);
        }
    }
}

async function main(options: Options, caDir: string): Promise<void> {
    // One poll per SignalR rotation, answered after the Retry-After every contender honours.
    const emulator = await EmulatorProcess.start(caDir, { lro: { pollsUntilDone: 1, retryAfterSeconds: options.retryAfterSeconds } });
    cleanups.push(() => emulator.stop());
    if (options.signInLatencyMs > 0) await emulator.setSignInLatency(options.signInLatencyMs);
    cleanups.push(() => WireHost.stopAll());
    if (options.profile) {
        mkdirSync(options.profile, { recursive: true });
        process.env.KEY_ROTATION_BENCH_PROFILE_DIR = options.profile;
    }
    const programDir = programDirectory(root);
    cleanups.push(() => rmSync(programDir, { recursive: true, force: true }));

    const all = benchTargets(Math.max(options.n, ...options.scale, 1 + WARM_ROTATIONS, options.noop));
    await emulator.createResources(all.map((t) => t.id));
    const targets = all.slice(0, options.n);

    const plans = new Map<string, { package: FloorPlan; readBack: FloorPlan }>(
        all.map((t) => [t.id, { package: floorPlan(t.id, "package"), readBack: floorPlan(t.id, "readBack") }]),
    );
    const registrations = await captureRegistrations(() => [
        // Without the verification probe: the bench compares the rotation's own requests.
        new KeyRotation("bench", { resourceId: all[0].id, keyType: "Primary", trigger: "0", verify: false }),
        new FloorRotation("bench-floor", { resourceId: all[0].id, trigger: "0", plan: JSON.stringify(plans.get(all[0].id)!.package) }),
    ]);
    const registration = registrations.find((r) => r.name === "bench")!;
    const floorRegistration = registrations.find((r) => r.name === "bench-floor")!;
    // The package's outputs hold the primary key; the floor's, the key set its answer held.
    const keysOf = (outputs: Props, floor: boolean, what: string) => {
        const keys = floor ? JSON.stringify(outputs.keys) : outputs.primaryKey;
        if (typeof keys !== "string" || keys === "" || keys === "{}") throw new Error(`${what}: no key in the outputs`);
        return keys;
    };
    const hostContender = (label: string, dir: string, template: Props, inputs: (t: BenchTarget) => Props) => {
        const floor = label === "B'";
        return new HostContender({
            label,
            env: emulator.env,
            programDir: dir,
            inputs: (t, trigger) => ({ ...template, ...inputs(t), trigger }),
            verify: (t, outputs, previous) => {
                const what = `${label} ${t.id}`;
                if (!floor && outputs.rotatedKeyType !== "Primary") throw new Error(`${what}: no rotated primary key in the outputs`);
                if (previous && keysOf(previous, floor, what) === keysOf(outputs, floor, what)) throw new Error(`${what}: the key did not change`);
                keysOf(outputs, floor, what);
            },
        });
    };
    const packageInputs = (t: BenchTarget) => ({ resourceId: t.id, keyType: "Primary" });
    const hosts: Record<HostContenderId, HostContender> = {
        A: hostContender("A", programDir, registration.inputs, packageInputs),
        "B'": hostContender("B'", programDir, floorRegistration.inputs, (t) => ({ resourceId: t.id, plan: JSON.stringify(plans.get(t.id)!.package) })),
    };
    const baseline = options.baseline ? hostContender("A0", baselineProgramDir(options.baseline), registration.inputs, packageInputs) : undefined;

    log(`creating ${all.length} KeyRotations and ${all.length} floor resources (unmeasured)`);
    await hosts.A.deploy(all, options.concurrency, "created");
    await hosts["B'"].deploy(all, options.concurrency, "created");
    await baseline?.deploy(all, options.concurrency, "created");

    // Every run starts cold, in a fresh process, as `pulumi up` starts a fresh provider host and a
    // user's script starts a fresh node. CPU is that process's (A, B': the host's; the wire
    // engine's own is negligible).
    const run = (id: ContenderId, subset: readonly BenchTarget[], name: string): Promise<{ wallMs: number; cpuMs?: number }> => {
        if (id === "A" || id === "B'") return hosts[id].deploy(subset, options.concurrency, name).then((d) => ({ wallMs: d.wallMs, cpuMs: d.hostCpuMs }));
        const jobTargets = id === "B" ? subset.map((t) => ({ ...t, plan: plans.get(t.id)!.readBack })) : [...subset];
        return runInFreshProcess({ contender: id, env: emulator.env, targets: jobTargets, concurrency: options.concurrency });
    };
    const compare = async (latencyMs: number, subset: readonly BenchTarget[], kind: Comparison["subset"]): Promise<Comparison> => {
        await emulator.setArmLatency(latencyMs);
        const rounds: Comparison["rounds"] = [];
        for (let r = 1; r <= options.rounds; r++) {
            const figures = {} as Record<ContenderId, RunFigures>;
            const name = `${kind === "mix" ? "" : "fewer-"}latency-${latencyMs}-round-${r}`;
            for (const id of CONTENDER_IDS) figures[id] = await measured(emulator, subset, () => run(id, subset, name));
            rounds.push({ round: r, ...roundFigures(figures, subset.length) });
            if (kind === "mix" && latencyMs === options.latenciesMs[0]) lastRequests = figures;
            log(`ARM latency ${latencyMs} ms, ${kind}, round ${r}: ${CONTENDER_IDS.map((id) => `${id} ${figures[id].wallMs.toFixed(0)} ms`).join(", ")}`);
        }
        const med = medianFigures(rounds);
        return {
            armLatencyMs: latencyMs,
            subset: kind,
            services: Object.keys(countBy(subset)).filter((s) => countBy(subset)[s] > 0),
            n: subset.length,
            rounds,
            median: med,
            split: {
                hostAndEngineMs: round(med.wallMs["B'"] - med.wallMs.B, 1),
                packageMs: round(med.wallMs.A - med.wallMs["B'"], 1),
                hostAndEngineCpuMsPerRotation: difference(med.cpuMsPerRotation["B'"], med.cpuMsPerRotation.B),
                packageCpuMsPerRotation: difference(med.cpuMsPerRotation.A, med.cpuMsPerRotation["B'"]),
            },
        };
    };

    let lastRequests: Record<ContenderId, RunFigures> | undefined;
    const comparisons: Comparison[] = [];
    for (const latencyMs of options.latenciesMs) comparisons.push(await compare(latencyMs, targets, "mix"));
    const requests = mapValues(lastRequests!, (f) => ({
        armRequestsPerRotation: f.armRequestsPerRotation,
        tokenRequestsPerRun: f.tokenRequests,
        signInRequestsPerRun: f.signInRequests,
    }));

    // Where the package makes fewer ARM round trips than the SDK script, it should be faster: compare those services alone.
    const fewer = new Set(BENCH_SERVICES.map((s) => s.service).filter((s) => requests.A.armRequestsPerRotation[s] < requests.C.armRequestsPerRotation[s]));
    if (fewer.size > 0) {
        const subset = all.filter((t) => fewer.has(t.service)).slice(0, options.n);
        comparisons.push(await compare(options.latenciesMs[options.latenciesMs.length - 1], subset, "fewer round trips"));
    }

    await emulator.setArmLatency(options.latenciesMs[0]);
    log(`${options.coldStarts} fresh hosts each of A and B', ${WARM_ROTATIONS + 1} rotations each`);
    const sequence = all.filter((t) => t.service === all[0].service).slice(0, 1 + WARM_ROTATIONS);
    const samples: Record<HostContenderId, StartupSample[]> = { A: [], "B'": [] };
    for (let k = 0; k < options.coldStarts; k++) {
        for (const id of ["A", "B'"] as const) samples[id].push(await hosts[id].startup(sequence, `startup-${k}`));
    }

    // A preview, or a `pulumi up` with nothing due: what the package's host costs when it makes no request.
    const unchanged = all.slice(0, options.noop);
    log(`${options.coldStarts} fresh hosts each of A and B', each checking and diffing ${unchanged.length} unchanged resources`);
    const noopSamples: Record<HostContenderId, NoopRun[]> = { A: [], "B'": [] };
    for (let k = 0; k < options.coldStarts; k++) {
        for (const id of ["A", "B'"] as const) {
            await emulator.reset();
            const sample = await hosts[id].noop(unchanged, options.concurrency, String(k));
            const { requests: arm, signIn } = await emulator.log();
            noopSamples[id].push({ ...sample, armRequests: arm.length, signInRequests: Object.values(signIn).reduce((n, c) => n + c, 0) });
        }
    }

    log(`${options.diffs} diffs each of A and B' and empty calls, interleaved in one host; a preview of ${targets.length}`);
    await emulator.reset();
    const diffs = await diffLatencies(hosts, all[0], options.diffs);
    const diffArm = (await emulator.log()).requests.length;
    await emulator.reset();
    const preview = await hosts.A.preview(targets, options.concurrency, "previewed");
    const previewArm = (await emulator.log()).requests.length;

    const before = baseline ? await beforeAndAfter(baseline, hosts.A, options, emulator, targets, sequence, all) : undefined;

    log("memory: the bare host, then A and B' at each N of the scale series");
    const bareHost = await bareHostMemory(hosts.A);
    const scale: BenchResults["memory"]["scale"] = [];
    for (const n of options.scale) {
        log(`scale: N=${n}`);
        const subset = all.slice(0, n);
        const a = await hosts.A.deploy(subset, options.concurrency, `scale-${n}`, true);
        const b = await hosts["B'"].deploy(subset, options.concurrency, `scale-${n}`, true);
        scale.push({
            n,
            A: { wallMs: round(a.wallMs, 1), hostCpuMsPerRotation: a.hostCpuMs === undefined ? null : round(a.hostCpuMs / n, 3), ...memoryOf(a) },
            "B'": memoryOf(b),
        });
    }

    log(`consumers across ${options.consumerRotations} rotations, Alternate and a fixed Primary`);
    await emulator.setArmLatency(0);
    const consumers = await consumerSimulation(emulator, programDir, options.consumerRotations, options.simulationConcurrency);
    log(`verification: keys accepted ${options.propagationMs} ms after they are made, Alternate with and without verification`);
    const propagation = await propagationSimulation(emulator, programDir, options.propagationMs, options.propagationRotations, options.simulationConcurrency);

    const providerSize = (p: string) => ({ bytes: Buffer.byteLength(p), sha256: createHash("sha256").update(p).digest("hex") });
    const results: BenchResults = {
        generatedAt: new Date().toISOString(),
        machine: {
            cpus: cpus().length,
            cpuModel: cpus()[0]?.model ?? "unknown",
            memoryGiB: round(totalmem() / 2 ** 30, 1),
            node: process.version,
            platform: process.platform,
            loadAverage: loadavg().map((l) => round(l, 2)),
        },
        options: {
            n: options.n,
            concurrency: options.concurrency,
            rounds: options.rounds,
            retryAfterSeconds: options.retryAfterSeconds,
            signInLatencyMs: options.signInLatencyMs,
            latenciesMs: options.latenciesMs,
            diffs: options.diffs,
            coldStarts: options.coldStarts,
            noop: options.noop,
            scale: options.scale,
            consumerRotations: options.consumerRotations,
            propagationMs: options.propagationMs,
            propagationRotations: options.propagationRotations,
            simulationConcurrency: options.simulationConcurrency,
            profiled: Boolean(options.profile),
        },
        mix: countBy(targets),
        services: BENCH_SERVICES.map(({ service, entry }) => ({
            service,
            resourceType: entry.resourceType,
            regenerateAnswer: entry.regenerate.answer,
            longRunning: entry.regenerate.longRunning,
        })),
        contenders: CONTENDERS,
        comparisons,
        requests,
        startup: { A: startupFigures(samples.A), "B'": startupFigures(samples["B'"]) },
        noop: { A: noopFigures(noopSamples.A, unchanged.length), "B'": noopFigures(noopSamples["B'"], unchanged.length) },
        requestsPerService: await requestsPerService(caDir, root),
        diff: { count: options.diffs, ...diffs, armRequests: diffArm },
        preview: {
            resources: targets.length,
            pendingRotations: preview.pending,
            armRequests: previewArm,
            hostCpuMsPerResource: preview.hostCpuMs === undefined ? null : round(preview.hostCpuMs / targets.length, 3),
        },
        provider: { A: providerSize(String(registration.inputs.__provider)), "B'": providerSize(String(floorRegistration.inputs.__provider)) },
        memory: { bareHost, scale },
        ...(before ? { baseline: before } : {}),
        consumers,
        propagation,
        targets: [],
    };
    if (options.profile) {
        const first = comparisons[0];
        const per = (label: string) =>
            profilePerRotation(options.profile!, `${label}-latency-${first.armLatencyMs}-round-`, first.n * first.rounds.length) ?? {};
        results.profile = { A: per("A"), "B'": per("B_") };
        if (results.baseline) {
            const b = results.baseline;
            const rotations = targets.length * b.rounds.length;
            b.profile = {
                A0: profilePerRotation(options.profile, "A0-baseline-round-", rotations) ?? {},
                A: profilePerRotation(options.profile, "A-baseline-round-", rotations) ?? {},
            };
        }
    }
    results.targets = evaluate(results);

    const markdown = renderMarkdown(results);
    console.log(markdown);
    write(results, markdown, options);
}

/** Writes the results where the options say, and says where. */
function write(results: BenchResults, markdown: string, options: Options): void {
    const json = `${JSON.stringify(results, null, 2)}\n`;
    const stamp = results.generatedAt.replace(/[:.]/g, "-");
    const written: string[] = [];
    const writeTo = (dir: string) => {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `bench-${stamp}.json`), json);
        writeFileSync(join(dir, "latest.json"), json);
        writeFileSync(join(dir, "latest.md"), `${markdown}\n`);
        written.push(join(dir, "latest.json"), join(dir, "latest.md"), join(dir, `bench-${stamp}.json`));
    };
    if (options.out) writeTo(options.out);
    if (options.writeResults) {
        writeTo(join(root, "bench", "results"));
        const readme = join(root, "bench", "README.md");
        writeFileSync(readme, withGeneratedSection(readFileSync(readme, "utf8"), results));
        written.push(readme);
    }
    if (!options.out && !options.writeResults) writeTo(mkdtempSync(join(tmpdir(), "key-rotation-bench-results-")));
    log(`\nwrote ${written.map((f) => (f.startsWith(root) ? relative(root, f) : f)).join(", ")}`);
}

const BEGIN = "<!-- bench:where-the-time-goes:begin (written by `npm run bench -- --write-results`) -->";
const END = "<!-- bench:where-the-time-goes:end -->";

/** bench/README.md with its generated section replaced by this run's "where the time goes" and targets. */
export function withGeneratedSection(readme: string, r: BenchResults): string {
    const start = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    if (start < 0 || end < start) throw new Error(`bench/README.md has no ${BEGIN} … ${END} section`);
    const section = [
        BEGIN,
        "",
        `Run of ${r.generatedAt.slice(0, 10)}: N=${r.options.n}, ${r.options.concurrency} in flight, ${r.options.rounds} rounds, ${r.machine.cpus} × ${r.machine.cpuModel.trim()}, Node ${r.machine.node}, ` +
            `load average ${r.machine.loadAverage.map((l) => l.toFixed(1)).join(" ")} at the end (a busy machine inflates and scatters the timings; the counts hold).`,
        "",
        ...whereTheTimeGoes(r),
        ...requestsPerServiceTable(r.requestsPerService),
        "| target | goal | measured | |",
        "|---|---|---|---|",
        ...r.targets.map((t) => `| ${t.name} | ${t.goal} | ${t.measured} | ${t.met ? "met" : "**missed**"} |`),
        "",
        END,
    ].join("\n");
    return readme.slice(0, start) + section + readme.slice(end + END.length);
}

/**
 * A program directory whose `pulumi-azure-key-rotation` is `dir`, a built copy of the package from
 * before a change (its dependencies resolve from this checkout's node_modules, through its own).
 */
function baselineProgramDir(dir: string): string {
    const packageDir = resolve(dir);
    const manifest = join(packageDir, "package.json");
    if (
        !existsSync(manifest) ||
        JSON.parse(readFileSync(manifest, "utf8")).name !== "pulumi-azure-key-rotation" ||
        !existsSync(join(packageDir, "dist", "src", "provider.js"))
    ) {
        throw new Error(`--baseline ${dir}: not a built copy of pulumi-azure-key-rotation (package.json and dist/src/provider.js)`);
    }
    const programDir = programDirectory(packageDir);
    cleanups.push(() => rmSync(programDir, { recursive: true, force: true }));
    return programDir;
}

/** A0 (the baseline) and A alternating: a deployment of `targets` per round, then fresh hosts to their first rotations. */
async function beforeAndAfter(
    a0: HostContender,
    a: HostContender,
    options: Options,
    emulator: EmulatorProcess,
    targets: readonly BenchTarget[],
    sequence: readonly BenchTarget[],
    all: readonly BenchTarget[],
): Promise<NonNullable<BenchResults["baseline"]>> {
    const latencyMs = options.latenciesMs[0];
    await emulator.setArmLatency(latencyMs);
    log(`before and after: A0 (${options.baseline}) and A, ${options.rounds} rounds and ${options.coldStarts} fresh hosts each`);
    const rounds: NonNullable<BenchResults["baseline"]>["rounds"] = [];
    for (let r = 1; r <= options.rounds; r++) {
        const figures = {} as Record<"A0" | "A", RunFigures>;
        for (const [id, host] of [
            ["A0", a0],
            ["A", a],
        ] as const) {
            figures[id] = await measured(emulator, targets, () =>
                host.deploy(targets, options.concurrency, `baseline-round-${r}`).then((d) => ({ wallMs: d.wallMs, cpuMs: d.hostCpuMs })),
            );
        }
        rounds.push({
            round: r,
            wallMs: { A0: round(figures.A0.wallMs, 1), A: round(figures.A.wallMs, 1) },
            cpuMsPerRotation: {
                A0: figures.A0.cpuMs === undefined ? null : round(figures.A0.cpuMs / targets.length, 3),
                A: figures.A.cpuMs === undefined ? null : round(figures.A.cpuMs / targets.length, 3),
            },
        });
        log(`before and after, round ${r}: A0 ${figures.A0.wallMs.toFixed(0)} ms, A ${figures.A.wallMs.toFixed(0)} ms`);
    }
    const samples: Record<"A0" | "A", StartupSample[]> = { A0: [], A: [] };
    for (let k = 0; k < options.coldStarts; k++) {
        samples.A0.push(await a0.startup(sequence, `baseline-startup-${k}`));
        samples.A.push(await a.startup(sequence, `baseline-startup-${k}`));
    }
    // Memory after the largest deployment of the scale series, each in an instrumented host.
    const n = Math.max(...options.scale);
    const memory = { n } as NonNullable<BenchResults["baseline"]>["memory"];
    for (const [id, host] of [
        ["A0", a0],
        ["A", a],
    ] as const) {
        const d = await host.deploy(all.slice(0, n), options.concurrency, `baseline-scale-${n}`, true);
        memory[id] = memoryOf(d);
    }
    const med = (pick: (x: (typeof rounds)[number]) => number | null) => {
        const v = rounds.map(pick).filter((x): x is number => x !== null);
        return v.length ? round(median(v), 3) : null;
    };
    return {
        dir: options.baseline!,
        armLatencyMs: latencyMs,
        n: targets.length,
        rounds,
        median: {
            wallMs: { A0: med((x) => x.wallMs.A0)!, A: med((x) => x.wallMs.A)! },
            cpuMsPerRotation: { A0: med((x) => x.cpuMsPerRotation.A0), A: med((x) => x.cpuMsPerRotation.A) },
        },
        startup: { A0: startupFigures(samples.A0), A: startupFigures(samples.A) },
        memory,
    };
}

/** A's and B''s diffs of an unchanged resource and empty calls, interleaved one at a time through one host. */
async function diffLatencies(hosts: Record<HostContenderId, HostContender>, target: BenchTarget, count: number) {
    const host = await hosts.A.startHost("diffs");
    try {
        const samples: Record<HostContenderId | "empty", number[]> = { A: [], "B'": [], empty: [] };
        const once = async (keep: boolean) => {
            const a = await hosts.A.timedDiff(host, target);
            const b = await hosts["B'"].timedDiff(host, target);
            const started = performance.now();
            await host.empty();
            const e = performance.now() - started;
            if (!keep) return;
            samples.A.push(a);
            samples["B'"].push(b);
            samples.empty.push(e);
        };
        // Warm the path (module load, provider deserialization, JIT) outside the samples, as in
        // any deployment with more than a handful of resources.
        for (let i = 0; i < Math.min(1000, count); i++) await once(false);
        for (let i = 0; i < count; i++) await once(true);
        const stat = (p: number) => mapValues(samples, (s) => round(percentile(s, p), 4));
        return { p50Ms: stat(50), p99Ms: stat(99) };
    } finally {
        await host.stop();
    }
}

/** Pulumi's host after `configure`, nothing loaded: what every dynamic provider starts from. */
async function bareHostMemory(contender: HostContender): Promise<MemoryFigures> {
    const host = await contender.startHost("bare", true);
    try {
        const { liveHeapBytes, peak } = await host.report();
        return memoryOf({ hostPeakRssBytes: peakRssBytes(host.pid), hostLiveHeapBytes: liveHeapBytes, hostPeak: peak });
    } finally {
        await host.stop();
    }
}

function startupFigures(samples: StartupSample[]): StartupFigures {
    const med = (pick: (s: StartupSample) => number | undefined) => {
        const v = samples.map(pick).filter((x): x is number => x !== undefined);
        return v.length ? round(median(v), 1) : null;
    };
    const groups = [...new Set(samples.flatMap((s) => Object.keys(s.report.moduleLoadMs)))];
    const signIns = samples.map((s) => s.report.signIn);
    return {
        samples: samples.length,
        hostStartMs: med((s) => s.hostStartMs)!,
        coldStartMs: med((s) => s.hostStartMs + s.firstMs)!,
        firstMs: med((s) => s.firstMs)!,
        warmMs: med((s) => s.warmMs)!,
        fixedMs: med((s) => s.firstMs - s.warmMs)!,
        firstCpuMs: med((s) => s.firstCpuMs),
        warmCpuMs: med((s) => s.warmCpuMs),
        moduleLoadMs: Object.fromEntries(groups.map((g) => [g, med((s) => s.report.moduleLoadMs[g] ?? 0)!])),
        signInMs: med((s) => (s.report.signIn.lastAnsweredMs === undefined ? undefined : s.report.signIn.lastAnsweredMs - s.report.signIn.firstSentMs!)),
        signInRequests: Math.max(0, ...signIns.map((s) => s.requests)),
    };
}

/** A no-op deployment's figures with the requests the emulator saw during it. */
type NoopRun = NoopSample & { armRequests: number; signInRequests: number };

function noopFigures(samples: NoopRun[], resources: number): NoopFigures {
    const med = (pick: (s: NoopRun) => number | undefined) => {
        const v = samples.map(pick).filter((x): x is number => x !== undefined);
        return v.length ? round(median(v), 1) : null;
    };
    const groups = [...new Set(samples.flatMap((s) => Object.keys(s.report.moduleLoadMs)))];
    return {
        samples: samples.length,
        resources,
        wallMs: med((s) => s.wallMs)!,
        cpuMs: med((s) => s.cpuMs),
        moduleLoadMs: Object.fromEntries(groups.map((g) => [g, med((s) => s.report.moduleLoadMs[g] ?? 0)!])),
        armRequests: Math.max(0, ...samples.map((s) => s.armRequests)),
        signInRequests: Math.max(0, ...samples.map((s) => s.signInRequests)),
    };
}

function roundFigures(figures: Record<ContenderId, RunFigures>, n: number): RoundFigures {
    const w = mapValues(figures, (f) => f.wallMs);
    return {
        wallMs: mapValues(w, (v) => round(v, 1)),
        cpuMsPerRotation: mapValues(figures, (f) => (f.cpuMs === undefined ? null : round(f.cpuMs / n, 3))),
        ratios: { "A/B'": round(w.A / w["B'"], 3), "A/B": round(w.A / w.B, 3), "A/C": round(w.A / w.C, 3), "B'/B": round(w["B'"] / w.B, 3) },
    };
}

function medianFigures(rounds: RoundFigures[]): RoundFigures {
    const of = (pick: (x: RoundFigures) => number | null) => {
        const v = rounds.map(pick).filter((c): c is number => c !== null);
        return v.length ? round(median(v), 3) : null;
    };
    const ids = Object.fromEntries(CONTENDER_IDS.map((id) => [id, 0])) as Record<ContenderId, number>;
    return {
        wallMs: mapValues(ids, (_, id) => round(median(rounds.map((x) => x.wallMs[id])), 1)),
        cpuMsPerRotation: mapValues(ids, (_, id) => of((x) => x.cpuMsPerRotation[id])),
        ratios: {
            "A/B'": of((x) => x.ratios["A/B'"])!,
            "A/B": of((x) => x.ratios["A/B"])!,
            "A/C": of((x) => x.ratios["A/C"])!,
            "B'/B": of((x) => x.ratios["B'/B"])!,
        },
    };
}

function difference(a: number | null, b: number | null): number | null {
    return a === null || b === null ? null : round(a - b, 3);
}

/**
 * Issue 5's proof, in numbers: applications authenticating on the emulated data plane with the key a
 * deployment outputs, while deployments rotate it, with Alternate and with a fixed Primary.
 */
async function consumerSimulation(emulator: EmulatorProcess, programDir: string, rotations: number, concurrency: number): Promise<BenchResults["consumers"]> {
    const host = await ProviderHost.start({ cwd: programDir, env: emulator.env });
    try {
        const runs = CATALOG.filter((e) => "pairs" in e.alternate).flatMap((entry) => ["Alternate", "Primary"].map((keyType) => ({ entry, keyType })));
        const rows: BenchResults["consumers"] = [];
        await pool(runs, concurrency, async ({ entry, keyType }, i) => {
            const createResource = (id: string) => emulator.createResources([id]);
            const run = await simulateConsumers({
                host,
                dataPlaneUrl: emulator.env.AZURE_RESOURCE_MANAGER_ENDPOINT,
                service: entry.service,
                keyType,
                rotations,
                createResource,
                liveIntervalMs: liveIntervalMs(concurrency),
            });
            rows[i] = { service: entry.service, ...run };
        });
        return rows;
    } finally {
        await host.stop();
    }
}

/**
 * Issue 14's proof, in numbers: with keys that take `propagationMs` to be accepted, live consumers
 * moved by an unverified Alternate rotation are refused until the key propagates; verification holds
 * them back until the service accepts it. The host reaches the data planes through the emulator's proxy.
 */
async function propagationSimulation(
    emulator: EmulatorProcess,
    programDir: string,
    propagationMs: number,
    rotations: number,
    concurrency: number,
): Promise<BenchResults["propagation"]> {
    const proxy = await emulator.proxy();
    const host = await ProviderHost.start({ cwd: programDir, env: { ...emulator.env, HTTPS_PROXY: proxy, NO_PROXY: "127.0.0.1,localhost" } });
    try {
        const rows: BenchResults["propagation"] = [];
        await pool(
            CATALOG.filter((e) => "scheme" in e.verify && "pairs" in e.alternate),
            concurrency,
            async (entry, i) => {
                const common = {
                    host,
                    dataPlaneUrl: emulator.env.AZURE_RESOURCE_MANAGER_ENDPOINT,
                    service: entry.service,
                    keyType: "Alternate",
                    rotations,
                    createResource: (id: string) => emulator.createResources([id], propagationMs),
                    liveIntervalMs: liveIntervalMs(concurrency),
                };
                rows[i] = {
                    service: entry.service,
                    unverified: await simulateConsumers({ ...common, verify: false }),
                    verified: await simulateConsumers({ ...common, verify: true }),
                };
            },
        );
        return rows;
    } finally {
        await host.stop();
    }
}

/** Live consumers call back to back when one service is simulated at a time; side by side, every 2 ms, so they do not starve the emulator. */
function liveIntervalMs(concurrency: number): number {
    return concurrency > 1 ? 2 : 0;
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
    const { requests, tokens, signIn } = await emulator.log();
    return { wallMs, cpuMs, armRequestsPerRotation: perRotation(requests, targets), tokenRequests: tokens - tokensBefore, signInRequests: signIn };
}

function perRotation(requests: LoggedRequest[], targets: readonly BenchTarget[]): Record<BenchService, number> {
    const rotations = countBy(targets);
    const counts: Record<BenchService, number> = {};
    for (const r of requests) {
        const service = serviceOfPath(r.path);
        if (service) counts[service] = (counts[service] ?? 0) + 1;
    }
    return Object.fromEntries(
        Object.entries(rotations)
            .filter(([, n]) => n > 0)
            .map(([s, n]) => [s, round((counts[s] ?? 0) / n, 3)]),
    );
}

function mapValues<K extends string, V, W>(record: Record<K, V>, f: (v: V, k: K) => W): Record<K, W> {
    return Object.fromEntries((Object.entries(record) as Array<[K, V]>).map(([k, v]) => [k, f(v, k)])) as Record<K, W>;
}

function memoryOf(d: Pick<DeploymentResult, "hostPeakRssBytes" | "hostLiveHeapBytes" | "hostPeak">): MemoryFigures {
    return {
        peakRssMiB: mib(d.hostPeakRssBytes),
        liveHeapMiB: mib(d.hostLiveHeapBytes),
        peakHeapTotalMiB: mib(d.hostPeak?.heapTotal),
        peakExternalMiB: mib(d.hostPeak?.external),
        peakNewSpaceMiB: mib(d.hostPeak?.newSpace),
        peakOldSpaceMiB: mib(d.hostPeak?.oldSpace),
    };
}

function mib(bytes: number | undefined): number | null {
    return bytes === undefined ? null : round(bytes / 2 ** 20, 1);
}

/** Runs the benchmark in a child that trusts the emulator's CA; removes the CA when it ends, however it ends. */
function launch(argv: string[]): void {
    // Node reads NODE_EXTRA_CA_CERTS only at start: create the emulator's CA, then run the benchmark
    // in a child process that trusts it (TLS checks stay on everywhere).
    const dir = mkdtempSync(join(tmpdir(), "key-rotation-bench-"));
    let child: ChildProcess;
    try {
        const bundle = writeCaBundle(dir, createCertificateAuthority("pulumi-azure-key-rotation bench CA"));
        child = spawn(process.execPath, [__filename, ...argv], {
            stdio: "inherit",
            env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle, KEY_ROTATION_BENCH_CA_DIR: dir },
        });
    } catch (error) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
    }
    // Ctrl-C reaches the child too (same process group); wait for it to clean up, then remove the CA.
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
    child.on("exit", (code, signal) => {
        rmSync(dir, { recursive: true, force: true });
        process.exit(code ?? (signal ? 130 : 1));
    });
}

if (require.main === module) {
    let options: Options | "help";
    try {
        options = parseOptions(process.argv.slice(2));
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        refuse({ usage: USAGE }, error.message);
    }
    if (options === "help") {
        process.stdout.write(`${USAGE.trimEnd()}\n`);
        process.exit(0);
    }
    const caDir = process.env.KEY_ROTATION_BENCH_CA_DIR;
    if (!caDir) {
        launch(process.argv.slice(2));
    } else {
        const stop = (signal: NodeJS.Signals) => {
            log(`bench: ${signal}, cleaning up`);
            void cleanUp().then(() => process.exit(130));
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
        main(options, caDir)
            .then(cleanUp)
            .catch(async (error) => {
                console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
                await cleanUp();
                process.exit(1);
            });
    }
}
