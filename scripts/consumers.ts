/**
 * A consumer of a rotated key, simulated against the emulator's data plane while deployments rotate
 * the key through Pulumi's dynamic-provider host. It proves what each rotation strategy does to the
 * applications that use the key; the tests assert on it and the benchmark prints it.
 *
 * Two consumers use the credential a deployment outputs (activeConnectionString, else activeKey, else
 * the callback URL a Logic Apps Consumption workflow's active key signs):
 * - the live consumer authenticates continuously, during every deployment too, and switches to the
 *   new credential as soon as the deployment that produced it finishes (an app setting updated in
 *   the same deployment);
 * - the late consumer picks the new credential up only just before the next deployment (an app that
 *   reads Key Vault on a cache, or restarts on its own schedule). It is checked right after each
 *   rotation, while it still holds the credential of the deployment before.
 */
import { Agent, request } from "node:https";
import { setTimeout as sleep, setImmediate as tick } from "node:timers/promises";
import { sampleResourceIds } from "../emulator/samples";
import { KeyRotation, type KeyTypeName } from "../src";
import { captureRegistrations, keyRotationUrn, type Props, type ProviderHost, type ResourceState, up } from "./engine";

export interface ConsumerSimulation {
    keyType: string;
    /** Whether new keys were proven before consumers moved to them. */
    verify: boolean;
    rotations: number;
    /** Data-plane calls the live consumer made, and how many were refused. */
    liveAttempts: number;
    liveFailures: number;
    /** Checks of the late consumer (one per rotation), and how many were refused. */
    lateChecks: number;
    lateFailures: number;
}

export interface ConsumerOptions {
    host: ProviderHost;
    /** The emulator's base URL; the data plane is POST {dataPlaneUrl}/dataplane{resourceId}. */
    dataPlaneUrl: string;
    /** The catalog service to rotate, and how. */
    service: string;
    keyType: string;
    rotations: number;
    /**
     * Prove each new key on the service's data plane before consumers move to it (the host must
     * reach the emulator's proxy: HTTPS_PROXY). Off by default here, to show what it prevents.
     */
    verify?: boolean;
    /** Creates the emulated resource (in process, or in the benchmark's emulator process), with its key propagation delay. */
    createResource: (resourceId: string) => unknown;
    /**
     * The live consumer's pause between calls, in milliseconds. 0 (the default): the next call as
     * soon as the last is answered, which keeps a core busy; a few milliseconds still samples every
     * window a rotation can open (a propagating key is refused for hundreds), and leaves the CPU to
     * the deployments and to simulations running side by side.
     */
    liveIntervalMs?: number;
}

interface Deployment {
    host: ProviderHost;
    urn: string;
    /** The KeyRotation's registered inputs (`__provider` included). */
    inputs: Props;
}

/**
 * Creates a resource of `service`, deploys a KeyRotation of it with `keyType`, then rotates it
 * `rotations` times with both consumers watching.
 */
export async function simulateConsumers(options: ConsumerOptions): Promise<ConsumerSimulation> {
    const verify = options.verify ?? false;
    const liveIntervalMs = options.liveIntervalMs ?? 0;
    const resourceId = sampleResourceIds(`consumer-${options.keyType.toLowerCase()}${verify ? "-verified" : ""}`)[options.service];
    await options.createResource(resourceId);
    const name = `consumer-${options.keyType}${verify ? "-verified" : ""}-${options.service}`;
    const [registration] = await captureRegistrations(() => [new KeyRotation(name, { resourceId, keyType: options.keyType as KeyTypeName, verify })]);
    const deployment: Deployment = { host: options.host, urn: keyRotationUrn(name), inputs: registration.inputs };
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const accepts = async (credential: string) => {
        const { status } = await postDataPlane(options.dataPlaneUrl, resourceId, { credential }, agent);
        if (status !== 200 && status !== 401) throw new Error(`the data plane answered ${status}`);
        return status === 200;
    };
    const result: ConsumerSimulation = {
        keyType: options.keyType,
        verify,
        rotations: options.rotations,
        liveAttempts: 0,
        liveFailures: 0,
        lateChecks: 0,
        lateFailures: 0,
    };

    let { state } = await up(deployment.host, deployment.urn, { ...deployment.inputs, trigger: "deploy-0" });
    let live = credentialOf(state);
    // The first deployment's key may still be propagating (without verification): the consumers start once it is accepted.
    for (let waited = 0; !(await accepts(live)); waited += 50) {
        if (waited > 60_000) throw new Error("the credential the first deployment output is still refused after a minute: the simulation cannot start");
        await new Promise((r) => setTimeout(r, 50));
    }

    let stopped = false;
    /** The live consumer's calls with the credential it holds now. */
    let callsWithCurrent = 0;
    const liveLoop = (async () => {
        while (!stopped) {
            const credential = live;
            const ok = await accepts(credential);
            result.liveAttempts++;
            if (!ok) result.liveFailures++;
            if (credential === live) callsWithCurrent++;
            if (liveIntervalMs > 0) await sleep(liveIntervalMs);
            else await tick();
        }
    })();
    // Every credential a deployment outputs is used by the live consumer before the next deployment
    // starts, however fast deployments are: at least rotations + 1 live calls.
    const usedOnce = async () => {
        while (callsWithCurrent === 0) await Promise.race([liveLoop, sleep(1)]);
    };
    try {
        for (let i = 1; i <= options.rotations; i++) {
            await usedOnce();
            const late = credentialOf(state);
            ({ state } = await rotateOnce(deployment, state, i));
            live = credentialOf(state);
            callsWithCurrent = 0;
            result.lateChecks++;
            if (!(await accepts(late))) result.lateFailures++;
        }
        await usedOnce();
    } finally {
        stopped = true;
        await liveLoop;
        agent.destroy();
    }
    return result;
}

async function rotateOnce(deployment: Deployment, state: ResourceState, i: number): Promise<{ state: ResourceState }> {
    const next = await up(deployment.host, deployment.urn, { ...deployment.inputs, trigger: `deploy-${i}` }, state);
    if (next.step !== "update") throw new Error(`deployment ${i} did ${next.step}, not a rotation`);
    return next;
}

/** What a consumer holds: the active connection string, else the active key, else (Logic Apps Consumption) the callback URL signed with the active key. */
function credentialOf(state: ResourceState): string {
    const value = state.outputs.activeConnectionString ?? state.outputs.activeKey ?? state.outputs.callbackUrl;
    if (typeof value !== "string") throw new Error("the KeyRotation has no activeConnectionString, activeKey or callbackUrl output");
    return value;
}

/** One call to the emulator's data plane: POST {base}/dataplane{resourceId} with a JSON body. */
export function postDataPlane(base: string, resourceId: string, body: unknown, agent?: Agent): Promise<{ status: number; body: any }> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
        const req = request(
            `${base}/dataplane${resourceId}`,
            { method: "POST", agent, headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) } },
            (res) => {
                let text = "";
                res.on("data", (d: Buffer) => (text += d));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
            },
        );
        req.on("error", reject);
        req.end(payload);
    });
}
