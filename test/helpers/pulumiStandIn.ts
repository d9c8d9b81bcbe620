/**
 * A stand-in for the `pulumi` command, for the README walkthrough: the Pulumi CLI cannot be
 * installed here. It runs the commands the README shows (`stack init`, `config set`, `up`,
 * `preview --json`) in the shell that runs them, with that shell's environment, as the real CLI
 * would: the program (index.ts, compiled) runs under Pulumi's mocks with the project's own
 * `@pulumi/pulumi` to capture what it registers, and each KeyRotation then goes through the
 * project's own copy of Pulumi's dynamic-provider host with the calls `pulumi up` makes.
 *
 *   node dist/test/helpers/pulumiStandIn.js up --yes
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as ts from "typescript";
import { keyRotationUrn, ProviderHost, type ResourceState, type StackConfig, up } from "../../scripts/engine";

const KEY_ROTATION = "pulumi-nodejs:dynamic/keyRotation:KeyRotation";

interface StackFile {
    config: StackConfig;
    resources: Record<string, ResourceState>;
}

/** What a program registered under mocks, and its stack outputs. */
export interface ProgramRun {
    resources: Array<{ type: string; name: string; id: string; inputs: Record<string, unknown> }>;
    outputs: Record<string, { secret: boolean; value: unknown }>;
}

const cwd = process.cwd();
const projectName = () => {
    const file = join(cwd, "Pulumi.yaml");
    if (!existsSync(file)) fail(`no Pulumi.yaml in ${cwd}`);
    return /^name:\s*(\S+)/m.exec(readFileSync(file, "utf8"))?.[1] ?? fail("Pulumi.yaml has no name");
};
const stateDir = () => {
    const backend = process.env.PULUMI_BACKEND_URL;
    return join(backend?.startsWith("file://") ? backend.slice("file://".length) : cwd, ".pulumi-stand-in");
};
const currentStack = () => {
    const file = join(stateDir(), "current");
    return existsSync(file) ? readFileSync(file, "utf8").trim() : fail("no stack selected: run `pulumi stack init NAME`");
};
const stackFile = (stack: string) => join(stateDir(), `${stack}.json`);
const load = (stack: string): StackFile => JSON.parse(readFileSync(stackFile(stack), "utf8"));
const save = (stack: string, data: StackFile) => writeFileSync(stackFile(stack), JSON.stringify(data, null, 2));

function fail(message: string): never {
    process.stderr.write(`error: ${message}\n`);
    process.exit(1);
}

/** Compiles the project's index.ts and runs it under the project's own Pulumi mocks. */
export async function runProgram(dir: string, config: StackConfig, project: string, stack: string): Promise<ProgramRun> {
    const source = join(dir, "index.ts");
    const compiled = join(dir, ".pulumi-stand-in", "program", "index.js");
    mkdirSync(dirname(compiled), { recursive: true });
    const js = ts.transpileModule(readFileSync(source, "utf8"), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
    }).outputText;
    writeFileSync(compiled, js);
    const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [dir] })) as typeof import("@pulumi/pulumi");
    const resources: ProgramRun["resources"] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const id = `${args.type}::${args.name}`;
                resources.push({ type: args.type, name: args.name, id, inputs: args.inputs });
                return { id, state: args.inputs };
            },
            call: () => ({}),
        },
        project,
        stack,
        false,
    );
    for (const [key, value] of Object.entries(config)) pulumi.runtime.setConfig(key, typeof value === "string" ? value : value.secret);
    const exported = require(compiled) as Record<string, unknown>;
    const outputs: ProgramRun["outputs"] = {};
    for (const [name, value] of Object.entries(exported)) {
        if (!pulumi.Output.isInstance(value)) continue;
        const output = value as import("@pulumi/pulumi").Output<unknown>;
        const [plain, secret] = await Promise.all([
            new Promise<unknown>((resolve) => output.apply((v) => resolve(v))),
            (output as unknown as { isSecret: Promise<boolean> }).isSecret,
        ]);
        outputs[name] = { secret, value: plain };
    }
    // As Pulumi's language host does when a program ends: wait until every registration has been sent
    // (a resource whose inputs wait on another's outputs registers after the exports resolve).
    const settings = require(require.resolve("@pulumi/pulumi/runtime/settings", { paths: [dir] })) as { waitForRPCs: () => Promise<void> };
    await settings.waitForRPCs();
    return { resources, outputs };
}

async function deploy(stack: string): Promise<void> {
    const data = load(stack);
    const run = await runProgram(cwd, data.config, projectName(), stack);
    const others = run.resources.filter((r) => r.type !== KEY_ROTATION);
    if (others.length > 0) fail(`this stand-in deploys KeyRotations only; the program also declares ${others.map((r) => r.type).join(", ")}`);
    const host = await ProviderHost.start({
        cwd,
        config: data.config,
        hostScript: require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js", { paths: [cwd] }),
    });
    console.log(`Updating (${stack})`);
    const counts: Record<string, number> = {};
    try {
        for (const resource of run.resources) {
            const { step, state } = await up(host, keyRotationUrn(resource.name), resource.inputs, data.resources[resource.name]);
            data.resources[resource.name] = state;
            save(stack, data);
            counts[step] = (counts[step] ?? 0) + 1;
            const o = state.outputs;
            const rotated = step === "create" || step === "update";
            console.log(
                `    ${resource.name}: ${step}${rotated ? `, rotated ${o.rotatedKeyType}, active ${o.activeKeyType}, reason ${o.rotationReason}` : ""}`,
            );
        }
    } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
    } finally {
        await host.stop();
    }
    console.log(
        `Resources: ${Object.entries(counts)
            .map(([step, n]) => `${n} ${step}`)
            .join(", ")}`,
    );
}

async function main(args: string[]): Promise<void> {
    const [command, ...rest] = args;
    if (command === "stack" && rest[0] === "init" && rest[1]) {
        mkdirSync(stateDir(), { recursive: true });
        save(rest[1], { config: {}, resources: {} });
        writeFileSync(join(stateDir(), "current"), rest[1]);
        console.log(`Created stack '${rest[1]}'`);
    } else if (command === "config" && rest[0] === "set" && rest.length >= 3) {
        const [key, value] = rest.slice(1).filter((a) => a !== "--secret");
        const stack = currentStack();
        const data = load(stack);
        const fullKey = key.includes(":") ? key : `${projectName()}:${key}`;
        data.config[fullKey] = rest.includes("--secret") ? { secret: value } : value;
        save(stack, data);
    } else if (command === "up" && rest.every((a) => ["--yes", "-y", "--skip-preview"].includes(a))) {
        await deploy(currentStack());
    } else if (command === "preview" && rest.every((a) => a === "--json")) {
        const stack = existsSync(join(stateDir(), "current")) ? currentStack() : "dev";
        const config = existsSync(stackFile(stack)) ? load(stack).config : {};
        process.stdout.write(JSON.stringify(await runProgram(cwd, config, projectName(), stack)));
    } else {
        fail(`the pulumi stand-in does not run \`pulumi ${args.join(" ")}\``);
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((error) => fail(error instanceof Error ? error.message : String(error)));
}
