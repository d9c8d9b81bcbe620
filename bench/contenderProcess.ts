/**
 * Runs contender B or C once in a fresh process, as a user's script would run: the clock starts
 * before the contender's code is loaded (as A's starts before the provider is loaded in its fresh
 * host) and stops when the last rotation is done. Reports over the IPC channel.
 */
import { fork } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { BenchTarget } from "./targets";

export interface ContenderRun {
    wallMs: number;
    cpuMs: number;
}

interface Job {
    contender: "B" | "C";
    env: Record<string, string>;
    targets: BenchTarget[];
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
            const run =
                job.contender === "B"
                    ? (require("./contenders/rawHttp") as typeof import("./contenders/rawHttp")).rawHttpRun
                    : (require("./contenders/azureSdk") as typeof import("./contenders/azureSdk")).azureSdkRun;
            await run(job.env, job.targets, job.concurrency);
            const wallMs = performance.now() - started;
            const used = process.cpuUsage(cpu);
            process.send!({ wallMs, cpuMs: (used.user + used.system) / 1000 } satisfies ContenderRun, () => process.exit(0));
        } catch (error) {
            process.send!({ error: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
        }
    });
}
