/**
 * Plain HTTPS calls to an emulator, for the emulator's own tests: ARM requests with a token from
 * its token endpoint (on its own address, or on a cloud's host names through its proxy), and
 * data-plane requests through its proxy. Nothing of the package's client stack, so these tests
 * hold whatever the provider's core becomes.
 */
import { request } from "node:https";
import { HttpsProxyAgent } from "https-proxy-agent";
import type { AzureEmulator } from "../../emulator";

/** An answer: status, headers (lower-case names) and the body as text. */
export interface Answer {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
}

/** One HTTPS request; through `proxy` (a CONNECT proxy URL) when given. */
export function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; proxy?: string } = {}): Promise<Answer> {
    const agent = options.proxy ? new HttpsProxyAgent(options.proxy) : undefined;
    return new Promise((resolve, reject) => {
        const req = request(url, { method: options.method ?? "GET", headers: options.headers, agent }, (res) => {
            let body = "";
            res.setEncoding("latin1");
            res.on("data", (d: string) => (body += d));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.on("error", reject);
        req.end(options.body);
    });
}

/** A client-credentials token for the emulator's own ARM endpoint. */
export async function armToken(emulator: AzureEmulator): Promise<string> {
    const form = new URLSearchParams({
        grant_type: "client_credentials",
        client_id: emulator.identity.clientId,
        client_secret: emulator.identity.clientSecret,
        scope: `${emulator.url}/.default`,
    });
    const answer = await call(`${emulator.url}/${emulator.identity.tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: form.toString(),
    });
    if (answer.status !== 200) throw new Error(`no token: ${answer.status} ${answer.body}`);
    return (JSON.parse(answer.body) as { access_token: string }).access_token;
}

/** A token for the public cloud's ARM (`https://management.azure.com`), asked of login.microsoftonline.com through the proxy. */
export async function publicCloudToken(emulator: AzureEmulator, proxy: string): Promise<string> {
    const form = new URLSearchParams({
        grant_type: "client_credentials",
        client_id: emulator.identity.clientId,
        client_secret: emulator.identity.clientSecret,
        scope: "https://management.azure.com/.default",
    });
    const answer = await call(`https://login.microsoftonline.com/${emulator.identity.tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: form.toString(),
        proxy,
    });
    if (answer.status !== 200) throw new Error(`no token: ${answer.status} ${answer.body}`);
    return (JSON.parse(answer.body) as { access_token: string }).access_token;
}

/** An ARM request to the emulator's own address: `path` is `/subscriptions/…`, the JSON body parsed when there is one. */
export async function arm(
    emulator: AzureEmulator,
    token: string,
    method: string,
    path: string,
    apiVersion: string,
    body?: unknown,
): Promise<Answer & { json: unknown }> {
    const url = `${emulator.url}${path}${path.includes("?") ? "&" : "?"}api-version=${apiVersion}`;
    const answer = await call(url, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    let json: unknown;
    try {
        json = answer.body ? JSON.parse(answer.body) : undefined;
    } catch {}
    return { ...answer, json };
}
