/**
 * Command lines for the package's tools (the emulator, the demo, the test launcher): Node's
 * `util.parseArgs` in strict mode, `--help` / `-h` printing the usage, and anything it does not know
 * refused with the problem and the usage.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";

/** A tool's usage text and the options it takes (besides `--help`, which every tool has). */
export interface CommandLineSpec<T extends ParseArgsConfig> {
    /** Printed by `--help` and after a refused command line. */
    usage: string;
    /** `util.parseArgs`' configuration; strict mode is always on. */
    config: T;
}

/**
 * Parses `args` (default: this process's). `--help` prints the usage and exits with 0; an unknown
 * flag, a missing value or an unexpected argument prints what is wrong and the usage on stderr and
 * exits with 2.
 */
export function parseCommandLine<T extends ParseArgsConfig>(spec: CommandLineSpec<T>, args: string[] = process.argv.slice(2)): ReturnType<typeof parseArgs<T>> {
    if (args.includes("--help") || args.includes("-h")) {
        process.stdout.write(`${spec.usage.trimEnd()}\n`);
        process.exit(0);
    }
    try {
        return parseArgs({ ...spec.config, args, strict: true }) as unknown as ReturnType<typeof parseArgs<T>>;
    } catch (error) {
        return refuse(spec, error instanceof Error ? error.message : String(error));
    }
}

/** Prints `problem` and the usage on stderr and exits with 2 (a command line that cannot run). */
export function refuse(spec: { usage: string }, problem: string): never {
    process.stderr.write(`${problem}\n\n${spec.usage.trimEnd()}\n`);
    process.exit(2);
}
