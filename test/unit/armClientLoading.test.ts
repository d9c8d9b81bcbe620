import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";

const client = join(__dirname, "..", "..", "src", "arm", "client.js");
const FETCH_GLOBALS = ["fetch", "Request", "Response", "Headers", "FormData"];

// In a fresh process: nothing else has loaded axios or touched the fetch globals there.
async function loadInFreshProcess(): Promise<{ undici: boolean; sameGlobals: boolean; fetchWorks: boolean }> {
    const script = `
        const names = ${JSON.stringify(FETCH_GLOBALS)};
        const before = names.map((n) => Object.getOwnPropertyDescriptor(globalThis, n));
        const loaded = process.moduleLoadList.length;
        require(${JSON.stringify(client)});
        const undici = process.moduleLoadList.slice(loaded).some((m) => m.includes("undici"));
        const sameGlobals = names.every((n, i) => {
            const [a, b] = [Object.getOwnPropertyDescriptor(globalThis, n), before[i]];
            return a.get === b.get && a.set === b.set && a.value === b.value && a.enumerable === b.enumerable && a.configurable === b.configurable;
        });
        const fetchWorks = names.every((n) => typeof globalThis[n] === "function");
        console.log(JSON.stringify({ undici, sameGlobals, fetchWorks }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", script]);
    return JSON.parse(stdout);
}

describe("loading the ARM client", () => {
    it("loads axios without compiling Node's fetch, and leaves the fetch globals exactly as they were", async () => {
        assert.deepEqual(await loadInFreshProcess(), { undici: false, sameGlobals: true, fetchWorks: true });
    });
});
