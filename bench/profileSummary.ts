/**
 * Reads the hosts' V8 CPU profiles (`--profile DIR`) and adds up self time by who caused it: each
 * sample goes to the innermost frame on its stack that belongs to this package, axios,
 * @azure/identity (and what it brings), Pulumi's host (gRPC, protobuf), the floor, or Node's module
 * loader; Node's own frames count for their caller (axios calling node:https counts for axios).
 * Samples with none of those on the stack are Node's event loop, sockets and timers. Idle time is
 * left out. The profiles start when a provider starts loading (see instrumentedHost.ts).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface CpuProfile {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
    samples: number[];
    timeDeltas: number[];
}

const OWNERS: Array<[RegExp, string]> = [
    // axios and what it loads (form-data and its small helpers).
    [
        /\/node_modules\/(?:axios|follow-redirects|form-data|proxy-from-env|combined-stream|delayed-stream|asynckit|mime-types|mime-db|get-intrinsic|es-set-tostringtag|has-symbols|has-tostringtag|gopd|es-errors|es-object-atoms|es-define-property|math-intrinsics|call-bind-apply-helpers|get-proto|dunder-proto|function-bind|hasown|async-function|generator-function|async-generator-function)\//,
        "axios",
    ],
    [
        /\/node_modules\/(?:@azure|@typespec|jsonwebtoken|jws|jwa|semver|uuid|ecdsa-sig-formatter|lodash\.[a-z]+|tslib|https-proxy-agent|agent-base|debug|ms|safe-buffer|buffer-equal-constant-time)\//,
        "@azure/identity",
    ],
    [
        /\/node_modules\/(?:@grpc|@pulumi|google-protobuf|protobufjs|@protobufjs|require-from-string|source-map-support|source-map)\//,
        "Pulumi's host (gRPC, protobuf)",
    ],
    [/\/dist\/bench\/contenders\/floor\.js$/, "the floor provider (B')"],
    [/\/dist\/src\/|\/pulumi-azure-key-rotation\/dist\/src\//, "this package"],
    [/^node:internal\/modules\//, "module loading (Node's loader, compiling)"],
    [/\/dist\/bench\/instrumentedHost\.js$/, "the bench's instrumentation (module timing, memory sampling)"],
];
const NODE_IO = /^node:(?:_http|https?$|http2|tls|_tls|net|internal\/(?:http|tls|net|stream_base|streams|js_stream)|stream|zlib|dns)/;

/**
 * Who a frame counts for: an owner (see above), `undefined` for Node's own frames and native code
 * (they count for their caller), or `null` for frames left out (idle, root).
 */
export function categoryOf(callFrame: { functionName: string; url: string }): string | undefined | null {
    const { functionName, url } = callFrame;
    if (functionName === "(idle)" || functionName === "(root)") return null;
    if (functionName === "(garbage collector)") return "garbage collection";
    if (functionName === "(program)") return "V8 and native (program)";
    for (const [pattern, owner] of OWNERS) if (pattern.test(url)) return owner;
    if (url === "" || url.startsWith("node:")) return undefined;
    return "other";
}

/** The category of a Node frame with no owner on its stack. */
function unowned(url: string): string {
    return NODE_IO.test(url)
        ? "Node's HTTP, TLS, net and streams (event loop, no caller on the stack)"
        : "Node, other (event loop, timers, no caller on the stack)";
}

/** Self time by category, in ms, for one profile. */
export function summarizeProfile(profile: CpuProfile): Record<string, number> {
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const resolved = new Map<number, string | null>();
    const resolve = (id: number): string | null => {
        const known = resolved.get(id);
        if (known !== undefined) return known;
        const node = byId.get(id)!;
        const own = categoryOf(node.callFrame);
        let result: string | null;
        if (own !== undefined) result = own;
        else {
            // Climb to the innermost owner; Node's frames with none count as the event loop's.
            let up = parent.get(id);
            let found: string | null | undefined;
            while (up !== undefined && found === undefined) {
                const c = categoryOf(byId.get(up)!.callFrame);
                if (c !== undefined && c !== null) found = c;
                up = parent.get(up);
            }
            result = found ?? (node.callFrame.url === "" ? unowned(nearestUrl(id)) : unowned(node.callFrame.url));
        }
        resolved.set(id, result);
        return result;
    };
    const nearestUrl = (id: number): string => {
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
            const url = byId.get(at)!.callFrame.url;
            if (url) return url;
        }
        return "";
    };
    const out: Record<string, number> = {};
    profile.samples.forEach((id, i) => {
        const c = resolve(id);
        if (c) out[c] = (out[c] ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000;
    });
    return out;
}

/**
 * Adds up the profiles in `dir` whose name starts with `prefix` (one per host run) and divides by
 * `rotations` (the rotations those runs made in all). Undefined when there are none.
 */
export function profilePerRotation(dir: string, prefix: string, rotations: number): Record<string, number> | undefined {
    const files = readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith(".cpuprofile"));
    if (files.length === 0) return undefined;
    const total: Record<string, number> = {};
    for (const f of files) {
        for (const [k, v] of Object.entries(summarizeProfile(JSON.parse(readFileSync(join(dir, f), "utf8"))))) total[k] = (total[k] ?? 0) + v;
    }
    return Object.fromEntries(Object.entries(total).map(([k, v]) => [k, Math.round((v / rotations) * 1000) / 1000]));
}
