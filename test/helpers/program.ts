/**
 * Runs a whole Pulumi program under `pulumi.runtime.setMocks`, as the engine would for a preview
 * with known values, and records what every resource registered, secrets still marked: the inputs
 * as serialized on the wire, where a secret is `{ "4dabf18193072939515e22adb298388d": "1b47…", value }`.
 * Like the engine, outputs named in `additionalSecretOutputs` come back as secrets.
 */
import * as pulumi from "@pulumi/pulumi";

// The SDK's own markers: the key every special value carries, and the value that makes it a secret
// (assets, archives and resource references carry the same key with other values).
const { specialSigKey: SIG, specialSecretSig: SECRET_SIG } = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string };

export interface ProgramResource {
    type: string;
    name: string;
    /** The inputs as serialized on the wire (secrets wrapped). */
    wire: Record<string, unknown>;
    /** The same inputs, unwrapped. */
    inputs: Record<string, any>;
    id: string;
    /** The names of the resources it depends on: through `dependsOn` or through the outputs in its inputs. */
    dependsOn: string[];
}

/** Whether a wire value is a secret, and its plain value. */
export function unwrap(value: unknown): { secret: boolean; value: unknown } {
    if (value && typeof value === "object" && (value as Record<string, unknown>)[SIG] === SECRET_SIG) {
        return { secret: true, value: (value as { value: unknown }).value };
    }
    return { secret: false, value };
}

/** The value with every secret wrapper removed. */
export function plain(value: unknown): any {
    const { value: inner } = unwrap(value);
    if (Array.isArray(inner)) return inner.map(plain);
    if (inner && typeof inner === "object") return Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, plain(v)]));
    return inner;
}

/** Whether the value at `path` is sent as a secret: it, or an object or array holding it, is wrapped. */
export function secretAt(wire: unknown, path: Array<string | number>): boolean {
    let node = wire;
    for (let i = 0; ; i++) {
        const { secret, value } = unwrap(node);
        if (secret) return true;
        if (i === path.length || value === null || typeof value !== "object") return false;
        node = (value as Record<string | number, unknown>)[path[i]];
    }
}

export async function runProgram(
    load: () => Record<string, unknown>,
    mock: {
        /** Outputs a resource has after creation, beyond its inputs. */
        outputs?: (type: string, name: string, inputs: Record<string, any>) => Record<string, unknown>;
        id?: (type: string, name: string) => string;
        call?: (token: string) => Record<string, unknown>;
    } = {},
): Promise<{ resources: ProgramResource[]; exports: Record<string, { secret: boolean; value: unknown }> }> {
    const resources: ProgramResource[] = [];
    // Keyed by type and name: resources of different types may share a name.
    const secretOutputs = new Map<string, string[]>();
    const wire = new Map<string, Record<string, unknown>>();
    const dependencies = new Map<string, string[]>();
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const id = mock.id?.(args.type, args.name) ?? `${args.name}-id`;
                const inputs = plain(args.inputs) as Record<string, unknown>;
                const registered = `${args.type}::${args.name}`;
                resources.push({
                    type: args.type,
                    name: args.name,
                    inputs,
                    wire: wire.get(registered) ?? {},
                    id,
                    dependsOn: dependencies.get(registered) ?? [],
                });
                const state: Record<string, unknown> = { ...inputs, ...mock.outputs?.(args.type, args.name, inputs) };
                for (const key of secretOutputs.get(registered) ?? []) if (state[key] !== undefined) state[key] = pulumi.secret(state[key]);
                return { id, state };
            },
            call: (args) => mock.call?.(args.token) ?? {},
        },
        "examples",
        "dev",
        false,
    );
    const settings = require("@pulumi/pulumi/runtime/settings");
    const monitor = settings.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: unknown) => {
        const registered = `${req.getType()}::${req.getName()}`;
        secretOutputs.set(registered, req.getAdditionalsecretoutputsList());
        wire.set(registered, req.getObject()?.toJavaScript() ?? {});
        // URNs end in `::{name}`.
        dependencies.set(
            registered,
            req.getDependenciesList().map((urn: string) => urn.slice(urn.lastIndexOf("::") + 2)),
        );
        return register(req, callback);
    };
    const exported = load();
    const exports: Record<string, { secret: boolean; value: unknown }> = {};
    for (const [name, value] of Object.entries(exported)) {
        if (!pulumi.Output.isInstance(value)) continue;
        const output = value as pulumi.Output<unknown>;
        const [plain, secret] = await Promise.all([
            new Promise<unknown>((resolve) => output.apply((v) => resolve(v))),
            (output as unknown as { isSecret: Promise<boolean> }).isSecret,
        ]);
        exports[name] = { secret, value: plain };
    }
    // Resources no export depends on may still be registering: wait for every RPC, as the engine would.
    await settings.waitForRPCs();
    return { resources, exports };
}
