import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { AxiosArmClient } from "../../src/arm/client";

// The client tells axios "no proxy" once when no proxy variable is set; with one set, requests
// must still go through the proxy (platform teams behind a corporate proxy rely on it).
describe("the ARM client and HTTPS_PROXY", () => {
    let proxy: Server;
    const connects: string[] = [];
    const saved = {
        HTTPS_PROXY: process.env.HTTPS_PROXY,
        https_proxy: process.env.https_proxy,
        NO_PROXY: process.env.NO_PROXY,
        no_proxy: process.env.no_proxy,
    };

    before(async () => {
        proxy = createServer((req, res) => {
            connects.push(`${req.method} ${req.url}`);
            res.writeHead(403).end();
        });
        proxy.on("connect", (req, socket) => {
            connects.push(`CONNECT ${req.url}`);
            socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
        });
        await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    });
    after(async () => {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
        await new Promise((resolve) => proxy.close(resolve));
    });

    const send = (client: AxiosArmClient) =>
        client.send({
            method: "POST",
            path: "/subscriptions/00000000-0000-0000-0000-000000000001/x/listKeys",
            apiVersion: "2023-02-01",
            expect: [200],
            operation: "SignalR_ListKeys",
            resourceId: "/subscriptions/00000000-0000-0000-0000-000000000001/x",
        });

    it("sends requests through the proxy named by HTTPS_PROXY", async () => {
        delete process.env.NO_PROXY;
        delete process.env.no_proxy;
        delete process.env.https_proxy;
        process.env.HTTPS_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
        connects.length = 0;
        const client = new AxiosArmClient({ endpoint: "https://management.example.test", tokens: { token: async () => "t" }, retry: { maxAttempts: 1 } });
        await assert.rejects(send(client));
        assert.ok(
            connects.some((c) => c.includes("management.example.test")),
            `the proxy saw: ${connects.join(", ") || "nothing"}`,
        );
    });

    it("goes direct when no proxy variable is set", async () => {
        delete process.env.HTTPS_PROXY;
        delete process.env.https_proxy;
        connects.length = 0;
        const client = new AxiosArmClient({
            endpoint: `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
            tokens: { token: async () => "t" },
            retry: { maxAttempts: 1 },
        });
        await assert.rejects(send(client)); // TLS to a plain HTTP server fails; what matters is that no proxy was asked
        assert.equal(connects.filter((c) => c.startsWith("CONNECT")).length, 0);
    });
});
