/**
 * Runs contender B or C once in a fresh process, as a user's script would run: the clock starts
 * before the contender's code is loaded (as A's starts before the provider is loaded in its fresh
 * host) and stops when the last rotation is done. Reports over the IPC channel.
 */
import { fork } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { FloorPlan } from "./plans";
import type { BenchTarget } from "./targets";

export interface ContenderRun {
    wallMs: number;
    cpuMs: number;
}

interface Job {
    contender: "B" | "C";
    env: Record<string, string>;
    /** B follows each target's plan (see plans.ts); C only needs the target. */
    targets: Array<BenchTarget & { plan?: FloorPlan }>;
    concurrency: number;
}

/** Forks a process that runs `job` and resolves with its figures. */
export function runInFreshProcess(job: Job): Promise<ContenderRun> {
    return new Promise((resolve, reject) => {
        const child = fork(__filename, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
        let result: ContenderRun | undefined;
        child.once("message", (m: ContenderRun | { error: string }) => {
            if ("error" in m) reject(new Error(`contender ${job.contender}: ${m.error}`));
            else result = m;
        });
        child.once("exit", (code) => (result ? resolve(result) : reject(new Error(`contender ${job.contender} exited with ${code}`))));
        child.send(job);
    });
}

if (require.main === module) {
    process.once("message", async (job: Job) => {
        try {
            const cpu = process.cpuUsage();
            const started = performance.now();
            if (job.contender === "B") {
                const { floorRun } = require("./contenders/floor") as typeof import("./contenders/floor");
                await floorRun(
                    job.env,
                    job.targets.map((t) => ({ ...t, plan: t.plan! })),
                    job.concurrency,
                );
            } else {
                const { azureSdkRun } = require("./contenders/azureSdk") as typeof import("./contenders/azureSdk");
                await azureSdkRun(job.env, job.targets, job.concurrency);
            }
            const wallMs = performance.now() - started;
            const used = process.cpuUsage(cpu);
            process.send!({ wallMs, cpuMs: (used.user + used.system) / 1000 } satisfies ContenderRun, () => process.exit(0));
        } catch (error) {
            process.send!({ error: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
        }
    });
}
