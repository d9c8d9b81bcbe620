/**
 * fast-check, run the same way everywhere: a fixed seed and a bounded number of runs under
 * `npm test`; `npm run fuzz` sets FUZZ_RUNS (and a random seed unless FUZZ_SEED is given). The
 * seed and the shrunk counterexample are printed on failure, so any failure can be replayed with
 * FUZZ_SEED.
 */
import fc from "fast-check";

/** The seed of this run: FUZZ_SEED, or a random one under `npm run fuzz`, or a fixed one. */
export const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS ? Date.now() % 2 ** 31 : 20261201;

/** Runs for one property: FUZZ_RUNS under `npm run fuzz`, else `runs` (kept small for CI). */
export function runs(defaultRuns: number): number {
    return process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : defaultRuns;
}

/** Checks a property; the thrown error names the seed and the counterexample. */
export function fastCheck<Ts>(property: fc.IProperty<Ts>, defaultRuns = 100): void {
    fc.assert(property, { seed: SEED, numRuns: runs(defaultRuns), verbose: 1, includeErrorInReport: true });
}

/** Checks an asynchronous property. */
export async function fastCheckAsync<Ts>(property: fc.IAsyncProperty<Ts>, defaultRuns = 20): Promise<void> {
    await fc.assert(property, { seed: SEED, numRuns: runs(defaultRuns), verbose: 1, includeErrorInReport: true });
}
