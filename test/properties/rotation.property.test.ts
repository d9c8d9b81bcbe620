/**
 * Guarantees 1 to 4 as properties: for every catalog service, generated sequences of deployments,
 * refreshes and rotations outside Pulumi, each under a generated ARM fault (throttling, conflicts,
 * server errors, dropped connections, expired tokens, short or odd bodies, hostile links and
 * headers, huge bodies), run against the emulator through the provider (in this process, with the
 * real client stack and waits recorded instead of slept). After every step:
 *  1. no bearer token went to any origin but ARM's, and nothing reached the trap origin;
 *  2. a step that succeeded recorded a complete key set that the service accepts now; a step that
 *     failed recorded no key that never existed, and a regenerate that took effect is in the state;
 *  3. no error holds a key, the client secret or a token;
 *  4. the step ended, within a bounded number of requests.
 * After the sequence, one healthy deployment converges on the real keys.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import type { AzureEmulator, Fault, FaultEffect } from "../../emulator";
import { type HostError, inProcessProvider, type Provider, type ResourceState, refresh, stateAfterInitFailure, up } from "../../scripts/engine";
import { AxiosArmClient } from "../../src/arm/client";
import { resolveConfiguration } from "../../src/arm/configuration";
import { createCredential, TokenCache } from "../../src/arm/credential";
import { CATALOG, pairOf, regenerateOperation, SECRET_OUTPUTS, type ServiceEntry } from "../../src/catalog";
import { isCompleteKeySet, ownedOutputs } from "../../src/core/keySet";
import * as providerModule from "../../src/provider";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { register } from "../helpers/host";
import { fastCheckAsync } from "../helpers/properties";

let emulator: AzureEmulator;
let provider: Provider;
let providerSource: unknown;
const MAX_REQUESTS_PER_STEP = 150;

before(async () => {
    emulator = await startEmulator({ lro: { pollsUntilDone: 1, retryAfterSeconds: 0, completeAfterMs: 40 }, triggersPageSize: 1 });
    for (const [k, v] of Object.entries(emulator.env())) if (k !== "NODE_EXTRA_CA_CERTS") process.env[k] = v;
    const configuration = resolveConfiguration(() => undefined, process.env);
    const tokens = new TokenCache(createCredential(configuration), configuration.settings.scope, {
        authority: configuration.settings.authorityHost,
        timeoutMs: 2_000,
    });
    providerModule.useArmClient(
        new AxiosArmClient({
            endpoint: configuration.settings.endpoint,
            tokens,
            // Waits are recorded, not slept; polls are capped low so a step stays short.
            sleep: async () => undefined,
            poll: { maxPolls: 20 },
            requestTimeoutMs: 5_000,
        }),
    );
    provider = inProcessProvider(providerModule);
    providerSource = (await register({ p: { resourceId: resourceIds("prop").signalr } })).p.inputs.__provider;
});
after(async () => {
    providerModule.useArmClient(undefined);
    await emulator.stop();
});

/** Which requests a generated fault hits. */
type Where = "regenerate" | "read" | "poll" | "token" | "any";

interface FaultSpec {
    where: Where;
    effect: FaultEffect & { count?: number };
}

const effects: fc.Arbitrary<FaultSpec["effect"]> = fc.oneof(
    fc.constantFrom<FaultSpec["effect"]>(
        { status: 429, retryAfterSeconds: 0 },
        { status: 503, retryAfterSeconds: 1 },
        { status: 409, code: "Conflict" },
        { status: 500, code: "InternalServerError", count: 10 },
        { status: 401, code: "ExpiredAuthenticationToken" },
        { status: 403, code: "AuthorizationFailed", count: 10 },
        { drop: true },
        { drop: true, count: 10 },
        { delayMs: 20 },
        { tamper: { body: "empty" } },
        { tamper: { body: "html" } },
        { tamper: { body: "notJson" } },
        { tamper: { body: "partial" } },
        { tamper: { body: "huge" } },
        { tamper: { json: { value: [] } } },
        { tamper: { headers: { "Azure-AsyncOperation": null, Location: null } } },
    ),
    fc.constantFrom("asyncOperation", "location", "nextLink").map((kind): FaultSpec["effect"] => {
        const hostile = `${emulator.trapUrl}/steal`;
        if (kind === "nextLink") return { tamper: { nextLink: hostile } };
        return { tamper: { headers: kind === "location" ? { Location: hostile, "Azure-AsyncOperation": null } : { "AZURE-ASYNCOPERATION": hostile } } };
    }),
);
const faultSpec: fc.Arbitrary<FaultSpec | undefined> = fc.option(
    fc.record({ where: fc.constantFrom<Where>("regenerate", "read", "poll", "token", "any"), effect: effects }),
    {
        freq: 3,
    },
);

/** The fault, aimed at this service's operations. */
function aim(entry: ServiceEntry, spec: FaultSpec): Fault[] {
    const read = entry.readKeys;
    const readOps = read.kind === "callbackUrls" ? [read.listOperation, read.callbackOperation] : [read.operation];
    const ops: Record<Where, string[]> = {
        regenerate: [...new Set(entry.keyTypes.map((k) => regenerateOperation(entry, k.name)))],
        read: readOps,
        poll: ["OperationStatus", "OperationResult"],
        token: ["Token"],
        any: [],
    };
    if (spec.where === "any") return [{ ...spec.effect } as Fault];
    return ops[spec.where].map((operation) => ({ ...spec.effect, operation }) as Fault);
}

/** One KeyRotation of a fresh resource, and what the checks need to know about it. */
class World {
    state?: ResourceState;
    trigger = 0;
    /** Every key value the resource has had. */
    readonly history = new Set<string>();
    readonly id: string;
    readonly urn: string;
    readonly inputs: Record<string, unknown>;

    constructor(
        readonly entry: ServiceEntry,
        n: number,
        readonly keyType: string,
    ) {
        this.id = resourceIds(`p${n}`)[entry.service];
        emulator.createResource(this.id);
        this.urn = `urn:pulumi:dev::prop::pulumi-nodejs:dynamic/keyRotation:KeyRotation::p${n}`;
        this.inputs = { resourceId: this.id, keyType, verify: false, __provider: providerSource };
        this.snapshot();
    }

    snapshot(): void {
        for (const value of Object.values(emulator.resource(this.id)!.keys)) this.history.add(value);
    }

    /** Runs one step under a fault and checks the guarantees after it. */
    async step(kind: "deploy" | "refresh", rotate: boolean, fault: FaultSpec | undefined): Promise<void> {
        while (emulator.runningOperations > 0) await new Promise((r) => setTimeout(r, 10));
        this.snapshot();
        const before = { ...emulator.resource(this.id)!.generations };
        // The state's values that work before the step (a portal rotation between steps may have left others stale).
        const validBefore = new Set(this.secretValues(this.state?.outputs).filter((value) => emulator.authenticate(this.id, value)));
        const heldBefore = new Set(this.secretValues(this.state?.outputs));
        emulator.clearRequests();
        emulator.faults.clear();
        for (const f of fault ? aim(this.entry, fault) : []) emulator.faults.add(f);
        if (rotate) this.trigger++;
        const inputs = { ...this.inputs, trigger: String(this.trigger) };
        let error: HostError | undefined;
        let result: { step: string; state?: ResourceState } | undefined;
        const deadline = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the step did not end within 20 s")), 20_000).unref());
        try {
            result = await Promise.race([
                kind === "deploy"
                    ? up(provider, this.urn, inputs, this.state)
                    : this.state
                      ? refresh(provider, this.state).then((s) => ({ step: "refresh", state: s }))
                      : Promise.resolve({ step: "none", state: undefined }),
                deadline,
            ]);
        } catch (e) {
            if ((e as Error).message.startsWith("the step did not end")) throw e;
            error = e as HostError;
        }
        emulator.faults.clear();
        this.snapshot();
        const changed = Object.entries(emulator.resource(this.id)!.generations).some(([k, g]) => g !== before[k]);

        // 1. The token stayed with ARM.
        assert.deepEqual(emulator.tokenLeaks(), []);
        assert.ok(!emulator.requests.some((r) => r.host === new URL(emulator.trapUrl).host), "a request reached the trap origin");
        // 4. Bounded requests.
        assert.ok(emulator.requests.length <= MAX_REQUESTS_PER_STEP, `${emulator.requests.length} requests in one step`);
        // 3. No secret in the error.
        if (error) this.assertNoSecret(error.message);

        if (error) {
            if (error.initFailed) {
                this.state = stateAfterInitFailure(error, this.urn, inputs, this.state);
                assert.ok(this.state.outputs.pendingStep, "an unfinished rotation is recorded as pending");
                // 2. What the state keeps after an unfinished rotation still works: a value the regenerate revoked is dropped.
                for (const value of this.secretValues(this.state.outputs)) {
                    if (heldBefore.has(value) && !validBefore.has(value)) continue;
                    assert.ok(emulator.authenticate(this.id, value), `an unfinished rotation kept a value the service no longer accepts (${error.message})`);
                }
            } else {
                // The engine keeps the state from before: only right when nothing took effect.
                assert.ok(!changed || kind === "refresh", `a regenerate took effect but the failed deployment recorded nothing (${error.message})`);
                if (!this.state && kind === "deploy") return;
            }
            // 2. No made-up key in what the state records.
            for (const name of SECRET_OUTPUTS) {
                const value = this.state?.outputs[name];
                if (typeof value === "string" && name.endsWith("Key")) assert.ok(this.history.has(value), `${name} holds a key the resource never had`);
            }
            return;
        }
        if (result?.state) this.state = result.state;
        if (result?.step === "create" || result?.step === "update" || result?.step === "refresh" || result?.step === "replace") {
            // 2. A success recorded the complete, current key set.
            const outputs = this.state!.outputs;
            // A refresh records the current keys but leaves an unfinished rotation to the next deployment.
            if (kind === "deploy") assert.equal(outputs.pendingStep, undefined);
            assert.ok(isCompleteKeySet(this.entry, outputs as never, this.keyType), "complete");
            this.assertCurrent(outputs);
        }
    }

    /** The secret values (keys, connection strings, callback URLs) of the outputs this KeyRotation owns. */
    secretValues(outputs: Record<string, unknown> | undefined): string[] {
        if (!outputs) return [];
        const owned = ownedOutputs(this.entry, this.keyType);
        return SECRET_OUTPUTS.filter((name) => owned.has(name as never) && outputs[name] !== undefined).flatMap((name) => {
            const value = outputs[name];
            return typeof value === "string" ? [value] : Object.values(value as Record<string, string>);
        });
    }

    /** Every secret value the state holds is accepted by the service now. */
    assertCurrent(outputs: Record<string, unknown>): void {
        const owned = ownedOutputs(this.entry, this.keyType);
        for (const name of SECRET_OUTPUTS) {
            const value = outputs[name];
            if (value === undefined || !owned.has(name as never)) continue;
            const credentials = typeof value === "string" ? [value] : Object.values(value as Record<string, string>);
            for (const credential of credentials) assert.ok(emulator.authenticate(this.id, credential), `${name} is not accepted by the service`);
        }
        if (pairOf(this.entry, this.keyType)) assert.ok(outputs.activeKey ?? outputs.activeConnectionString ?? outputs.callbackUrl, "an active credential");
    }

    assertNoSecret(text: string): void {
        for (const value of this.history) assert.ok(!text.includes(value), `a key in: ${text}`);
        assert.ok(!text.includes(emulator.env().AZURE_CLIENT_SECRET), "the client secret");
        assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./.test(text), "a token");
    }
}

class Step implements fc.AsyncCommand<object, World> {
    constructor(
        readonly kind: "deploy" | "refresh",
        readonly rotate: boolean,
        readonly fault: FaultSpec | undefined,
    ) {}
    check = () => true;
    run = (_m: object, world: World) => world.step(this.kind, this.rotate, this.fault);
    toString = () => `${this.kind}${this.rotate ? "(new trigger)" : ""}${this.fault ? ` ${this.fault.where}:${JSON.stringify(this.fault.effect)}` : ""}`;
}

class OutOfBand implements fc.AsyncCommand<object, World> {
    constructor(readonly index: number) {}
    check = () => true;
    run = async (_m: object, world: World) => {
        const consumer = world.entry.keyTypes.filter((k) => k.consumer);
        if (consumer.length > 0) emulator.regenerate(world.id, consumer[this.index % consumer.length].name);
    };
    toString = () => `regenerate outside Pulumi #${this.index}`;
}

const commands = fc.commands(
    [
        fc.tuple(fc.boolean(), faultSpec).map(([rotate, fault]) => new Step("deploy", rotate, fault)),
        faultSpec.map((fault) => new Step("refresh", false, fault)),
        fc.nat({ max: 3 }).map((i) => new OutOfBand(i)),
    ],
    { maxCommands: 6 },
);

let worlds = 0;
describe("guarantees 1 to 4 after every step of generated fault sequences, for every service", () => {
    for (const entry of CATALOG) {
        const keyType = pairOf(entry, "Alternate") ? "Alternate" : (entry.keyTypes.find((k) => k.consumer)?.name ?? entry.keyTypes[0].name);
        it(`${entry.service} (${keyType}): every step keeps the guarantees, and a healthy deployment converges on the real keys`, async () => {
            await fastCheckAsync(
                fc.asyncProperty(commands, async (cmds) => {
                    const world = new World(entry, ++worlds, keyType);
                    await world.step("deploy", true, undefined);
                    await fc.asyncModelRun(() => ({ model: {}, real: world }), cmds);
                    await world.step("deploy", true, undefined);
                    assert.equal(world.state?.outputs.pendingStep, undefined);
                }),
                4,
            );
        });
    }
});
