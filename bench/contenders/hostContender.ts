/**
 * Contenders A (this package) and B' (the floor's dynamic provider): resources driven through
 * Pulumi's own dynamic-provider host over gRPC, with the calls and order `pulumi up` uses (check,
 * then create or diff + update), a fresh host per deployment as the engine starts one, at most
 * `concurrency` resources in flight. The engine side is the near-zero-cost wire engine (see
 * ../wireEngine.ts), so the time measured is the host's and the provider's.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { keyRotationUrn, type Props } from "../../scripts/engine";
import type { HostReport } from "../instrumentedHost";
import { median } from "../stats";
import { type BenchTarget, pool } from "../targets";
import { decodeStruct, encodeStruct, type StructBytes, WireHost, type WireState, wireUp } from "../wireEngine";

export interface DeploymentResult {
    /** From the host answering `configure` to the last resource done. */
    wallMs: number;
    /** Peak resident memory of the host process (VmHWM), in bytes; undefined off Linux. */
    hostPeakRssBytes?: number;
    /** CPU time of the host process during the deployment, in ms; undefined off Linux. */
    hostCpuMs?: number;
    /** What the host's heap holds after a full GC at the end (instrumented hosts only). */
    hostLiveHeapBytes?: number;
    /** The largest V8 heap and external memory sampled during the deployment (instrumented hosts only). */
    hostPeak?: HostReport["peak"];
}

/** A fresh host's start and first rotations, one after the other. */
export interface StartupSample {
    /** Spawn → the host answered `configure`. */
    hostStartMs: number;
    /** The first rotation (check, diff, update): provider loading, module loading, sign-in, first connections. */
    firstMs: number;
    /** The median of the rotations after it, each alone. */
    warmMs: number;
    /** Host CPU of the first rotation and the median warm one; undefined off Linux. */
    firstCpuMs?: number;
    warmCpuMs?: number;
    report: HostReport;
}

/** Peak resident set size of a process, from /proc (Linux). */
export function peakRssBytes(pid: number | undefined): number | undefined {
    if (pid === undefined) return undefined;
    try {
        const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) * 1024 : undefined;
    } catch {
        return undefined;
    }
}

/** User + system CPU time of a process so far, in ms, from /proc (Linux). */
export function cpuTimeMs(pid: number | undefined): number | undefined {
    if (pid === undefined) return undefined;
    try {
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
    } catch {
        return undefined;
    }
}

const minus = (after: number | undefined, before: number | undefined) => (after === undefined || before === undefined ? undefined : after - before);

export interface HostContenderOptions {
    /** `A` or `B'`: names the resources' URNs and the hosts' CPU profiles. */
    label: string;
    env: Record<string, string>;
    /** The program directory the host runs in (where the package resolves from). */
    programDir: string;
    /** The inputs the program declares for `target` with `trigger` (`__provider` included). */
    inputs(target: BenchTarget, trigger: string): Props;
    /** Throws unless `outputs` show a rotated key (different from `previous`'s, when given). */
    verify(target: BenchTarget, outputs: Props, previous: Props | undefined): void;
}

/** A fresh host's no-op deployment: check and diff of resources that are all up to date. */
export interface NoopSample {
    /** The host answered `configure` → the last diff answered: loading the provider included. */
    wallMs: number;
    /** Host CPU over the same span; undefined off Linux. */
    cpuMs?: number;
    report: HostReport;
}

export class HostContender {
    /** Each target's state after the last deployment, as the engine keeps it. */
    private readonly states = new Map<string, WireState>();
    /** The trigger each target's state was last deployed with: the program's inputs, unchanged. */
    private readonly triggers = new Map<string, string>();

    constructor(private readonly options: HostContenderOptions) {}

    get label(): string {
        return this.options.label;
    }

    /** The state the engine holds for `target` (after its first deployment). */
    state(target: BenchTarget): WireState {
        const state = this.states.get(target.id);
        if (!state) throw new Error(`${this.label}: ${target.id} has no state yet`);
        return state;
    }

    /** The inputs of `target` with `trigger`, encoded as the engine receives them. */
    private encoded(target: BenchTarget, trigger: string): StructBytes {
        return encodeStruct(this.options.inputs(target, trigger));
    }

    private urn(name: string): string {
        return keyRotationUrn(`${this.label}-${name}`);
    }

    startHost(name: string, instrumented = false): Promise<WireHost> {
        return WireHost.start({ cwd: this.options.programDir, env: this.options.env, instrumented, name: `${this.label}-${name}`.replace(/[^\w.-]/g, "_") });
    }

    /**
     * One `pulumi up` over `targets` with `trigger`: creates them the first time, rotates them
     * after. Checks, once the clock has stopped, that every resource now holds a new key.
     * `instrumented` also reports the host's live heap at the end (see instrumentedHost.ts).
     */
    async deploy(targets: readonly BenchTarget[], concurrency: number, trigger: string, instrumented = false): Promise<DeploymentResult> {
        const inputs = targets.map((t) => this.encoded(t, trigger));
        const before = targets.map((t) => this.states.get(t.id));
        const after: WireState[] = [];
        const host = await this.startHost(trigger, instrumented);
        try {
            const cpuBefore = cpuTimeMs(host.pid);
            const started = performance.now();
            await pool(targets, concurrency, async (target, i) => {
                const { step, state } = await wireUp(host, this.urn(`rotation-${i}`), inputs[i], before[i]);
                if (step !== (before[i] ? "update" : "create")) throw new Error(`${this.label} ${target.id}: the engine did ${step}`);
                after[i] = state;
            });
            const wallMs = performance.now() - started;
            const cpuAfter = cpuTimeMs(host.pid);
            const report = instrumented ? await host.report() : undefined;
            const result: DeploymentResult = {
                wallMs,
                hostPeakRssBytes: peakRssBytes(host.pid),
                hostCpuMs: minus(cpuAfter, cpuBefore),
                hostLiveHeapBytes: report?.liveHeapBytes,
                hostPeak: report?.peak,
            };
            targets.forEach((target, i) => {
                const previous = before[i] && decodeStruct(before[i]!.outputs);
                this.options.verify(target, decodeStruct(after[i].outputs), previous);
                this.states.set(target.id, after[i]);
                this.triggers.set(target.id, trigger);
            });
            return result;
        } finally {
            await host.stop();
        }
    }

    /**
     * A fresh instrumented host (spawn and configure timed), then one rotation after another of
     * `targets` (which must exist in state already): the first one pays what a `pulumi up` pays
     * once, the others show what a rotation costs once everything is loaded.
     */
    async startup(targets: readonly BenchTarget[], trigger: string): Promise<StartupSample> {
        if (targets.length < 2) throw new Error("startup needs a first rotation and at least one more");
        const inputs = targets.map((t) => this.encoded(t, trigger));
        const spawned = performance.now();
        const host = await this.startHost(trigger, true);
        try {
            const hostStartMs = performance.now() - spawned;
            const walls: number[] = [];
            const cpus: number[] = [];
            for (const [i, target] of targets.entries()) {
                const cpuBefore = cpuTimeMs(host.pid);
                const started = performance.now();
                const { step, state } = await wireUp(host, this.urn(`startup-${i}`), inputs[i], this.state(target));
                walls.push(performance.now() - started);
                const cpu = minus(cpuTimeMs(host.pid), cpuBefore);
                if (cpu !== undefined) cpus.push(cpu);
                if (step !== "update") throw new Error(`${this.label} startup: expected an update, the engine did ${step}`);
                this.states.set(target.id, state);
                this.triggers.set(target.id, trigger);
            }
            return {
                hostStartMs,
                firstMs: walls[0],
                warmMs: median(walls.slice(1)),
                firstCpuMs: cpus.length === walls.length ? cpus[0] : undefined,
                warmCpuMs: cpus.length === walls.length ? median(cpus.slice(1)) : undefined,
                report: await host.report(),
            };
        } finally {
            await host.stop();
        }
    }

    /**
     * A `pulumi preview`, or a `pulumi up` with nothing due, in a fresh instrumented host: check and
     * diff of every target with the inputs it was last deployed with, `concurrency` in flight, timed
     * from the host answering `configure` (so loading the provider counts) to the last diff.
     */
    async noop(targets: readonly BenchTarget[], concurrency: number, name: string): Promise<NoopSample> {
        const inputs = targets.map((t) => {
            const trigger = this.triggers.get(t.id);
            if (trigger === undefined) throw new Error(`${this.label}: ${t.id} has not been deployed`);
            return this.encoded(t, trigger);
        });
        const host = await this.startHost(`noop-${name}`, true);
        try {
            const cpuBefore = cpuTimeMs(host.pid);
            const started = performance.now();
            await pool(targets, concurrency, async (target, i) => {
                const state = this.state(target);
                const urn = this.urn(`rotation-${i}`);
                const checked = await host.check(urn, state.inputs, inputs[i]);
                if ((await host.diff(state.id, urn, state.outputs, checked)).changes)
                    throw new Error(`${this.label} ${target.id}: the diff of an unchanged resource reported changes`);
            });
            const wallMs = performance.now() - started;
            const cpuMs = minus(cpuTimeMs(host.pid), cpuBefore);
            return { wallMs, cpuMs, report: await host.report() };
        } finally {
            await host.stop();
        }
    }

    /**
     * A preview: check and diff of every target with a new trigger, through one host, no update.
     * Returns the rotations it would make and the host's CPU time for them.
     */
    async preview(targets: readonly BenchTarget[], concurrency: number, trigger: string): Promise<{ pending: number; hostCpuMs?: number }> {
        const host = await this.startHost(`preview-${trigger}`);
        let pending = 0;
        try {
            // Load the provider before measuring, as a deployment's first check would.
            await host.check(this.urn("warm"), Buffer.alloc(0), this.encoded(targets[0], trigger));
            const cpuBefore = cpuTimeMs(host.pid);
            await pool(targets, concurrency, async (target, i) => {
                const state = this.state(target);
                const urn = this.urn(`rotation-${i}`);
                const checked = await host.check(urn, state.inputs, this.encoded(target, trigger));
                if ((await host.diff(state.id, urn, state.outputs, checked)).changes) pending++;
            });
            return { pending, hostCpuMs: minus(cpuTimeMs(host.pid), cpuBefore) };
        } finally {
            await host.stop();
        }
    }

    /** One diff of `target`'s unchanged state through `host`, in ms; throws if it reports changes. */
    async timedDiff(host: WireHost, target: BenchTarget): Promise<number> {
        const state = this.state(target);
        const started = performance.now();
        const result = await host.diff(state.id, this.urn("diff"), state.outputs, state.inputs);
        const elapsed = performance.now() - started;
        if (result.changes) throw new Error(`${this.label}: the diff of an unchanged resource reported changes`);
        return elapsed;
    }
}
