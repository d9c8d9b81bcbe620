/**
 * Contender B, the floor: the same HTTPS requests the package makes (one token, keep-alive, same
 * concurrency), written out by hand with node:https. No retries, no abstraction: what a rotation
 * cannot go below.
 */
import * as https from "node:https";
import { setTimeout as delay } from "node:timers/promises";
import { type BenchTarget, pool } from "../targets";

interface Response {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
}

function send(agent: https.Agent, method: string, url: string, headers: Record<string, string>, body?: string): Promise<Response> {
    return new Promise((resolve, reject) => {
        const req = https.request(
            url,
            { method, agent, headers: body === undefined ? headers : { ...headers, "Content-Length": Buffer.byteLength(body) } },
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

function expect(response: Response, status: number, what: string): Response {
    if (response.status !== status) throw new Error(`${what}: HTTP ${response.status}`);
    return response;
}

/** Rotates the Primary key of every target; resolves when all are done. */
export async function rawHttpRun(env: Record<string, string>, targets: readonly BenchTarget[], concurrency: number): Promise<void> {
    const base = env.AZURE_RESOURCE_MANAGER_ENDPOINT;
    const agent = new https.Agent({ keepAlive: true, maxSockets: concurrency });
    try {
        const tokenResponse = expect(
            await send(
                agent,
                "POST",
                `${env.AZURE_AUTHORITY_HOST}/${env.AZURE_TENANT_ID}/oauth2/v2.0/token`,
                { "Content-Type": "application/x-www-form-urlencoded" },
                new URLSearchParams({
                    grant_type: "client_credentials",
                    client_id: env.AZURE_CLIENT_ID,
                    client_secret: env.AZURE_CLIENT_SECRET,
                    scope: `${base}/.default`,
                }).toString(),
            ),
            200,
            "token",
        );
        const headers = {
            Authorization: `Bearer ${JSON.parse(tokenResponse.body).access_token}`,
            "Content-Type": "application/json",
            Accept: "application/json",
        };
        const post = (path: string, apiVersion: string, status: number, body = "") =>
            send(agent, "POST", `${base}${path}?api-version=${apiVersion}`, headers, body).then((r) => expect(r, status, path));

        await pool(targets, concurrency, async ({ id, service }) => {
            let keys: Response;
            if (service === "communication") {
                await post(`${id}/regenerateKey`, "2023-03-31", 200, '{"keyType":"Primary"}');
                keys = await post(`${id}/listKeys`, "2023-03-31", 200);
            } else if (service === "apim-subscription") {
                await post(`${id}/regeneratePrimaryKey`, "2022-08-01", 204);
                keys = await post(`${id}/listSecrets`, "2022-08-01", 200);
            } else {
                const accepted = await post(`${id}/regenerateKey`, "2023-02-01", 202, '{"keyType":"Primary"}');
                const monitor = String(accepted.headers["azure-asyncoperation"]);
                let wait = Number(accepted.headers["retry-after"] ?? 0);
                for (;;) {
                    await delay(wait * 1000);
                    const status = expect(await send(agent, "GET", monitor, headers), 200, "operation status");
                    const state = JSON.parse(status.body).status;
                    if (state === "Succeeded") break;
                    if (state === "Failed" || state === "Canceled") throw new Error(`regenerate ${state}`);
                    wait = Number(status.headers["retry-after"] ?? 0);
                }
                keys = await post(`${id}/listKeys`, "2023-02-01", 200);
            }
            if (!JSON.parse(keys.body).primaryKey) throw new Error(`${id}: no primary key in the read-back`);
        });
    } finally {
        agent.destroy();
    }
}
