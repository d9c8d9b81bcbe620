/**
 * The benchmark's command line: `npm run bench -- [options]`, parsed with Node's util.parseArgs.
 * `--help` prints the usage; an unknown flag or a bad value is refused with it (as every tool's
 * command line is, see emulator/commandLine.ts). Pure, so it is tested without exiting.
 */
import { parseArgs } from "node:util";

export interface Options {
    n: number;
    concurrency: number;
    rounds: number;
    retryAfterSeconds: number;
    diffs: number;
    /** Fresh hosts measured from spawn to their first rotations, for each of A and B' (and as many no-op deployments). */
    coldStarts: number;
    /** Unchanged resources each fresh host checks and diffs in the no-op deployment (a preview, or a `pulumi up` with nothing due). */
    noop: number;
    scale: number[];
    /** Rotations in the consumer simulation (per service and strategy). */
    consumerRotations: number;
    /** The key propagation delay of the verification rows (Alternate with and without verification). */
    propagationMs: number;
    /** Rotations in each verification row. */
    propagationRotations: number;
    /** Services simulated at once in the consumer and verification rows (1: one after another). */
    simulationConcurrency: number;
    /** ARM latencies to compare the contenders at; the host measurements use the first. */
    latenciesMs: number[];
    /** Write the hosts' CPU profiles here (and summarize them). */
    profile?: string;
    /** Where the results go; undefined: a new temporary directory. */
    out?: string;
    /** Also write the tracked bench/results/latest.* and bench/README.md's tables. */
    writeResults: boolean;
    /** Every sign-in request (OpenID configuration, token) is answered after this long. */
    signInLatencyMs: number;
    /** A built copy of the package from before a change, run as A0 beside A (before and after, same run). */
    baseline?: string;
}

export const USAGE = `Usage: npm run bench -- [options]

Rotates keys on the embedded Azure emulator through this package (A) and, in alternating rounds,
the smallest dynamic provider making the same requests in the same Pulumi host (B'), bare HTTPS in a
plain process (B) and the Azure SDK for JavaScript (C). Prints Markdown tables.

Options:
  --n N                   rotations per run (default 200)
  --concurrency N         rotations in flight (default 10)
  --rounds N              rounds of A B' B C at each ARM latency (default 3)
  --latency-ms LIST       ARM latencies to compare at, in ms, comma-separated (default 0,100)
  --retry-after S         Retry-After the emulator sends on long-running regenerates (default 0)
  --sign-in-latency-ms N  how long the emulated Entra ID takes to answer each sign-in request (default 0)
  --diffs N               diffs and empty gRPC calls timed in one host (default 10000)
  --cold-starts N         fresh hosts timed to their first rotations, each of A and B', and as
                          many timed through a no-op deployment (default 5)
  --noop N                unchanged resources checked and diffed in each no-op deployment, as a
                          preview or a pulumi up with nothing due does (default 100)
  --scale LIST            N of the memory series, comma-separated (default 50,200,1000)
  --consumer-rotations N  rotations in the consumer simulation (default 10)
  --propagation-ms N      how long new keys take to be accepted in the verification rows (default 800)
  --propagation-rotations N  rotations of each verification row (default 2)
  --simulation-concurrency N  services simulated at once in the consumer and verification rows
                          (default 1); above 1, each live consumer calls every 2 ms instead of
                          back to back, so they do not starve the emulator (the rows count
                          failures, not time)
  --profile DIR           write the provider hosts' V8 CPU profiles to DIR and summarize them
                          (profiling slows the hosts: use it to see where time goes, not for figures)
  --out DIR               write latest.json, latest.md and a timestamped JSON file to DIR
                          (default: a new temporary directory, printed at the end)
  --write-results         also write the tracked bench/results/latest.json and latest.md and the
                          "where the time goes" tables in bench/README.md
  --baseline DIR          also run DIR, a built copy of this package from before a change, as A0:
                          A0 and A alternate in the per-rotation rounds and the fresh hosts, so a
                          change is measured before and after in the same run (see bench/README.md)
  -h, --help              print this and exit

Examples:
  npm run bench -- --n 20 --rounds 1 --scale 20 --diffs 200     a quick look
  npm run bench -- --write-results                              the published figures
`;

/** A command line that cannot be run; the message says why, the usage follows it. */
export class UsageError extends Error {}

/** The options, or `help` when the usage was asked for. */
export function parseOptions(argv: string[]): Options | "help" {
    let values: Record<string, string | boolean | undefined>;
    try {
        ({ values } = parseArgs({
            args: argv,
            strict: true,
            allowPositionals: false,
            options: {
                n: { type: "string" },
                concurrency: { type: "string" },
                rounds: { type: "string" },
                "latency-ms": { type: "string" },
                "retry-after": { type: "string" },
                "sign-in-latency-ms": { type: "string" },
                diffs: { type: "string" },
                "cold-starts": { type: "string" },
                noop: { type: "string" },
                scale: { type: "string" },
                "consumer-rotations": { type: "string" },
                "propagation-ms": { type: "string" },
                "propagation-rotations": { type: "string" },
                "simulation-concurrency": { type: "string" },
                profile: { type: "string" },
                out: { type: "string" },
                "write-results": { type: "boolean" },
                baseline: { type: "string" },
                help: { type: "boolean", short: "h" },
            },
        }));
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
    if (values.help) return "help";
    const text = (name: string) => values[name] as string | undefined;
    const int = (name: string, fallback: number, min: number) => {
        const raw = text(name);
        const v = raw === undefined ? fallback : Number(raw);
        if (!Number.isInteger(v) || v < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got ${raw}`);
        return v;
    };
    const list = (name: string, fallback: string, min: number) => {
        const items = (text(name) ?? fallback).split(",").filter(Boolean);
        if (items.length === 0) throw new UsageError(`--${name} needs at least one value`);
        return items.map((s) => {
            const v = Number(s);
            if (!Number.isInteger(v) || v < min) throw new UsageError(`--${name} takes integers ≥ ${min} separated by commas, got ${s}`);
            return v;
        });
    };
    const dir = (name: string) => {
        const v = text(name);
        if (v === "") throw new UsageError(`--${name} needs a directory`);
        return v;
    };
    return {
        n: int("n", 200, 1),
        concurrency: int("concurrency", 10, 1),
        rounds: int("rounds", 3, 1),
        retryAfterSeconds: int("retry-after", 0, 0),
        signInLatencyMs: int("sign-in-latency-ms", 0, 0),
        diffs: int("diffs", 10_000, 1),
        coldStarts: int("cold-starts", 5, 1),
        noop: int("noop", 100, 1),
        scale: list("scale", "50,200,1000", 1),
        consumerRotations: int("consumer-rotations", 10, 1),
        propagationMs: int("propagation-ms", 800, 1),
        propagationRotations: int("propagation-rotations", 2, 1),
        simulationConcurrency: int("simulation-concurrency", 1, 1),
        latenciesMs: list("latency-ms", "0,100", 0),
        profile: dir("profile"),
        out: dir("out"),
        writeResults: values["write-results"] === true,
        baseline: dir("baseline"),
    };
}
