import { type ChildProcess, spawn, spawnSync } from "node:child_process";

/** A command run to completion: its exit code and output. */
export interface Finished {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** Runs a command to completion. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Finished {
    const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: "utf8", timeout: options.timeoutMs ?? 120_000 });
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a command to completion without blocking this process (an emulator in it keeps answering). */
export function runAsync(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Finished> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => {
            stdout += d.toString();
        });
        child.stderr.on("data", (d: Buffer) => {
            stderr += d.toString();
        });
        child.once("error", reject);
        child.once("close", (status) => resolve({ status, stdout, stderr }));
    });
}

/**
 * The emulator CLI's resource listing, complete: its header, one indented id a line, and the line
 * after the last id (emulator/cli.ts). A pipe can hand a reader the header before the ids (the CLI
 * wrote them line by line until it printed the list in one write; a loaded machine split them):
 * wait for this, not for the header. The ids are in group 1, one `  id` a line.
 */
export const RESOURCE_LISTING = /^Resources \(.*\):\n((?: {2}\S+\n)+)(?=\S|\n)/m;

/** A long-running command (the emulator CLI): its output so far, and a way to wait for a line. */
export class Running {
    stdout = "";
    stderr = "";
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

    constructor(
        readonly child: ChildProcess,
        private readonly group = false,
    ) {
        child.stdout?.on("data", (d: Buffer) => {
            this.stdout += d.toString();
        });
        child.stderr?.on("data", (d: Buffer) => {
            this.stderr += d.toString();
        });
        this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    }

    /**
     * Starts `command`; with `shell`, `command` is a shell command line run by bash, in a process
     * group of its own, as a terminal runs it: {@link stop} signals the whole group, as Ctrl-C does.
     */
    static start(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; shell?: boolean } = {}): Running {
        const child = options.shell
            ? spawn("bash", ["-c", command], { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true })
            : spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
        return new Running(child, options.shell === true);
    }

    /**
     * Resolves with the first match of `pattern` in stdout; rejects if the process exits or
     * `timeoutMs` passes first. A process that never printed it is killed: the test has failed, and a
     * child left running would hold the test file open until the runner's own timeout.
     */
    async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const match = this.stdout.match(pattern);
            if (match) return match;
            if (this.child.exitCode !== null || this.child.signalCode !== null || Date.now() > deadline) {
                await this.stop("SIGKILL");
                throw new Error(`never printed ${pattern}; stdout: ${this.stdout}\nstderr: ${this.stderr}`);
            }
            await new Promise((r) => setTimeout(r, 50));
        }
    }

    /** Sends `signal` and waits for the exit. */
    async stop(signal: NodeJS.Signals = "SIGINT"): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
        if (this.child.exitCode === null && this.child.signalCode === null) {
            if (this.group && this.child.pid) process.kill(-this.child.pid, signal);
            else this.child.kill(signal);
        }
        return this.exited;
    }
}
