/**
 * A stand-in for the Pulumi engine that costs next to nothing per call, as the real one (Go) does:
 * it speaks to Pulumi's dynamic-provider host over the same gRPC methods, but keeps every Struct
 * as the protobuf bytes it received or encoded ahead of time and splices them into the next
 * request, the way the engine forwards a check's inputs to diff and update. Without it the
 * benchmark would mostly measure google-protobuf in JavaScript on the engine's side, competing for
 * the same cores as the host. Results are decoded after the clock stops.
 */
import type { ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { type Props, spawnHost } from "../scripts/engine";
import type { HostReport } from "./instrumentedHost";

const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const structproto = require("google-protobuf/google/protobuf/struct_pb");

/** Protobuf-encoded `google.protobuf.Struct`. */
export type StructBytes = Buffer;

/** One resource's state, kept as the host returned it. */
export interface WireState {
    id: string;
    urn: string;
    /** Checked inputs (CheckResponse.inputs). */
    inputs: StructBytes;
    /** Outputs (CreateResponse/UpdateResponse.properties). */
    outputs: StructBytes;
}

export type WireStep = "create" | "update" | "replace" | "same";

/** Encodes JavaScript properties as a Struct, ahead of the timed part. */
export function encodeStruct(props: Props): StructBytes {
    return Buffer.from(structproto.Struct.fromJavaScript(props).serializeBinary());
}

/** Decodes a Struct (to check results once the clock has stopped). */
export function decodeStruct(bytes: StructBytes): Props {
    return structproto.Struct.deserializeBinary(bytes).toJavaScript();
}

// --- protobuf wire format: just what these messages need ------------------------------------------

function varint(value: number): Buffer {
    const bytes: number[] = [];
    while (value > 0x7f) {
        bytes.push((value & 0x7f) | 0x80);
        value >>>= 7;
    }
    bytes.push(value);
    return Buffer.from(bytes);
}

function bytesField(field: number, value: Buffer): Buffer[] {
    return [varint((field << 3) | 2), varint(value.length), value];
}

function stringField(field: number, value: string): Buffer[] {
    return bytesField(field, Buffer.from(value, "utf8"));
}

/** The length-delimited top-level fields of a message, by field number (other wire types skipped). */
function fields(message: Buffer): Map<number, Buffer[]> {
    const out = new Map<number, Buffer[]>();
    let pos = 0;
    const read = () => {
        let result = 0;
        let shift = 0;
        for (;;) {
            const b = message[pos++];
            result += (b & 0x7f) * 2 ** shift;
            if (b < 0x80) return result;
            shift += 7;
        }
    };
    while (pos < message.length) {
        const tag = read();
        const [field, wire] = [Math.floor(tag / 8), tag & 7];
        if (wire === 0) read();
        else if (wire === 1) pos += 8;
        else if (wire === 5) pos += 4;
        else if (wire === 2) {
            const length = read();
            const list = out.get(field) ?? [];
            list.push(message.subarray(pos, pos + length));
            out.set(field, list);
            pos += length;
        } else throw new Error(`unsupported protobuf wire type ${wire}`);
    }
    return out;
}

const RANDOM_SEED = Buffer.alloc(32);
const METHODS = ["Configure", "Check", "Diff", "Create", "Update", "Cancel"] as const;
type Method = (typeof METHODS)[number];

/** Pulumi's dynamic-provider host, spawned as the engine spawns it, called with raw bytes. */
export class WireHost {
    /** Hosts started and not stopped yet, so an interrupted benchmark leaves none running. */
    private static readonly running = new Set<WireHost>();

    /** Stops every host still running. */
    static async stopAll(): Promise<void> {
        await Promise.all([...WireHost.running].map((host) => host.stop()));
    }

    private constructor(
        private readonly child: ChildProcess,
        private readonly client: Record<string, (request: Buffer, callback: (error: Error | null, response: Buffer) => void) => void> & { close(): void },
        private readonly stderrEvents: EventEmitter,
    ) {}

    /**
     * @param options.instrumented start the host through instrumentedHost.ts (report on request,
     *   CPU profile with --profile); always so when profiling.
     * @param options.name names the host's CPU profile, when profiling.
     */
    static async start(options: { cwd: string; env?: Record<string, string>; instrumented?: boolean; name?: string }): Promise<WireHost> {
        const instrumented = options.instrumented || Boolean(process.env.KEY_ROTATION_BENCH_PROFILE_DIR);
        // The host's recent stderr, announced on every write (report() waits for its line).
        const stderrEvents = new EventEmitter();
        let stderr = "";
        const { child, port } = await spawnHost({
            cwd: options.cwd,
            env: { ...options.env, ...(options.name ? { KEY_ROTATION_BENCH_PROFILE_NAME: options.name } : {}) },
            hostScript: instrumented ? require.resolve("./instrumentedHost") : undefined,
            onStderr: (text) => {
                stderr = (stderr + text).slice(-4000);
                stderrEvents.emit("text", stderr);
            },
        });
        const identity = (b: Buffer) => b;
        const service = Object.fromEntries(
            METHODS.map((m) => [
                m,
                {
                    path: `/pulumirpc.ResourceProvider/${m}`,
                    requestStream: false,
                    responseStream: false,
                    requestSerialize: identity,
                    requestDeserialize: identity,
                    responseSerialize: identity,
                    responseDeserialize: identity,
                },
            ]),
        );
        const Client = grpc.makeGenericClientConstructor(service, "ResourceProvider");
        const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as WireHost["client"];
        const host = new WireHost(child, client, stderrEvents);
        WireHost.running.add(host);
        const configure = new provproto.ConfigureRequest().setArgs(structproto.Struct.fromJavaScript({})).setAcceptsecrets(true);
        await host.call("Configure", Buffer.from(configure.serializeBinary()));
        return host;
    }

    get pid(): number | undefined {
        return this.child.pid;
    }

    /** What an instrumented host measured, its live heap after a full GC included. */
    report(): Promise<HostReport> {
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("the host did not report (not instrumented?)")), 10_000);
            const listener = (text: string) => {
                const m = /bench-report (\{.*\})\n$/.exec(text);
                if (!m) return;
                clearTimeout(timer);
                this.stderrEvents.off("text", listener);
                resolve(JSON.parse(m[1]) as HostReport);
            };
            this.stderrEvents.on("text", listener);
            this.child.kill("SIGUSR2");
        });
    }

    /** The emptiest call the host answers (Cancel: no fields either way): the gRPC round trip alone. */
    async empty(): Promise<void> {
        await this.call("Cancel", Buffer.alloc(0));
    }

    /** check: the checked inputs, or an error listing the check failures. */
    async check(urn: string, olds: StructBytes, news: StructBytes): Promise<StructBytes> {
        const response = fields(
            await this.call("Check", Buffer.concat([...stringField(1, urn), ...bytesField(2, olds), ...bytesField(3, news), ...bytesField(5, RANDOM_SEED)])),
        );
        const failures = (response.get(2) ?? []).map((f) => {
            const failure = provproto.CheckFailure.deserializeBinary(f);
            return `${failure.getProperty()}: ${failure.getReason()}`;
        });
        if (failures.length > 0) throw new Error(`check failed: ${failures.join("; ")}`);
        return response.get(1)?.[0] ?? Buffer.alloc(0);
    }

    async diff(id: string, urn: string, olds: StructBytes, news: StructBytes): Promise<{ changes: boolean; replaces: boolean }> {
        const response = provproto.DiffResponse.deserializeBinary(await this.call("Diff", request(id, urn, olds, news)));
        return { changes: response.getChanges() === provproto.DiffResponse.DiffChanges.DIFF_SOME, replaces: response.getReplacesList().length > 0 };
    }

    async create(urn: string, properties: StructBytes): Promise<{ id: string; outputs: StructBytes }> {
        const response = fields(await this.call("Create", Buffer.concat([...stringField(1, urn), ...bytesField(2, properties)])));
        return { id: response.get(1)?.[0]?.toString("utf8") ?? "", outputs: response.get(2)?.[0] ?? Buffer.alloc(0) };
    }

    async update(id: string, urn: string, olds: StructBytes, news: StructBytes): Promise<StructBytes> {
        return fields(await this.call("Update", request(id, urn, olds, news))).get(1)?.[0] ?? Buffer.alloc(0);
    }

    async stop(): Promise<void> {
        WireHost.running.delete(this);
        this.client.close();
        if (this.child.exitCode !== null || this.child.signalCode !== null) return;
        const exited = new Promise((resolve) => this.child.once("exit", resolve));
        this.child.kill();
        await exited;
    }

    private call(method: Method, body: Buffer): Promise<Buffer> {
        return new Promise((resolve, reject) => {
            this.client[method](body, (error, response) =>
                error ? reject(new Error(`${method}: ${(error as { details?: string }).details ?? error.message}`)) : resolve(response),
            );
        });
    }
}

/** DiffRequest and UpdateRequest share their first four fields: id, urn, olds, news. */
function request(id: string, urn: string, olds: StructBytes, news: StructBytes): Buffer {
    return Buffer.concat([...stringField(1, id), ...stringField(2, urn), ...bytesField(3, olds), ...bytesField(4, news)]);
}

/**
 * One resource through one `pulumi up`, sequenced as the engine does: check, then create, or diff
 * and update (replace is not expected here and is reported as an error by the caller).
 */
export async function wireUp(host: WireHost, urn: string, inputs: StructBytes, state?: WireState): Promise<{ step: WireStep; state: WireState }> {
    const checked = await host.check(urn, state?.inputs ?? Buffer.alloc(0), inputs);
    if (!state) {
        const created = await host.create(urn, checked);
        return { step: "create", state: { id: created.id, urn, inputs: checked, outputs: created.outputs } };
    }
    const diff = await host.diff(state.id, urn, state.outputs, checked);
    if (diff.replaces) return { step: "replace", state };
    if (!diff.changes) return { step: "same", state };
    const outputs = await host.update(state.id, urn, state.outputs, checked);
    return { step: "update", state: { ...state, inputs: checked, outputs } };
}
