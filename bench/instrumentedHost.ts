/**
 * Pulumi's dynamic-provider host with measuring aids, loaded before it:
 * - it times the loading of the modules a provider brings (axios, @azure/identity, the package's
 *   own, the floor's), each exclusive of the others, and the sign-in requests (from the first one
 *   sent to the token's answer, through Node's http diagnostics channels);
 * - on SIGUSR2 it runs a full garbage collection and writes one `bench-report <json>` line to
 *   stderr: the live heap (what the host really holds, as opposed to the peak RSS, which follows
 *   V8's heap sizing), the module loading and the sign-in;
 * - with KEY_ROTATION_BENCH_PROFILE_DIR set (`npm run bench -- --profile DIR`), it runs the V8 CPU
 *   profiler from the moment a provider starts loading (the host's own start-up is Pulumi's, and
 *   outside the clock) and writes `<KEY_ROTATION_BENCH_PROFILE_NAME>-<pid>.cpuprofile` there when stopped.
 */
import { subscribe } from "node:diagnostics_channel";
import { writeFileSync } from "node:fs";
import type { ClientRequest } from "node:http";
import { Session } from "node:inspector";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** What the host reports on SIGUSR2. Times in ms since the host process started. */
export interface HostReport {
    liveHeapBytes: number;
    /** Exclusive loading time by module group: `axios`, `@azure/identity`, `package`, `floor`. */
    moduleLoadMs: Record<string, number>;
    /** Sign-in requests (OpenID configuration, token): how many, first sent, last answered. */
    signIn: { requests: number; firstSentMs?: number; lastAnsweredMs?: number };
    /** The largest V8 heap (total, used, its young and old generations) and memory outside it, sampled every 100 ms, in bytes. */
    peak: { heapTotal: number; heapUsed: number; external: number; newSpace: number; oldSpace: number };
}

/** The module group a `require` request belongs to, if it is one of those measured. */
function groupOf(request: string): string | undefined {
    if (request === "axios" || request === "@azure/identity") return request;
    if (request === "pulumi-azure-key-rotation/provider" || request === "./arm/client" || request === "./arm/credential") return "package";
    if (/[\\/]contenders[\\/]floor(?:\.js)?$/.test(request)) return "floor";
    return undefined;
}

const moduleLoadMs: Record<string, number> = {};
/** Starts the CPU profiler, when profiling; called when the first provider module starts loading. */
let startProfiling = () => {};
const loading: Array<{ nested: number }> = [];
const Module = require("node:module") as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = Module._load;
Module._load = function (this: unknown, request: string, ...rest: unknown[]) {
    const group = groupOf(request);
    if (!group) return load.call(this, request, ...rest);
    startProfiling();
    const frame = { nested: 0 };
    loading.push(frame);
    const started = performance.now();
    try {
        return load.call(this, request, ...rest);
    } finally {
        const total = performance.now() - started;
        loading.pop();
        moduleLoadMs[group] = (moduleLoadMs[group] ?? 0) + total - frame.nested;
        if (loading.length > 0) loading[loading.length - 1].nested += total;
    }
};

const signIn: HostReport["signIn"] = { requests: 0 };
const SIGN_IN_PATH = /\/oauth2\/v2\.0\/token|\/\.well-known\/openid-configuration/;
const sent = new WeakMap<object, number>();
subscribe("http.client.request.start", (message) => {
    const { request } = message as { request: ClientRequest };
    if (!SIGN_IN_PATH.test(request.path)) return;
    const now = performance.now();
    sent.set(request, now);
    signIn.requests++;
    signIn.firstSentMs ??= now;
});
subscribe("http.client.response.finish", (message) => {
    const { request } = message as { request: ClientRequest };
    if (sent.has(request)) signIn.lastAnsweredMs = performance.now();
});

// Where the peak RSS comes from: V8's heap, or memory outside it (buffers, TLS).
const peak: HostReport["peak"] = { heapTotal: 0, heapUsed: 0, external: 0, newSpace: 0, oldSpace: 0 };
setInterval(() => {
    const m = process.memoryUsage();
    peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.external = Math.max(peak.external, m.external);
    for (const space of getHeapSpaceStatistics()) {
        if (space.space_name === "new_space") peak.newSpace = Math.max(peak.newSpace, space.space_size);
        if (space.space_name === "old_space") peak.oldSpace = Math.max(peak.oldSpace, space.space_size);
    }
}, 100).unref();

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
process.on("SIGUSR2", () => {
    gc();
    const report: HostReport = { liveHeapBytes: process.memoryUsage().heapUsed, moduleLoadMs, signIn, peak };
    process.stderr.write(`bench-report ${JSON.stringify(report)}\n`);
});

const profileDir = process.env.KEY_ROTATION_BENCH_PROFILE_DIR;
if (profileDir) {
    const name = process.env.KEY_ROTATION_BENCH_PROFILE_NAME || "host";
    const session = new Session();
    session.connect();
    let started = false;
    startProfiling = () => {
        if (started) return;
        started = true;
        session.post("Profiler.enable", () => session.post("Profiler.setSamplingInterval", { interval: 200 }, () => session.post("Profiler.start")));
    };
    process.on("SIGTERM", () => {
        if (!started) process.exit(0);
        session.post("Profiler.stop", (error, result) => {
            if (!error) writeFileSync(join(profileDir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
            process.exit(0);
        });
    });
}
require("@pulumi/pulumi/cmd/dynamic-provider/index.js");
