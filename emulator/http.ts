/** The HTTP plumbing every plane shares: listening, reading a body, sending an answer, and a dispatch. */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Server } from "node:https";
import type { EmulatorResponse } from "./errors";
import type { FaultEffect } from "./faults";

/** Where the server sends one request: the operation it is (for the log and faults), and what answers it. */
export interface Dispatch {
    operation: string;
    run: (req: IncomingMessage, url: URL, body: string, fault?: FaultEffect) => Promise<EmulatorResponse> | EmulatorResponse;
    /** The resource whose keys a tamper looks for. */
    resourceId?: string;
}

export async function listen(server: Server, port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
            server.off("error", reject);
            resolve();
        });
    });
}

/** The body as text, cut at 1 MiB. */
export async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > 1 << 20) break;
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
}

export function header(req: IncomingMessage, name: string): string | undefined {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
}

export function send(res: ServerResponse, response: EmulatorResponse): void {
    const headers: Record<string, string> = { "x-ms-request-id": randomUUID(), ...response.headers };
    let payload: string | Buffer = "";
    if (response.rawBody !== undefined) {
        payload = response.rawBody;
        if (response.contentType) headers["Content-Type"] = response.contentType;
    } else if (response.body !== undefined && response.status !== 204) {
        payload = JSON.stringify(response.body);
        headers["Content-Type"] = "application/json; charset=utf-8";
    }
    if (response.statusMessage) res.writeHead(response.status, response.statusMessage, headers);
    else res.writeHead(response.status, headers);
    res.end(payload);
}
