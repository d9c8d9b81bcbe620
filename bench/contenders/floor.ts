/**
 * The floor: a rotation's HTTPS requests written out by hand with node:https and a keep-alive agent,
 * one token by a plain client-credentials request, no retries, no validation beyond the status.
 * What a rotation cannot go below.
 *
 * Two contenders run this same code: B in a plain process (floorRun), and B' as the smallest
 * dynamic provider, in Pulumi's host (the provider methods below, loaded by the forwarders that
 * floorProvider.ts serializes, as the package's are). So B' − B is the host and the engine hop.
 */
import * as https from "node:https";
import { setTimeout as delay } from "node:timers/promises";
import type { FloorPlan } from "../plans";
import { type BenchTarget, pool } from "../targets";

interface Answer {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
}

/** The AZURE_* variables of the emulator (or of Azure): endpoint, authority, tenant, client id and secret. */
export type FloorEnv = Record<string, string | undefined>;

export class FloorClient {
    private readonly agent: https.Agent;
    private readonly endpoint: string;
    private bearer?: Promise<Record<string, string>>;

    constructor(
        private readonly env: FloorEnv,
        maxSockets: number,
    ) {
        this.agent = new https.Agent({ keepAlive: true, maxSockets });
        this.endpoint = String(env.AZURE_RESOURCE_MANAGER_ENDPOINT).replace(/\/+$/, "");
    }

    /** Regenerates the Primary key as `plan` says and resolves with the key set (parsed JSON). */
    async rotate(plan: FloorPlan): Promise<Record<string, unknown>> {
        this.bearer ??= this.signIn();
        const headers = await this.bearer;
        const url = (path: string) => `${this.endpoint}${path}?api-version=${plan.apiVersion}`;
        const { regenerate } = plan;
        const accepted = expect(await this.send("POST", url(regenerate.path), headers, regenerate.body), regenerate.status, regenerate.path);
        if (regenerate.longRunning && (accepted.status === 201 || accepted.status === 202)) await this.follow(accepted, headers, plan.minPollDelayMs);
        let keys = accepted;
        if (plan.readBack) keys = expect(await this.send("POST", url(plan.readBack), headers, ""), [200], plan.readBack);
        if (plan.endpoint) expect(await this.send("GET", url(plan.endpoint), headers), [200], plan.endpoint);
        return JSON.parse(keys.body);
    }

    close(): void {
        this.agent.destroy();
    }

    private async signIn(): Promise<Record<string, string>> {
        const form = new URLSearchParams({
            grant_type: "client_credentials",
            client_id: String(this.env.AZURE_CLIENT_ID),
            client_secret: String(this.env.AZURE_CLIENT_SECRET),
            scope: `${new URL(this.endpoint).origin}/.default`,
        }).toString();
        const answer = await this.send(
            "POST",
            `${this.env.AZURE_AUTHORITY_HOST}/${this.env.AZURE_TENANT_ID}/oauth2/v2.0/token`,
            { "Content-Type": "application/x-www-form-urlencoded" },
            form,
        );
        const token = JSON.parse(expect(answer, [200], "token").body).access_token;
        return { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json" };
    }

    /** Polls a long-running operation's monitor until it ends, waiting what Retry-After asks (at least `minDelayMs`). */
    private async follow(accepted: Answer, headers: Record<string, string>, minDelayMs: number): Promise<void> {
        const header = (a: Answer, name: string) => String(a.headers[name] ?? "");
        const asyncOperation = header(accepted, "azure-asyncoperation");
        const monitor = asyncOperation || header(accepted, "location");
        let wait = Number(header(accepted, "retry-after") || 0) * 1000;
        for (;;) {
            await delay(Math.max(minDelayMs, wait));
            const status = await this.send("GET", monitor, headers);
            if (asyncOperation) {
                const state = JSON.parse(expect(status, [200], "operation status").body).status;
                if (state === "Succeeded") return;
                if (state === "Failed" || state === "Canceled") throw new Error(`regenerate ${state}`);
            } else if (expect(status, [200, 202, 204], "operation location").status !== 202) return;
            wait = Number(header(status, "retry-after") || 0) * 1000;
        }
    }

    private send(method: string, url: string, headers: Record<string, string>, body?: string): Promise<Answer> {
        return new Promise((resolve, reject) => {
            const req = https.request(
                url,
                { method, agent: this.agent, headers: body === undefined ? headers : { ...headers, "Content-Length": Buffer.byteLength(body) } },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
                    res.on("error", reject);
                },
            );
            req.on("error", reject);
            req.end(body);
        });
    }
}

function expect(answer: Answer, statuses: readonly number[], what: string): Answer {
    if (!statuses.includes(answer.status)) throw new Error(`${what}: HTTP ${answer.status}`);
    return answer;
}

/** Contender B: every target's plan through one client, `concurrency` in flight, in this process. */
export async function floorRun(env: FloorEnv, targets: ReadonlyArray<BenchTarget & { plan: FloorPlan }>, concurrency: number): Promise<void> {
    const client = new FloorClient(env, concurrency);
    try {
        await pool(targets, concurrency, async ({ id, plan }) => {
            if (!(await client.rotate(plan))) throw new Error(`${id}: no key set`);
        });
    } finally {
        client.close();
    }
}

// --- Contender B': the dynamic provider's methods, in Pulumi's host ----------------------------------

let client: FloorClient | undefined;

/** The inputs as given. */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
    return { inputs: news };
}

/** A new trigger rotates; a new resourceId replaces. */
export async function diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const replaces = olds.resourceId === news.resourceId ? [] : ["resourceId"];
    return { changes: replaces.length > 0 || olds.trigger !== news.trigger, replaces };
}

export async function create(inputs: Record<string, unknown>) {
    return { id: String(inputs.resourceId), outs: await rotated(inputs) };
}

export async function update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
    return { outs: await rotated(news) };
}

async function rotated(inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    client ??= new FloorClient(process.env, 32);
    const keys = await client.rotate(JSON.parse(String(inputs.plan)) as FloorPlan);
    return { resourceId: inputs.resourceId, trigger: inputs.trigger, keys };
}
