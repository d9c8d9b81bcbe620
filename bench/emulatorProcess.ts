/**
 * The Azure emulator in a process of its own, so that serving requests never competes with the
 * contenders' event loop. The benchmark drives it over the IPC channel: create resources, read the
 * request log and token count, check the rotations happened.
 */
import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AzureEmulator, type EmulatorOptions, type Fault } from "../emulator";
import { SIGN_IN_OPERATIONS } from "../emulator/signIn";

/** One ARM request as the emulator logged it. */
export interface LoggedRequest {
    method: string;
    path: string;
    operation: string;
    status: number;
}

interface Calls {
    /** Creates resources; `keyPropagationMs`: how long their data planes refuse a new key. */
    createResources(ids: string[], keyPropagationMs?: number): number;
    /** Starts the emulator's proxy (the services' data planes by their real host names) and returns its URL. */
    proxy(): string;
    /** Clears the request log and returns the number of tokens issued so far. */
    reset(): number;
    /** ARM requests and sign-in requests (by operation: `OpenIdConfiguration`, `Token`, ...) since the last reset, and tokens issued in all. */
    log(): EmulatorLog;
    /** Sum over `ids` of how often `keyType` was regenerated. */
    generations(ids: string[], keyType: string): number;
    /** How long every ARM request takes from now on. */
    setArmLatency(ms: number): number;
    /** How long every sign-in request (OpenID configuration, token) takes from now on, as Entra ID over the internet. */
    setSignInLatency(ms: number): number;
}

/** What the emulator logged since its last reset. */
export interface EmulatorLog {
    requests: LoggedRequest[];
    /** Requests to the sign-in routes, by operation (`OpenIdConfiguration`, `Token`, ...). */
    signIn: Record<string, number>;
    /** Tokens issued since the emulator started. */
    tokens: number;
}

type Request = { id: number; method: keyof Calls; args: unknown[] };
type Reply = { id: number; result?: unknown; error?: string };

/** The parent's handle on the emulator process. */
export class EmulatorProcess {
    private nextId = 1;
    private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

    private constructor(
        private readonly child: ChildProcess,
        /** AZURE_* variables (emulator credentials) for clients of this emulator. */
        readonly env: Record<string, string>,
    ) {
        child.on("message", (reply: Reply) => {
            const waiter = this.pending.get(reply.id);
            if (!waiter) return;
            this.pending.delete(reply.id);
            if (reply.error !== undefined) waiter.reject(new Error(reply.error));
            else waiter.resolve(reply.result);
        });
    }

    /** Starts the emulator with a certificate from the CA in `caDir` (written by scripts/caBundle). */
    static async start(caDir: string, options: Pick<EmulatorOptions, "lro">): Promise<EmulatorProcess> {
        const child = fork(__filename, [], {
            env: { ...process.env, KEY_ROTATION_BENCH_CA_DIR: caDir, KEY_ROTATION_BENCH_EMULATOR: JSON.stringify(options) },
            stdio: ["ignore", "inherit", "inherit", "ipc"],
        });
        const env = await new Promise<Record<string, string>>((resolve, reject) => {
            child.once("message", (m: { ready: Record<string, string> }) => resolve(m.ready));
            child.once("exit", (code) => reject(new Error(`the emulator process exited with ${code}`)));
        });
        return new EmulatorProcess(child, env);
    }

    createResources(ids: string[], keyPropagationMs?: number): Promise<number> {
        return this.call("createResources", ids, keyPropagationMs);
    }
    proxy(): Promise<string> {
        return this.call("proxy");
    }
    reset(): Promise<number> {
        return this.call("reset");
    }
    log(): Promise<EmulatorLog> {
        return this.call("log");
    }
    generations(ids: string[], keyType: string): Promise<number> {
        return this.call("generations", ids, keyType);
    }
    setArmLatency(ms: number): Promise<number> {
        return this.call("setArmLatency", ms);
    }
    setSignInLatency(ms: number): Promise<number> {
        return this.call("setSignInLatency", ms);
    }

    async stop(): Promise<void> {
        if (this.child.exitCode !== null) return;
        const exited = new Promise((resolve) => this.child.once("exit", resolve));
        this.child.kill();
        await exited;
    }

    private call<R>(method: keyof Calls, ...args: unknown[]): Promise<R> {
        const id = this.nextId++;
        return new Promise<R>((resolve, reject) => {
            this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
            this.child.send({ id, method, args } satisfies Request);
        });
    }
}

async function serve(): Promise<void> {
    const dir = process.env.KEY_ROTATION_BENCH_CA_DIR!;
    const ca = { certPem: readFileSync(join(dir, "ca.pem"), "utf8"), keyPem: readFileSync(join(dir, "ca-key.pem"), "utf8") };
    const options = JSON.parse(process.env.KEY_ROTATION_BENCH_EMULATOR ?? "{}") as EmulatorOptions;
    const emulator = await AzureEmulator.start({ ...options, ca, caFile: join(dir, "ca.pem") });
    const proxyUrl = await emulator.startProxy();
    const calls: Calls = {
        createResources: (ids, keyPropagationMs) => {
            for (const id of ids) emulator.createResource(id, { keyPropagationMs });
            return ids.length;
        },
        proxy: () => proxyUrl,
        reset: () => {
            emulator.clearRequests();
            return emulator.identity.issued;
        },
        log: () => {
            const signIn: Record<string, number> = {};
            for (const r of emulator.requests) if (SIGN_IN_OPERATIONS.includes(r.operation)) signIn[r.operation] = (signIn[r.operation] ?? 0) + 1;
            return {
                requests: emulator.armRequests().map(({ method, path, operation, status }) => ({ method, path, operation, status })),
                signIn,
                tokens: emulator.identity.issued,
            };
        },
        generations: (ids, keyType) => ids.reduce((sum, id) => sum + (emulator.resource(id)?.generations[keyType] ?? 0), 0),
        setArmLatency: (ms) => (emulator.armLatencyMs = ms),
        setSignInLatency: (ms) => {
            for (const operation of ["OpenIdConfiguration", "Token"])
                emulator.faults.add({ operation, delayMs: ms, count: Number.MAX_SAFE_INTEGER } satisfies Fault);
            return ms;
        },
    };
    process.on("message", (request: Request) => {
        let reply: Reply;
        try {
            reply = { id: request.id, result: (calls[request.method] as (...a: unknown[]) => unknown)(...request.args) };
        } catch (error) {
            reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
        }
        process.send!(reply);
    });
    process.on("disconnect", () => void emulator.stop().then(() => process.exit(0)));
    process.on("SIGTERM", () => void emulator.stop().then(() => process.exit(0)));
    process.send!({ ready: emulator.env() });
}

if (require.main === module) {
    serve().catch((error) => {
        console.error(`bench emulator: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
    });
}
