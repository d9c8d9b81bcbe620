/** The benchmark's figures: the JSON it writes and the Markdown tables printed from it. */
import type { ConsumerSimulation } from "../scripts/consumers";
import { requestsPerServiceTable, type ServiceRequests } from "./requestsPerService";
import type { BenchService } from "./targets";

export type ContenderId = "A" | "B'" | "B" | "C";
/** The order contenders run in every round. */
export const CONTENDER_IDS: readonly ContenderId[] = ["A", "B'", "B", "C"];
/** The contenders that run in Pulumi's dynamic-provider host. */
export type HostContenderId = "A" | "B'";

export const CONTENDERS: Record<ContenderId, string> = {
    A: "this package, through Pulumi's dynamic-provider host (gRPC), a fresh host per run",
    "B'":
        "the floor as a dynamic provider: the package's ARM requests with node:https, a keep-alive agent and one plain token request; " +
        "check returns the inputs, diff compares trigger and resourceId; serialized and run in the same host, through the same wire engine, as A",
    B: "bare HTTPS in a plain process (the floor's code, one token, keep-alive; regenerate then read back), a fresh process per run",
    C: "Azure SDK for JS (@azure/arm-* + @azure/identity; regenerate then read back), a fresh process per run",
};

export interface RunFigures {
    wallMs: number;
    /** CPU time of the process doing the rotations (A, B': the provider host; B, C: the contender's). */
    cpuMs?: number;
    /** ARM requests per rotation, by service (status polls included). */
    armRequestsPerRotation: Record<BenchService, number>;
    tokenRequests: number;
    /** Requests to the sign-in authority during the run, by operation as the emulator logs them (`OpenIdConfiguration`, `Token`, ...). */
    signInRequests: Record<string, number>;
}

export interface Target {
    name: string;
    goal: string;
    measured: string;
    met: boolean;
}

export interface Ratios {
    "A/B'": number;
    "A/B": number;
    "A/C": number;
    "B'/B": number;
}

export interface RoundFigures {
    wallMs: Record<ContenderId, number>;
    /** A, B': the provider host's CPU; B and C: the contender process's. */
    cpuMsPerRotation: Record<ContenderId, number | null>;
    ratios: Ratios;
}

/** Where A's time over bare HTTPS goes: the host and engine hop every dynamic provider pays, and the package's own. */
export interface Split {
    /** B' − B, median wall time. */
    hostAndEngineMs: number;
    /** A − B', median wall time. */
    packageMs: number;
    /** The same split of CPU per rotation (host CPU for A and B', process CPU for B). */
    hostAndEngineCpuMsPerRotation: number | null;
    packageCpuMsPerRotation: number | null;
}

export interface Comparison {
    /** How long the emulator took to answer each ARM request. */
    armLatencyMs: number;
    /** `mix`: every service of the mix; `fewer round trips`: only those where A makes fewer ARM requests than C. */
    subset: "mix" | "fewer round trips";
    services: BenchService[];
    n: number;
    rounds: Array<RoundFigures & { round: number }>;
    median: RoundFigures;
    split: Split;
}

/** Medians over fresh hosts of one contender: start, first rotation, warm rotations. */
export interface StartupFigures {
    samples: number;
    /** Spawn → `configure` answered. */
    hostStartMs: number;
    /** Spawn → first rotation done. */
    coldStartMs: number;
    firstMs: number;
    warmMs: number;
    /** What one `pulumi up` pays once: the first rotation over a warm one. */
    fixedMs: number;
    firstCpuMs: number | null;
    warmCpuMs: number | null;
    /** Exclusive module loading in the host, by group (axios, @azure/identity, package, floor). */
    moduleLoadMs: Record<string, number>;
    /** Sign-in requests: first sent → token answered, in the host. */
    signInMs: number | null;
    signInRequests: number;
}

/**
 * Medians over fresh hosts of one contender, each checking and diffing the same unchanged resources:
 * what a `pulumi preview`, or a `pulumi up` with nothing due, costs in the provider host.
 */
export interface NoopFigures {
    samples: number;
    /** Resources checked and diffed by each host. */
    resources: number;
    /** The host answered `configure` → the last diff answered (loading the provider included). */
    wallMs: number;
    cpuMs: number | null;
    /** Exclusive module loading in the host, by group (axios, @azure/identity, package, floor). */
    moduleLoadMs: Record<string, number>;
    /** The most any host made: ARM requests, and requests to the sign-in authority. */
    armRequests: number;
    signInRequests: number;
}

export interface MemoryFigures {
    peakRssMiB: number | null;
    liveHeapMiB: number | null;
    /** The largest V8 heap (total) and memory outside it (external) sampled during the run, where measured. */
    peakHeapTotalMiB?: number | null;
    peakExternalMiB?: number | null;
    /** The largest young generation (new space) and old space, where measured. */
    peakNewSpaceMiB?: number | null;
    peakOldSpaceMiB?: number | null;
}

export interface BenchResults {
    generatedAt: string;
    /** ARM requests of every catalog service: on create and per later rotation (issue 19, case 10). */
    requestsPerService: ServiceRequests[];
    machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string; loadAverage: number[] };
    options: {
        n: number;
        concurrency: number;
        rounds: number;
        retryAfterSeconds: number;
        signInLatencyMs: number;
        latenciesMs: number[];
        diffs: number;
        coldStarts: number;
        noop: number;
        scale: number[];
        consumerRotations: number;
        propagationMs: number;
        propagationRotations: number;
        /** Services simulated at once in the consumer and verification rows (absent in results from before it existed: 1). */
        simulationConcurrency?: number;
        profiled: boolean;
    };
    mix: Record<BenchService, number>;
    /** Each service of the mix as the catalog describes its regenerate. */
    services: Array<{ service: BenchService; resourceType: string; regenerateAnswer: string; longRunning: boolean }>;
    contenders: Record<ContenderId, string>;
    /** The contenders side by side, once per ARM latency (and the fewer-round-trips subset). */
    comparisons: Comparison[];
    /** From the last round of the mix at the first latency. */
    requests: Record<
        ContenderId,
        { armRequestsPerRotation: Record<BenchService, number>; tokenRequestsPerRun: number; signInRequestsPerRun: Record<string, number> }
    >;
    /** Fresh hosts of A and B', alternating, at the first latency. */
    startup: Record<HostContenderId, StartupFigures>;
    /** Fresh hosts of A and B', alternating, each checking and diffing unchanged resources (no rotation due). */
    noop: Record<HostContenderId, NoopFigures>;
    diff: {
        count: number;
        /** A's diff, B''s diff and an empty gRPC call (Cancel), interleaved in one host. */
        p50Ms: Record<HostContenderId | "empty", number>;
        p99Ms: Record<HostContenderId | "empty", number>;
        armRequests: number;
    };
    preview: { resources: number; pendingRotations: number; armRequests: number; hostCpuMsPerResource: number | null };
    provider: Record<HostContenderId, { bytes: number; sha256: string }>;
    memory: {
        /** Pulumi's host after `configure`, no provider loaded, in the same run. */
        bareHost: MemoryFigures;
        scale: Array<{ n: number; A: MemoryFigures & { wallMs: number; hostCpuMsPerRotation: number | null }; "B'": MemoryFigures }>;
    };
    /** Consumers on the emulated data plane across rotations, per service and key strategy. */
    consumers: Array<ConsumerSimulation & { service: string }>;
    /**
     * The same with keys that take `propagationMs` to be accepted, for every service with a probe:
     * Alternate without verification, and with it.
     */
    propagation: Array<{ service: string; unverified: ConsumerSimulation; verified: ConsumerSimulation }>;
    /** With --baseline: A0, a build from before a change, and A alternating (before and after in the same run). */
    baseline?: {
        dir: string;
        armLatencyMs: number;
        n: number;
        rounds: Array<{ round: number; wallMs: Record<"A0" | "A", number>; cpuMsPerRotation: Record<"A0" | "A", number | null> }>;
        median: { wallMs: Record<"A0" | "A", number>; cpuMsPerRotation: Record<"A0" | "A", number | null> };
        startup: Record<"A0" | "A", StartupFigures>;
        /** After one deployment of the scale series' largest N, in an instrumented host each. */
        memory: { n: number; A0: MemoryFigures; A: MemoryFigures };
        /** With --profile as well: host CPU by where it was spent, per rotation. */
        profile?: Record<"A0" | "A", Record<string, number>>;
    };
    /** With --profile: host CPU by where it was spent, per rotation, over the mix's runs at the first latency. */
    profile?: Record<HostContenderId, Record<string, number>>;
    targets: Target[];
}

const fmt = (v: number | null | undefined, digits = 0) => (v === null || v === undefined || Number.isNaN(v) ? "n/a" : v.toFixed(digits));
const signed = (v: number | null | undefined, digits = 0) =>
    v === null || v === undefined || Number.isNaN(v) ? "n/a" : `${v >= 0 ? "+" : ""}${v.toFixed(digits)}`;

/** The header line: run size, mix, machine. */
function header(r: BenchResults): string {
    const o = r.options;
    const mix = Object.entries(r.mix)
        .map(([s, k]) => `${k} ${s}`)
        .join(", ");
    return (
        `N=${o.n} rotations (${mix}), ${o.concurrency} in flight, ${o.rounds} rounds A B' B C, emulator Retry-After ${o.retryAfterSeconds} s${o.signInLatencyMs ? `, sign-in ${o.signInLatencyMs} ms per request` : ""}; ` +
        `${r.machine.cpus} × ${r.machine.cpuModel.trim()}, Node ${r.machine.node}, load ${r.machine.loadAverage.map((l) => l.toFixed(1)).join(" ")}, ` +
        `${r.generatedAt.slice(0, 10)}${o.profiled ? " (profiled: timings inflated)" : ""}`
    );
}

/** The comparison tables, one per ARM latency (and subset). */
function comparisonTables(r: BenchResults): string[] {
    const lines: string[] = [];
    for (const c of r.comparisons) {
        const what = c.subset === "mix" ? "" : `, only ${c.services.join(", ")} (${c.n} rotations: the package makes fewer ARM requests than C)`;
        lines.push(
            `ARM latency ${c.armLatencyMs} ms per request${what}:`,
            "",
            "| round | A package (ms) | B' floor in the host (ms) | B bare HTTPS (ms) | C Azure SDK (ms) | A/B' | A/B | A/C | B'/B | CPU ms/rotation A · B' · B · C |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        );
        const cpu = (x: RoundFigures) => ["A", "B'", "B", "C"].map((id) => fmt(x.cpuMsPerRotation[id as ContenderId], 2)).join(" · ");
        const row = (label: string, x: RoundFigures, bold: boolean) => {
            const b = (s: string) => (bold ? `**${s}**` : s);
            const w = x.wallMs;
            const q = x.ratios;
            return `| ${b(label)} | ${b(fmt(w.A))} | ${b(fmt(w["B'"]))} | ${b(fmt(w.B))} | ${b(fmt(w.C))} | ${b(fmt(q["A/B'"], 2))} | ${fmt(q["A/B"], 2)} | ${fmt(q["A/C"], 2)} | ${fmt(q["B'/B"], 2)} | ${cpu(x)} |`;
        };
        for (const x of c.rounds) lines.push(row(String(x.round), x, false));
        lines.push(row("median", c.median, true), "");
        const s = c.split;
        lines.push(
            `Split of A − B (median): host and engine hop (B' − B) ${fmt(s.hostAndEngineMs)} ms, ${fmt(s.hostAndEngineCpuMsPerRotation, 2)} ms CPU per rotation; ` +
                `the package's own (A − B') ${fmt(s.packageMs)} ms, ${fmt(s.packageCpuMsPerRotation, 2)} ms CPU per rotation.`,
            "",
        );
    }
    return lines;
}

/** ARM requests per rotation per service, by contender, with what the catalog says the regenerate answers. */
function requestTable(r: BenchResults): string[] {
    const answer: Record<string, string> = {
        keySet: "the full key set: no read-back",
        regeneratedKey: "the new key only: read back",
        nothing: "nothing: read back",
    };
    return [
        "| ARM requests per rotation | regenerate answers | A | B' | B | C |",
        "|---|---|---:|---:|---:|---:|",
        ...r.services.map(
            (s) =>
                `| ${s.service} | ${answer[s.regenerateAnswer] ?? s.regenerateAnswer}${s.longRunning ? " (long-running: +1 status poll)" : ""} | ` +
                (["A", "B'", "B", "C"] as ContenderId[]).map((id) => fmt(r.requests[id].armRequestsPerRotation[s.service], 2)).join(" | ") +
                " |",
        ),
        `| token requests per run | | ${(["A", "B'", "B", "C"] as ContenderId[]).map((id) => r.requests[id].tokenRequestsPerRun).join(" | ")} |`,
        `| sign-in requests per run (all operations) | | ${(["A", "B'", "B", "C"] as ContenderId[]).map((id) => total(r.requests[id].signInRequestsPerRun)).join(" | ")} |`,
    ];
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

/** How the emulator's sign-in operations read in the tables. */
const SIGN_IN_NAMES: Record<string, string> = {
    OpenIdConfiguration: "OpenID configuration (`GET …/v2.0/.well-known/openid-configuration`)",
    Token: "token (`POST …/oauth2/v2.0/token`)",
    ManagedIdentity: "managed identity token",
    FederatedToken: "federated token",
};

/** Requests to the sign-in authority per run, by operation, for every contender. */
export function signInTable(r: BenchResults): string[] {
    const ids: ContenderId[] = ["A", "B'", "B", "C"];
    const operations = [...new Set(ids.flatMap((id) => Object.keys(r.requests[id].signInRequestsPerRun)))].sort();
    return [
        "| sign-in requests per run (the emulator's log, last round at the first ARM latency) | A | B' | B | C |",
        "|---|---:|---:|---:|---:|",
        ...operations.map((op) => `| ${SIGN_IN_NAMES[op] ?? op} | ${ids.map((id) => r.requests[id].signInRequestsPerRun[op] ?? 0).join(" | ")} |`),
        `| all | ${ids.map((id) => total(r.requests[id].signInRequestsPerRun)).join(" | ")} |`,
        "",
    ];
}

/** A `pulumi preview`, or a `pulumi up` with nothing due: fresh hosts checking and diffing unchanged resources. */
export function noopTable(r: BenchResults): string[] {
    const a = r.noop.A;
    const b = r.noop["B'"];
    const groups = [...new Set([...Object.keys(a.moduleLoadMs), ...Object.keys(b.moduleLoadMs)])].sort();
    const row = (what: string, x: number | null, y: number | null, digits: number) =>
        `| ${what} | ${fmt(x, digits)} | ${fmt(y, digits)} | ${signed(x === null || y === null ? null : x - y, digits)} |`;
    return [
        `| no-op deployment: a fresh host checks and diffs ${a.resources} unchanged resources (median of ${a.samples} fresh hosts each) | A | B' | A − B' |`,
        "|---|---:|---:|---:|",
        row("`configure` answered → last diff answered (ms)", a.wallMs, b.wallMs, 1),
        ...groups.map((g) => row(`of which loading ${g} (ms)`, a.moduleLoadMs[g] ?? 0, b.moduleLoadMs[g] ?? 0, 1)),
        row("host CPU (ms)", a.cpuMs, b.cpuMs, 0),
        `| requests: ARM, sign-in | ${a.armRequests}, ${a.signInRequests} | ${b.armRequests}, ${b.signInRequests} | |`,
        "",
    ];
}

/**
 * Where the time goes: per rotation (CPU), per `pulumi up` (fixed), and memory, each split between
 * what any dynamic provider pays and what this package adds. Also written to bench/README.md.
 */
export function whereTheTimeGoes(r: BenchResults): string[] {
    const first = r.comparisons.find((c) => c.subset === "mix");
    const lines: string[] = [];
    if (first) {
        const cpu = first.median.cpuMsPerRotation;
        lines.push(
            `| per rotation, ARM latency ${first.armLatencyMs} ms (median CPU) | ms |`,
            "|---|---:|",
            `| bare HTTPS work, plain process (B) | ${fmt(cpu.B, 2)} |`,
            `| + Pulumi's host: gRPC, protobuf, the provider's forwarding (B' − B) | ${signed(first.split.hostAndEngineCpuMsPerRotation, 2)} |`,
            `| + this package's own (A − B') | ${signed(first.split.packageCpuMsPerRotation, 2)} |`,
            `| = A, the provider host's CPU per rotation | ${fmt(cpu.A, 2)} |`,
            "",
        );
    }
    if (r.profile) {
        const categories = [...new Set([...Object.keys(r.profile.A), ...Object.keys(r.profile["B'"])])].sort(
            (x, y) => (r.profile!.A[y] ?? 0) - (r.profile!.A[x] ?? 0),
        );
        lines.push(
            "| host CPU profile, self time per rotation (ms, the run's one-time costs included) | A | B' | A − B' |",
            "|---|---:|---:|---:|",
            ...categories.map((k) => {
                const [a, b] = [r.profile!.A[k] ?? 0, r.profile!["B'"][k] ?? 0];
                return `| ${k} | ${fmt(a, 3)} | ${fmt(b, 3)} | ${signed(a - b, 3)} |`;
            }),
            "",
        );
    }
    const a = r.startup.A;
    const b = r.startup["B'"];
    const groups = [...new Set([...Object.keys(a.moduleLoadMs), ...Object.keys(b.moduleLoadMs)])].sort();
    lines.push(
        `| per \`pulumi up\`, in the host (median of ${a.samples} fresh hosts each) | A | B' | A − B' |`,
        "|---|---:|---:|---:|",
        `| first rotation over a warm one (the fixed cost) | ${fmt(a.fixedMs, 1)} | ${fmt(b.fixedMs, 1)} | ${signed(a.fixedMs - b.fixedMs, 1)} |`,
        ...groups.map((g) => {
            const [x, y] = [a.moduleLoadMs[g] ?? 0, b.moduleLoadMs[g] ?? 0];
            return `| of which loading ${g} | ${fmt(x, 1)} | ${fmt(y, 1)} | ${signed(x - y, 1)} |`;
        }),
        `| of which sign-in, first request sent → token answered (${a.signInRequests} and ${b.signInRequests} requests) | ${fmt(a.signInMs, 1)} | ${fmt(b.signInMs, 1)} | ${signed(a.signInMs !== null && b.signInMs !== null ? a.signInMs - b.signInMs : null, 1)} |`,
        `| host CPU of the first rotation / a warm one | ${fmt(a.firstCpuMs)} / ${fmt(a.warmCpuMs)} | ${fmt(b.firstCpuMs)} / ${fmt(b.warmCpuMs)} | |`,
        `| host start, spawn → \`configure\` answered (Pulumi's own) | ${fmt(a.hostStartMs)} | ${fmt(b.hostStartMs)} | |`,
        "",
        ...noopTable(r),
        ...signInTable(r),
    );
    const top = r.memory.scale[r.memory.scale.length - 1];
    const low = r.memory.scale[0];
    if (top) {
        lines.push(
            "| memory (MiB) | peak RSS | peak V8 heap | of which young generation | of which old space | peak outside the heap | live heap after GC |",
            "|---|---:|---:|---:|---:|---:|---:|",
            `| Pulumi's host after \`configure\`, no provider loaded | ${memoryRow(r.memory.bareHost)} |`,
            `| B' after N=${top.n} | ${memoryRow(top["B'"])} |`,
            `| A after N=${top.n} | ${memoryRow(top.A)} |`,
            ...(low && low !== top ? [`| A after N=${low.n} | ${memoryRow(low.A)} |`] : []),
            "",
        );
    }
    return lines;
}

/** Before (A0, --baseline) and after (A), measured alternating in the same run. */
export function beforeAndAfterTable(r: BenchResults): string[] {
    const b = r.baseline;
    if (!b) return [];
    const row = (what: string, x: number | null | undefined, y: number | null | undefined, digits: number) =>
        `| ${what} | ${fmt(x, digits)} | ${fmt(y, digits)} | ${signed(x === null || x === undefined || y === null || y === undefined ? null : y - x, digits)} |`;
    const [s0, s1] = [b.startup.A0, b.startup.A];
    const groups = [...new Set([...Object.keys(s0.moduleLoadMs), ...Object.keys(s1.moduleLoadMs)])].sort();
    const lines = [
        `Before and after: A0 is \`${b.dir}\`, A this checkout; ${b.rounds.length} alternating deployments of ${b.n} at ARM latency ${b.armLatencyMs} ms, ${s0.samples} fresh hosts each.`,
        "",
        "| before and after | A0 | A | A − A0 |",
        "|---|---:|---:|---:|",
        row(`wall time of ${b.n} rotations, median (ms)`, b.median.wallMs.A0, b.median.wallMs.A, 0),
        row("host CPU per rotation, median (ms)", b.median.cpuMsPerRotation.A0, b.median.cpuMsPerRotation.A, 2),
        row("fixed cost: first rotation over a warm one (ms)", s0.fixedMs, s1.fixedMs, 1),
        ...groups.map((g) => row(`loading ${g} (ms)`, s0.moduleLoadMs[g] ?? 0, s1.moduleLoadMs[g] ?? 0, 1)),
        row("sign-in, first request sent → token answered (ms)", s0.signInMs, s1.signInMs, 1),
        row("host CPU of the first rotation (ms)", s0.firstCpuMs, s1.firstCpuMs, 0),
        row(`host peak RSS after N=${b.memory.n} (MiB)`, b.memory.A0.peakRssMiB, b.memory.A.peakRssMiB, 1),
        row(`host live heap after GC, N=${b.memory.n} (MiB)`, b.memory.A0.liveHeapMiB, b.memory.A.liveHeapMiB, 1),
    ];
    if (b.profile) {
        const p = b.profile;
        const categories = [...new Set([...Object.keys(p.A0), ...Object.keys(p.A)])].sort((x, y) => (p.A0[y] ?? 0) - (p.A0[x] ?? 0));
        lines.push(...categories.map((k) => row(`profile: ${k} (ms per rotation)`, p.A0[k] ?? 0, p.A[k] ?? 0, 3)));
    }
    lines.push("");
    return lines;
}

function memoryRow(m: MemoryFigures): string {
    return [m.peakRssMiB, m.peakHeapTotalMiB, m.peakNewSpaceMiB, m.peakOldSpaceMiB, m.peakExternalMiB, m.liveHeapMiB].map((v) => fmt(v, 1)).join(" | ");
}

/** The figures as Markdown tables: what `npm run bench` prints and writes to latest.md. */
export function renderMarkdown(r: BenchResults): string {
    const o = r.options;
    const lines: string[] = [header(r), "", ...comparisonTables(r), ...requestTable(r), "", ...requestsPerServiceTable(r.requestsPerService)];
    lines.push("Where the time goes:", "", ...whereTheTimeGoes(r), ...beforeAndAfterTable(r));
    lines.push(
        "| provider host (A) | value |",
        "|---|---:|",
        `| cold start, spawn → first rotation done (median of ${r.startup.A.samples}; B' ${fmt(r.startup["B'"].coldStartMs)} ms) | ${fmt(r.startup.A.coldStartMs)} ms |`,
        `| diff p50 / p99 (${r.diff.count} sequential diffs) | ${fmt(r.diff.p50Ms.A, 3)} / ${fmt(r.diff.p99Ms.A, 3)} ms |`,
        `| B' diff p50 / p99, same host, interleaved | ${fmt(r.diff.p50Ms["B'"], 3)} / ${fmt(r.diff.p99Ms["B'"], 3)} ms |`,
        `| empty gRPC call (Cancel) p50 / p99, same host, interleaved | ${fmt(r.diff.p50Ms.empty, 3)} / ${fmt(r.diff.p99Ms.empty, 3)} ms |`,
        `| host CPU per resource in a preview (check + diff) | ${fmt(r.preview.hostCpuMsPerResource, 2)} ms |`,
        `| ARM requests during ${r.diff.count} diffs and a preview of ${r.preview.resources} | ${r.diff.armRequests + r.preview.armRequests} |`,
        `| serialized \`__provider\` per resource (B' ${r.provider["B'"].bytes} bytes) | ${r.provider.A.bytes} bytes (sha256 ${r.provider.A.sha256.slice(0, 12)}) |`,
        "",
        "| scale N | A wall (ms) | host CPU ms per rotation | A peak RSS (MiB) | A live heap after GC (MiB) | B' peak RSS (MiB) | B' live heap (MiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        ...r.memory.scale.map(
            (s) =>
                `| ${s.n} | ${fmt(s.A.wallMs)} | ${fmt(s.A.hostCpuMsPerRotation, 2)} | ${fmt(s.A.peakRssMiB, 1)} | ${fmt(s.A.liveHeapMiB, 1)} | ${fmt(s["B'"].peakRssMiB, 1)} | ${fmt(s["B'"].liveHeapMiB, 1)} |`,
        ),
        "",
        `| consumers across ${o.consumerRotations} rotations | keyType | live consumer: failed / calls | late consumer: failed / checks |`,
        "|---|---|---:|---:|",
        ...r.consumers.map((c) => `| ${c.service} | ${c.keyType} | ${c.liveFailures} / ${c.liveAttempts} | ${c.lateFailures} / ${c.lateChecks} |`),
        "",
        `| keys accepted ${o.propagationMs} ms after they are made, Alternate, ${o.propagationRotations} rotations | live consumer failed / calls, without verification | with verification |`,
        "|---|---:|---:|",
        ...r.propagation.map(
            (p) => `| ${p.service} | ${p.unverified.liveFailures} / ${p.unverified.liveAttempts} | ${p.verified.liveFailures} / ${p.verified.liveAttempts} |`,
        ),
        "",
        "| target | goal | measured | |",
        "|---|---|---|---|",
        ...r.targets.map((t) => `| ${t.name} | ${t.goal} | ${t.measured} | ${t.met ? "met" : "**missed**"} |`),
    );
    return lines.join("\n");
}
