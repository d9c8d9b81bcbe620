/**
 * `npm run fuzz [-- --runs 500] [-- --seed 42]`: the property tests (test/properties) with many more
 * runs than `npm test` gives them, and a random seed unless one is given. A failure prints its seed
 * and shrunk counterexample; replay it with `--seed`.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";

const usage = `Usage: npm run fuzz -- [--runs N] [--seed S]

  --runs N   runs per property (default 300; npm test uses a few)
  --seed S   replay a failing run with its seed (default: random)
  --help     this text`;

let values: { runs?: string; seed?: string; help?: boolean };
try {
    ({ values } = parseArgs({ options: { runs: { type: "string" }, seed: { type: "string" }, help: { type: "boolean" } }, strict: true }));
} catch (error) {
    console.error(`fuzz: ${(error as Error).message}\n\n${usage}`);
    process.exit(2);
}
if (values.help) {
    console.log(usage);
    process.exit(0);
}
const runs = Number(values.runs ?? 300);
const seed = values.seed ?? String(Date.now() % 2 ** 31);
if (!Number.isInteger(runs) || runs < 1 || !/^\d+$/.test(seed)) {
    console.error(`fuzz: --runs and --seed take whole numbers\n\n${usage}`);
    process.exit(2);
}
console.log(`fuzz: ${runs} runs per property, seed ${seed}`);
const result = spawnSync(process.execPath, [join(__dirname, "runTests.js"), "properties"], {
    stdio: "inherit",
    env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: seed },
});
if (result.status !== 0) console.error(`fuzz: failed; replay with npm run fuzz -- --runs ${runs} --seed ${seed}`);
process.exit(result.status ?? 1);
