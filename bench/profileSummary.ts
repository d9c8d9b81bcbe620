/**
 * Reads the hosts' V8 CPU profiles (`--profile DIR`) and adds up self time by where the code comes
 * from: this package, axios, @azure/identity (and what it brings), Pulumi's host (gRPC, protobuf),
 * Node's HTTP/TLS/net, the rest of Node, garbage collection. Idle time is left out.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface CpuProfile {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
    samples: number[];
    timeDeltas: number[];
}

const RULES: Array<[RegExp, string]> = [
    [/\/node_modules\/(?:axios|follow-redirects|form-data|proxy-from-env|combined-stream|asynckit|mime-types|mime-db)\//, "axios"],
    [
        /\/node_modules\/(?:@azure|@typespec|jsonwebtoken|jws|jwa|semver|uuid|ecdsa-sig-formatter|lodash\.[a-z]+|tslib|https-proxy-agent|agent-base|debug|ms)\//,
        "@azure/identity",
    ],
    [
        /\/node_modules\/(?:@grpc|@pulumi|google-protobuf|protobufjs|@protobufjs|require-from-string|source-map-support|source-map)\//,
        "Pulumi's host (gRPC, protobuf)",
    ],
    [/\/dist\/bench\/contenders\/floor\.js$/, "the floor provider (B')"],
    [/\/dist\/src\/|\/pulumi-azure-key-rotation\/dist\/src\//, "this package"],
    [
        /^node:(?:_http|https?$|http2|tls|_tls|net|internal\/(?:http|tls|net|stream_base|streams|js_stream)|stream|zlib|dns)/,
        "Node's HTTP, TLS, net and streams",
    ],
    [/^node:/, "Node, other"],
];

/** The category of one profile node. */
export function categoryOf(callFrame: { functionName: string; url: string }): string | undefined {
    const { functionName, url } = callFrame;
    if (functionName === "(idle)" || functionName === "(root)") return undefined;
    if (functionName === "(garbage collector)") return "garbage collection";
    if (functionName === "(program)") return "V8 and native (program)";
    for (const [pattern, category] of RULES) if (pattern.test(url)) return category;
    return url === "" ? "native and serialized code (no file)" : "other";
}

/** Self time by category, in ms, for one profile. */
export function summarizeProfile(profile: CpuProfile): Record<string, number> {
    const category = new Map(profile.nodes.map((n) => [n.id, categoryOf(n.callFrame)]));
    const out: Record<string, number> = {};
    profile.samples.forEach((id, i) => {
        const c = category.get(id);
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
