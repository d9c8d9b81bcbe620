/**
 * Preloaded into the provider hosts the engine stand-in spawns (`node -r`): the host exits when the
 * process that spawned it is gone (its stdin pipe closes), so a test or benchmark that is killed
 * leaves no host behind. The Pulumi engine does the same by killing its plugins.
 */
const exit = () => process.exit(0);
process.stdin.on("data", () => undefined);
process.stdin.on("end", exit);
process.stdin.on("error", exit);
