/**
 * Contender A, this package: KeyRotation resources driven through Pulumi's own dynamic-provider
 * host over gRPC, with the calls and order `pulumi up` uses (check, then create or diff + update),
 * a fresh host per deployment as the engine starts one, at most `concurrency` resources in flight.
 * The engine side is the near-zero-cost wire engine (see ../wireEngine.ts), so the time measured
 * is the host's and this package's.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { keyRotationUrn, type Props } from "../../scripts/engine";
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

export class PackageContender {
    /** Each target's state after the last deployment, as the engine keeps it. */
    private readonly states = new Map<string, WireState>();

    /**
     * @param registration the inputs `new KeyRotation(...)` registers (with `__provider`), used as
     *   the template for every target's inputs.
     */
    constructor(
        private readonly env: Record<string, string>,
        private readonly programDir: string,
        private readonly registration: Props,
    ) {}

    /** The inputs the program declares for `target` with `trigger`, encoded as the engine receives them. */
    private inputs(target: BenchTarget, trigger: string): StructBytes {
        return encodeStruct({ ...this.registration, resourceId: target.id, keyType: "Primary", trigger });
    }

    private startHost(instrumented = false): Promise<WireHost> {
        return WireHost.start({ cwd: this.programDir, env: this.env, instrumented });
    }

    /**
     * One `pulumi up` over `targets` with `trigger`: creates them the first time, rotates them
     * after. Checks, once the clock has stopped, that every resource now holds a new primary key.
     * `instrumented` also reports the host's live heap at the end (see instrumentedHost.ts).
     */
    async deploy(targets: readonly BenchTarget[], concurrency: number, trigger: string, instrumented = false): Promise<DeploymentResult> {
        const inputs = targets.map((t) => this.inputs(t, trigger));
        const before = targets.map((t) => this.states.get(t.id));
        const after: WireState[] = [];
        const host = await this.startHost(instrumented);
        try {
            const cpuBefore = cpuTimeMs(host.pid);
            const started = performance.now();
            await pool(targets, concurrency, async (target, i) => {
                const { step, state } = await wireUp(host, keyRotationUrn(`rotation-${i}`), inputs[i], before[i]);
                if (step !== (before[i] ? "update" : "create")) throw new Error(`${target.id}: the engine did ${step}`);
                after[i] = state;
            });
            const wallMs = performance.now() - started;
            const cpuAfter = cpuTimeMs(host.pid);
            const result: DeploymentResult = {
                wallMs,
                hostPeakRssBytes: peakRssBytes(host.pid),
                hostCpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
                hostLiveHeapBytes: instrumented ? await host.liveHeapBytes() : undefined,
            };
            targets.forEach((target, i) => {
                const outputs = decodeStruct(after[i].outputs);
                const previous = before[i] && decodeStruct(before[i]!.outputs);
                if (outputs.rotatedKeyType !== "Primary" || typeof outputs.primaryKey !== "string")
                    throw new Error(`${target.id}: no rotated primary key in the outputs`);
                if (previous && previous.primaryKey === outputs.primaryKey) throw new Error(`${target.id}: the primary key did not change`);
                this.states.set(target.id, after[i]);
            });
            return result;
        } finally {
            await host.stop();
        }
    }

    /** Spawn of a new host → its first rotation done (the target must exist in state already). */
    async coldStartMs(target: BenchTarget, trigger: string): Promise<number> {
        const inputs = this.inputs(target, trigger);
        const started = performance.now();
        const host = await this.startHost();
        try {
            const { step, state } = await wireUp(host, keyRotationUrn("cold-start"), inputs, this.states.get(target.id));
            const elapsed = performance.now() - started;
            if (step !== "update") throw new Error(`cold start: expected an update, the engine did ${step}`);
            this.states.set(target.id, state);
            return elapsed;
        } finally {
            await host.stop();
        }
    }

    /**
     * `count` diffs of an unchanged resource, one at a time, through one host: the per-resource cost
     * of every preview and every no-op `pulumi up`. Returns each call's latency in ms.
     */
    async diffLatencies(target: BenchTarget, count: number): Promise<number[]> {
        const state = this.states.get(target.id);
        if (!state) throw new Error(`diff: ${target.id} has no state yet`);
        const host = await this.startHost();
        try {
            const urn = keyRotationUrn("diff");
            const samples: number[] = [];
            // Warm the path (module load, provider deserialization, JIT) outside the samples, as in
            // any deployment with more than a handful of resources.
            for (let i = 0; i < Math.min(1000, count); i++) await host.diff(state.id, urn, state.outputs, state.inputs);
            for (let i = 0; i < count; i++) {
                const t = performance.now();
                const result = await host.diff(state.id, urn, state.outputs, state.inputs);
                samples.push(performance.now() - t);
                if (result.changes) throw new Error("the diff of an unchanged resource reported changes");
            }
            return samples;
        } finally {
            await host.stop();
        }
    }

    /**
     * A preview: check and diff of every target with a new trigger, through one host, no update.
     * Returns the rotations it would make and the host's CPU time for them.
     */
    async preview(targets: readonly BenchTarget[], concurrency: number, trigger: string): Promise<{ pending: number; hostCpuMs?: number }> {
        const host = await this.startHost();
        let pending = 0;
        try {
            // Load the provider before measuring, as a deployment's first check would.
            await host.check(keyRotationUrn("warm"), Buffer.alloc(0), this.inputs(targets[0], trigger));
            const cpuBefore = cpuTimeMs(host.pid);
            await pool(targets, concurrency, async (target, i) => {
                const state = this.states.get(target.id);
                if (!state) throw new Error(`preview: ${target.id} has no state yet`);
                const urn = keyRotationUrn(`rotation-${i}`);
                const checked = await host.check(urn, state.inputs, this.inputs(target, trigger));
                if ((await host.diff(state.id, urn, state.outputs, checked)).changes) pending++;
            });
            const cpuAfter = cpuTimeMs(host.pid);
            return { pending, hostCpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
        } finally {
            await host.stop();
        }
    }
}
