/**
 * A stand-in for the Pulumi engine, for the demo and the tests: it captures a resource's real inputs
 * (the serialized `__provider` included) by constructing it under `pulumi.runtime.setMocks`, then
 * drives Pulumi's own dynamic-provider host over gRPC with the calls `pulumi up`, `refresh` and
 * `destroy` make. The Pulumi CLI cannot be installed here; this exercises the same host and wire.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const statusproto = require("@pulumi/pulumi/proto/status_pb");
const structproto = require("google-protobuf/google/protobuf/struct_pb");
const { specialSigKey: SIG, specialSecretSig: SECRET_SIG } = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string };

export type Props = Record<string, unknown>;

/** What the engine registered for one resource. */
export interface Registration {
    type: string;
    name: string;
    inputs: Props;
    /** The outputs the SDK asked the engine to keep secret. */
    additionalSecretOutputs: string[];
}

/** The capture under way: Pulumi's mocks are the process's, so captures run one at a time. */
let capturing: Promise<unknown> = Promise.resolve();

/**
 * Runs `declare` (which constructs resources) under Pulumi's mocks and returns what each resource
 * registered: type, name and serialized inputs, exactly as the engine would receive them. Calls made
 * at once (simulations running side by side) wait for each other.
 */
export function captureRegistrations(declare: () => unknown): Promise<Registration[]> {
    const capture = capturing.then(() => captureNow(declare));
    capturing = capture.catch(() => undefined);
    return capture;
}

async function captureNow(declare: () => unknown): Promise<Registration[]> {
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    const registrations: Registration[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registrations.push({ type: args.type, name: args.name, inputs: args.inputs, additionalSecretOutputs: [] });
                return { id: `${args.name}-id`, state: args.inputs };
            },
            call: () => ({}),
        },
        "key-rotation",
        "dev",
        false,
    );
    // The engine, not the SDK, applies additionalSecretOutputs; read them off the register request.
    const settings = require("@pulumi/pulumi/runtime/settings");
    const monitor = settings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    const secretOutputs = new Map<string, string[]>();
    monitor.registerResource = (req: any, callback: unknown) => {
        secretOutputs.set(req.getName(), req.getAdditionalsecretoutputsList());
        return register(req, callback);
    };
    const resources = declare() as Array<{ urn: { promise?: () => Promise<string> } }> | undefined;
    // Registration is asynchronous: wait until every resource has its URN.
    for (const r of [resources ?? []].flat()) {
        await new Promise<void>((resolve) => (r.urn as unknown as { apply: (f: (u: string) => void) => void }).apply(() => resolve()));
    }
    for (const r of registrations) r.additionalSecretOutputs = secretOutputs.get(r.name) ?? [];
    return registrations;
}

/** A directory whose node_modules resolves `pulumi-azure-key-rotation` to this checkout. */
export function programDirectory(packageRoot: string): string {
    const dir = mkdtempSync(join(tmpdir(), "key-rotation-program-"));
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(packageRoot, join(dir, "node_modules", "pulumi-azure-key-rotation"), "dir");
    return dir;
}

export interface CheckResult {
    inputs: Props;
    failures: Array<{ property: string; reason: string }>;
}

export interface DiffResult {
    changes: "none" | "some" | "unknown";
    replaces: string[];
    deleteBeforeReplace: boolean;
}

/** A gRPC error from the host, with ErrorResourceInitFailed details when the provider sent them. */
export interface HostError extends Error {
    code?: number;
    initFailed?: { id: string; properties: Props; reasons: string[] };
}

/**
 * Spawns Pulumi's dynamic-provider host (or `hostScript`, a wrapper that loads it) in `cwd` as the
 * engine does, and resolves with the port it prints. `onStderr` receives everything it logs.
 */
export async function spawnHost(options: {
    cwd: string;
    env?: Record<string, string>;
    hostScript?: string;
    onStderr?: (text: string) => void;
}): Promise<{ child: ChildProcess; port: number }> {
    const script = options.hostScript ?? require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");
    // The host exits when this process is gone (its stdin closes): a killed run leaves no host behind.
    const child = spawn(process.execPath, ["-r", join(__dirname, "exitWithParent.js"), script, "127.0.0.1:0"], {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        stdio: ["pipe", "pipe", "pipe"],
    });
    let recent = "";
    child.stderr!.on("data", (d: Buffer) => {
        recent = (recent + d.toString()).slice(-4000);
        options.onStderr?.(d.toString());
    });
    const port = await new Promise<number>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
            const m = /^(\d+)\s*$/m.exec(out);
            if (m) resolve(Number(m[1]));
        });
        child.once("exit", (code) => reject(new Error(`the provider host exited with ${code}: ${recent}`)));
    });
    return { child, port };
}

/** Stack config as `pulumi config set [--secret]` would hold it: full keys, e.g. `azure-native:clientId`. */
export type StackConfig = Record<string, string | { secret: string }>;

/** The engine sends a dynamic provider every config value as a string, secrets wrapped as secrets. */
function configArgs(config: StackConfig): Props {
    return Object.fromEntries(
        Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : { [SIG]: SECRET_SIG, value: value.secret }]),
    );
}

/** Pulumi's dynamic-provider host, spawned as the engine spawns it, and a client for it. */
export class ProviderHost {
    private stderrText = "";

    private constructor(
        private readonly child: ChildProcess,
        private readonly client: any,
    ) {}

    /**
     * Starts the host in `cwd` (the program directory: where the package resolves from) with `env`
     * added to this process's environment, e.g. an emulator's AZURE_* and NODE_EXTRA_CA_CERTS.
     */
    static async start(options: { cwd: string; env?: Record<string, string>; hostScript?: string; config?: StackConfig }): Promise<ProviderHost> {
        let host: ProviderHost | undefined;
        let early = "";
        const { child, port } = await spawnHost({
            ...options,
            // One listener for the host's whole life: it logs provider errors to stderr.
            onStderr: (text) => {
                if (host) host.stderrText += text;
                else early += text;
            },
        });
        const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        host = new ProviderHost(child, client);
        host.stderrText = early;
        await host.call(
            "configure",
            new provproto.ConfigureRequest().setArgs(structproto.Struct.fromJavaScript(configArgs(options.config ?? {}))).setAcceptsecrets(true),
        );
        return host;
    }

    /** What the host wrote to stderr (it logs provider errors there). */
    get stderr(): string {
        return this.stderrText;
    }

    /** The host's process id (to read its memory use). */
    get pid(): number | undefined {
        return this.child.pid;
    }

    /** Whether the host process is still running. */
    get alive(): boolean {
        return this.child.exitCode === null && this.child.signalCode === null;
    }

    async check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
        const req = new provproto.CheckRequest().setUrn(urn).setOlds(struct(olds)).setNews(struct(news)).setRandomseed(Buffer.alloc(32));
        const resp = await this.call("check", req);
        return {
            inputs: resp.getInputs()?.toJavaScript() ?? {},
            failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(id: string, urn: string, olds: Props, news: Props): Promise<DiffResult> {
        const resp = await this.call("diff", new provproto.DiffRequest().setId(id).setUrn(urn).setOlds(struct(olds)).setNews(struct(news)));
        const changes = resp.getChanges();
        const kinds = provproto.DiffResponse.DiffChanges;
        return {
            changes: changes === kinds.DIFF_NONE ? "none" : changes === kinds.DIFF_SOME ? "some" : "unknown",
            replaces: resp.getReplacesList(),
            deleteBeforeReplace: resp.getDeletebeforereplace(),
        };
    }

    async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
        const resp = await this.call("create", new provproto.CreateRequest().setUrn(urn).setProperties(struct(properties)));
        return { id: resp.getId(), properties: resp.getProperties().toJavaScript() };
    }

    async read(id: string, urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
        const resp = await this.call("read", new provproto.ReadRequest().setId(id).setUrn(urn).setProperties(struct(properties)));
        return { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} };
    }

    async update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }> {
        const resp = await this.call("update", new provproto.UpdateRequest().setId(id).setUrn(urn).setOlds(struct(olds)).setNews(struct(news)));
        return { properties: resp.getProperties().toJavaScript() };
    }

    async delete(id: string, urn: string, properties: Props): Promise<void> {
        await this.call("delete", new provproto.DeleteRequest().setId(id).setUrn(urn).setProperties(struct(properties)));
    }

    async stop(): Promise<void> {
        this.client.close();
        if (!this.alive) return;
        const exited = new Promise((resolve) => this.child.once("exit", resolve));
        this.child.kill();
        await exited;
    }

    private call(method: string, request: unknown): Promise<any> {
        return new Promise((resolve, reject) => {
            this.client[method](request, (error: any, response: any) => {
                if (!error) return resolve(response);
                const hostError: HostError = new Error(error.details ?? error.message);
                hostError.code = error.code;
                const details = error.metadata?.get("grpc-status-details-bin")?.[0];
                if (details) {
                    const status = statusproto.Status.deserializeBinary(details);
                    for (const any of status.getDetailsList()) {
                        if (!String(any.getTypeUrl()).endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
                        const init = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue());
                        hostError.initFailed = {
                            id: init.getId(),
                            properties: init.getProperties()?.toJavaScript() ?? {},
                            reasons: init.getReasonsList(),
                        };
                    }
                }
                reject(hostError);
            });
        });
    }
}

function struct(value: Props): unknown {
    return structproto.Struct.fromJavaScript(value);
}

/** One resource's state, as the engine keeps it between deployments. */
export interface ResourceState {
    id: string;
    urn: string;
    inputs: Props;
    outputs: Props;
}

export type Step = "create" | "update" | "replace" | "same";

/** Thrown when `check` reports failures: the engine stops before any create or update. */
export class CheckFailedError extends Error {
    constructor(readonly failures: CheckResult["failures"]) {
        super(failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
    }
}

/**
 * One resource through one `pulumi up`: check, then create, or diff and update / replace / nothing,
 * as the engine sequences them.
 */
/** The provider calls the engine makes: Pulumi's host over gRPC, or the provider in this process. */
export type Provider = Pick<ProviderHost, "check" | "diff" | "create" | "update" | "read" | "delete">;

export async function up(host: Provider, urn: string, inputs: Props, state?: ResourceState): Promise<{ step: Step; state: ResourceState }> {
    const checked = await host.check(urn, state?.inputs ?? {}, inputs);
    if (checked.failures.length > 0) throw new CheckFailedError(checked.failures);
    if (!state) {
        const created = await host.create(urn, checked.inputs);
        return { step: "create", state: { id: created.id, urn, inputs: checked.inputs, outputs: created.properties } };
    }
    const diff = await host.diff(state.id, urn, state.outputs, checked.inputs);
    if (diff.replaces.length > 0) {
        const created = await host.create(urn, checked.inputs);
        await host.delete(state.id, urn, state.outputs);
        return { step: "replace", state: { id: created.id, urn, inputs: checked.inputs, outputs: created.properties } };
    }
    if (diff.changes === "none") return { step: "same", state };
    const updated = await host.update(state.id, urn, state.outputs, checked.inputs);
    return { step: "update", state: { ...state, inputs: checked.inputs, outputs: updated.properties } };
}

/**
 * The state the engine records when a create or update fails with ErrorResourceInitFailed: the
 * provider's properties as outputs, the checked inputs as inputs. The next `pulumi up` updates it.
 */
export function stateAfterInitFailure(error: HostError, urn: string, inputs: Props, previous?: ResourceState): ResourceState {
    if (!error.initFailed) throw error;
    return { id: error.initFailed.id || previous?.id || "", urn, inputs, outputs: error.initFailed.properties };
}

/**
 * What the engine does with secrets for a provider that does not accept them (the dynamic-provider
 * host answers Configure with acceptSecrets false): it strips them before sending, then marks an
 * output secret when the input of the same name held a secret (Go engine: plugin.annotateSecrets),
 * and marks every additionalSecretOutputs name. Returns the names of the outputs stored as secrets.
 */
export function secretOutputNames(outputs: Props, secretInputs: readonly string[], additionalSecretOutputs: readonly string[]): string[] {
    return Object.keys(outputs).filter((name) => secretInputs.includes(name) || additionalSecretOutputs.includes(name));
}

/** One resource through `pulumi refresh`. An empty id means the resource is gone. */
export async function refresh(host: Provider, state: ResourceState): Promise<ResourceState | undefined> {
    const read = await host.read(state.id, state.urn, state.outputs);
    return read.id ? { ...state, outputs: read.properties } : undefined;
}

/**
 * The state as a deployment `days` later sees it: the recorded times (`rotatedAt`, the schedule's
 * `nextRotationAt`, in inputs and outputs) moved back. How the demo and tests let time pass.
 */
export function stateAged(state: ResourceState, days: number): ResourceState {
    const shift = (props: Props) => {
        const out = { ...props };
        for (const key of ["nextRotationAt", "rotatedAt"]) {
            if (typeof out[key] === "string") out[key] = new Date(Date.parse(out[key] as string) - days * 86_400_000).toISOString();
        }
        return out;
    };
    return { ...state, inputs: shift(state.inputs), outputs: shift(state.outputs) };
}

/** The URN the engine would give a KeyRotation named `name`. */
export function keyRotationUrn(name: string): string {
    return `urn:pulumi:dev::key-rotation::pulumi-nodejs:dynamic/keyRotation:KeyRotation::${name}`;
}

/**
 * The provider module called in this process, as the host calls it: the same calls and the same
 * errors (an error with an id becomes ErrorResourceInitFailed), without gRPC. For property tests
 * that run many deployments.
 */
export function inProcessProvider(provider: {
    check(olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckResult["failures"] }>;
    diff(id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
    create(inputs: Props): Promise<{ id: string; outs: Props }>;
    update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
    read(id: string, props: Props): Promise<{ id: string; props: Props }>;
}): Provider {
    const withProvider = (outs: Props, props: Props) => ({ ...outs, __provider: props.__provider });
    const hostError = (e: unknown): HostError => {
        const error = e as Error & { id?: string; properties?: Props; reasons?: string[] };
        const wrapped: HostError = new Error(error.message);
        if (error.id) wrapped.initFailed = { id: error.id, properties: error.properties ?? {}, reasons: error.reasons ?? [] };
        return wrapped;
    };
    const call = async <T>(work: () => Promise<T>): Promise<T> => {
        try {
            return await work();
        } catch (e) {
            throw hostError(e);
        }
    };
    // The host answers Configure with acceptSecrets false: values arrive plain, as JSON would carry them.
    const plain = (props: Props) => JSON.parse(JSON.stringify(props)) as Props;
    return {
        check: (_urn, olds, news) => call(() => provider.check(plain(olds), plain(news))),
        diff: (id, _urn, olds, news) =>
            call(async () => {
                const d = await provider.diff(id, plain(olds), plain(news));
                return { changes: d.changes ? "some" : "none", replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace };
            }),
        create: (_urn, properties) =>
            call(async () => {
                const r = await provider.create(plain(properties));
                return { id: r.id, properties: withProvider(plain(r.outs), properties) };
            }),
        update: (id, _urn, olds, news) =>
            call(async () => ({ properties: withProvider(plain((await provider.update(id, plain(olds), plain(news))).outs), news) })),
        read: (id, _urn, properties) =>
            call(async () => {
                const r = await provider.read(id, plain(properties));
                return { id: r.id, properties: r.id ? withProvider(plain(r.props), properties) : {} };
            }),
        delete: async () => undefined,
    };
}
