/** The benchmark's figures: the JSON written under bench/results/ and the table printed from it. */
import type { ConsumerSimulation } from "../scripts/consumers";
import type { BenchService } from "./targets";

export type ContenderId = "A" | "B" | "C";

export const CONTENDERS: Record<ContenderId, string> = {
    A: "this package, through Pulumi's dynamic-provider host (gRPC), a fresh host per run",
    B: "bare HTTPS floor (node:https, one token, keep-alive), a fresh process per run",
    C: "Azure SDK for JS (@azure/arm-* + @azure/identity), a fresh process per run",
};

export interface RunFigures {
    wallMs: number;
    /** CPU time of the process doing the rotations (A: the provider host; B, C: the benchmark's). */
    cpuMs?: number;
    /** ARM requests per rotation, by service (status polls included). */
    armRequestsPerRotation: Partial<Record<BenchService, number>>;
    tokenRequests: number;
}

export interface Target {
    name: string;
    goal: string;
    measured: string;
    met: boolean;
}

export interface RoundFigures {
    wallMs: Record<ContenderId, number>;
    /** A: the provider host's CPU; B and C: the benchmark process's. */
    cpuMsPerRotation: Record<ContenderId, number | null>;
    ratioAB: number;
    ratioCB: number;
}

export interface Comparison {
    /** How long the emulator took to answer each ARM request. */
    armLatencyMs: number;
    rounds: Array<RoundFigures & { round: number }>;
    median: RoundFigures;
}

export interface BenchResults {
    generatedAt: string;
    machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
    options: {
        n: number;
        concurrency: number;
        rounds: number;
        retryAfterSeconds: number;
        latenciesMs: number[];
        diffs: number;
        coldStarts: number;
        scale: number[];
        consumerRotations: number;
    };
    mix: Record<BenchService, number>;
    contenders: Record<ContenderId, string>;
    /** A, B and C side by side, once per ARM latency. */
    comparisons: Comparison[];
    /** From the last round at the first latency. */
    requests: Record<ContenderId, { armRequestsPerRotation: Partial<Record<BenchService, number>>; tokenRequestsPerRun: number }>;
    coldStartMs: { samples: number[]; median: number; max: number };
    hostPeakRssMiB: number | null;
    diff: { count: number; p50Ms: number; p99Ms: number; armRequests: number };
    preview: { resources: number; pendingRotations: number; armRequests: number; hostCpuMsPerResource: number | null };
    provider: { bytes: number; sha256: string };
    scale: Array<{
        n: number;
        wallMs: number;
        msPerRotation: number;
        hostCpuMsPerRotation: number | null;
        hostPeakRssMiB: number | null;
        hostLiveHeapMiB: number | null;
    }>;
    /** Consumers on the emulated data plane across rotations, per service and key strategy. */
    consumers: Array<ConsumerSimulation & { service: string }>;
    targets: Target[];
}

const fmt = (v: number | null, digits = 0) => (v === null || Number.isNaN(v) ? "n/a" : v.toFixed(digits));

/** The figures as Markdown tables: what `npm run bench` prints and the README shows. */
export function renderMarkdown(r: BenchResults): string {
    const lines: string[] = [];
    const o = r.options;
    lines.push(
        `N=${o.n} rotations (${Object.entries(r.mix)
            .map(([s, k]) => `${k} ${s}`)
            .join(", ")}), ${o.concurrency} in flight, ${o.rounds} rounds A B C, ` +
            `emulator Retry-After ${o.retryAfterSeconds} s; ${r.machine.cpus} × ${r.machine.cpuModel.trim()}, Node ${r.machine.node}, ${r.generatedAt.slice(0, 10)}`,
        "",
    );
    for (const c of r.comparisons) {
        lines.push(
            `ARM latency ${c.armLatencyMs} ms per request:`,
            "",
            "| round | A package (ms) | B floor (ms) | C Azure SDK (ms) | A/B | C/B | CPU ms/rotation A · B · C |",
            "|---|---:|---:|---:|---:|---:|---:|",
        );
        const cpu = (x: RoundFigures) => `${fmt(x.cpuMsPerRotation.A, 2)} · ${fmt(x.cpuMsPerRotation.B, 2)} · ${fmt(x.cpuMsPerRotation.C, 2)}`;
        for (const x of c.rounds) {
            lines.push(
                `| ${x.round} | ${fmt(x.wallMs.A)} | ${fmt(x.wallMs.B)} | ${fmt(x.wallMs.C)} | ${fmt(x.ratioAB, 2)} | ${fmt(x.ratioCB, 2)} | ${cpu(x)} |`,
            );
        }
        const m = c.median;
        lines.push(
            `| **median** | **${fmt(m.wallMs.A)}** | **${fmt(m.wallMs.B)}** | **${fmt(m.wallMs.C)}** | **${fmt(m.ratioAB, 2)}** | **${fmt(m.ratioCB, 2)}** | ${cpu(m)} |`,
            "",
        );
    }

    const services = Object.keys(r.mix) as BenchService[];
    lines.push(
        `| requests per run | ${services.map((s) => `ARM/rotation ${s}`).join(" | ")} | token requests |`,
        `|---|${services.map(() => "---:").join("|")}|---:|`,
    );
    for (const id of ["A", "B", "C"] as ContenderId[]) {
        const q = r.requests[id];
        lines.push(`| ${id} | ${services.map((s) => fmt(q.armRequestsPerRotation[s] ?? NaN, 2)).join(" | ")} | ${q.tokenRequestsPerRun} |`);
    }
    lines.push(
        "",
        "| provider host | value |",
        "|---|---:|",
        `| cold start, spawn → first rotation done (median of ${r.coldStartMs.samples.length}) | ${fmt(r.coldStartMs.median)} ms |`,
        `| peak RSS at N=${o.n} | ${fmt(r.hostPeakRssMiB, 1)} MiB |`,
        `| diff p50 / p99 (${r.diff.count} sequential diffs) | ${fmt(r.diff.p50Ms, 3)} / ${fmt(r.diff.p99Ms, 3)} ms |`,
        `| host CPU per resource in a preview (check + diff) | ${fmt(r.preview.hostCpuMsPerResource, 2)} ms |`,
        `| ARM requests during ${r.diff.count} diffs and a preview of ${r.preview.resources} | ${r.diff.armRequests + r.preview.armRequests} |`,
        `| serialized \`__provider\` per resource | ${r.provider.bytes} bytes (sha256 ${r.provider.sha256.slice(0, 12)}) |`,
        "",
        "| scale N | A wall (ms) | wall ms per rotation | host CPU ms per rotation | host peak RSS (MiB) | host live heap after GC (MiB) |",
        "|---:|---:|---:|---:|---:|---:|",
        ...r.scale.map(
            (s) =>
                `| ${s.n} | ${fmt(s.wallMs)} | ${fmt(s.msPerRotation, 2)} | ${fmt(s.hostCpuMsPerRotation, 2)} | ${fmt(s.hostPeakRssMiB, 1)} | ${fmt(s.hostLiveHeapMiB, 1)} |`,
        ),
        "",
        `| consumers across ${o.consumerRotations} rotations | keyType | live consumer: failed / calls | late consumer: failed / checks |`,
        "|---|---|---:|---:|",
        ...r.consumers.map((c) => `| ${c.service} | ${c.keyType} | ${c.liveFailures} / ${c.liveAttempts} | ${c.lateFailures} / ${c.lateChecks} |`),
        "",
        "| target | goal | measured | |",
        "|---|---|---|---|",
        ...r.targets.map((t) => `| ${t.name} | ${t.goal} | ${t.measured} | ${t.met ? "met" : "**missed**"} |`),
    );
    return lines.join("\n");
}
