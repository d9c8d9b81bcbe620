/**
 * A consumer of a rotated key, simulated against the emulator's data plane while deployments rotate
 * the key through Pulumi's dynamic-provider host. It proves what each rotation strategy does to the
 * applications that use the key; the tests assert on it and the benchmark prints it.
 *
 * Two consumers use the credential a deployment outputs (activeConnectionString, else activeKey):
 * - the live consumer authenticates continuously, during every deployment too, and switches to the
 *   new credential as soon as the deployment that produced it finishes (an app setting updated in
 *   the same deployment);
 * - the late consumer picks the new credential up only just before the next deployment (an app that
 *   reads Key Vault on a cache, or restarts on its own schedule). It is checked right after each
 *   rotation, while it still holds the credential of the deployment before.
 */
import { Agent, request } from "node:https";
import { setImmediate as tick } from "node:timers/promises";
import { ProviderHost, Props, ResourceState, up } from "./engine";

export interface ConsumerSimulation {
    keyType: string;
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
    urn: string;
    /** The KeyRotation's registered inputs (`__provider` included). */
    inputs: Props;
    rotations: number;
}

/** Deploys the KeyRotation, then rotates it `rotations` times with both consumers watching. */
export async function simulateConsumers(options: ConsumerOptions): Promise<ConsumerSimulation> {
    const resourceId = String(options.inputs.resourceId);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const accepts = (credential: string) => dataPlane(options.dataPlaneUrl, resourceId, credential, agent);
    const result: ConsumerSimulation = {
        keyType: String(options.inputs.keyType ?? "Alternate"),
        rotations: options.rotations,
        liveAttempts: 0,
        liveFailures: 0,
        lateChecks: 0,
        lateFailures: 0,
    };

    let { state } = await up(options.host, options.urn, { ...options.inputs, trigger: "deploy-0" });
    let live = credentialOf(state);
    if (!(await accepts(live))) throw new Error("the credential the first deployment output is refused: the simulation cannot start");

    let stopped = false;
    const liveLoop = (async () => {
        while (!stopped) {
            const ok = await accepts(live);
            result.liveAttempts++;
            if (!ok) result.liveFailures++;
            await tick();
        }
    })();
    try {
        for (let i = 1; i <= options.rotations; i++) {
            const late = credentialOf(state);
            ({ state } = await rotateOnce(options, state, i));
            live = credentialOf(state);
            result.lateChecks++;
            if (!(await accepts(late))) result.lateFailures++;
        }
    } finally {
        stopped = true;
        await liveLoop;
        agent.destroy();
    }
    return result;
}

async function rotateOnce(options: ConsumerOptions, state: ResourceState, i: number): Promise<{ state: ResourceState }> {
    const next = await up(options.host, options.urn, { ...options.inputs, trigger: `deploy-${i}` }, state);
    if (next.step !== "update") throw new Error(`deployment ${i} did ${next.step}, not a rotation`);
    return next;
}

function credentialOf(state: ResourceState): string {
    const value = state.outputs.activeConnectionString ?? state.outputs.activeKey;
    if (typeof value !== "string") throw new Error("the KeyRotation has no activeConnectionString or activeKey output");
    return value;
}

/** One data-plane call: true when the service lets the credential in. */
function dataPlane(base: string, resourceId: string, credential: string, agent: Agent): Promise<boolean> {
    const body = JSON.stringify({ credential });
    return new Promise((resolve, reject) => {
        const req = request(
            `${base}/dataplane${resourceId}`,
            { method: "POST", agent, headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } },
            (res) => {
                res.resume();
                res.on("end", () => {
                    if (res.statusCode === 200) resolve(true);
                    else if (res.statusCode === 401) resolve(false);
                    else reject(new Error(`the data plane answered ${res.statusCode}`));
                });
            },
        );
        req.on("error", reject);
        req.end(body);
    });
}
