import { request } from "node:https";
import { HttpsProxyAgent } from "https-proxy-agent";

/**
 * A `fetch` that goes through an HTTP CONNECT proxy, for SDKs built on fetch (openai), which
 * Node 20's fetch cannot send through HTTPS_PROXY by itself.
 */
export function proxiedFetch(proxyUrl: string): typeof fetch {
    const agent = new HttpsProxyAgent(proxyUrl);
    return (async (input: string | URL | Request, init?: RequestInit) => {
        const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
        const headers = Object.fromEntries(new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)));
        const body = init?.body === undefined || init.body === null ? undefined : String(init.body);
        return await new Promise<Response>((resolve, reject) => {
            const req = request(url, { method: init?.method ?? "GET", headers, agent }, (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (chunk: Buffer) => chunks.push(chunk));
                res.on("end", () => {
                    const responseHeaders = new Headers();
                    for (const [name, value] of Object.entries(res.headers)) {
                        for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, v);
                    }
                    const status = res.statusCode ?? 0;
                    resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
                });
                res.on("error", reject);
            });
            req.on("error", reject);
            req.end(body);
        });
    }) as typeof fetch;
}
