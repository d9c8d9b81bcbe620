/**
 * Storage accounts on Azure DNS zone endpoints (`dnsEndpointType: AzureDnsZone`): the account's GET
 * says so and gives `https://{account}.z{NN}.blob.storage.azure.net/` (as the 2025-06-01 example
 * StorageAccountCreateDnsEndpointTypeToAzureDnsZone.json), the data plane answers there through the
 * proxy (the official SDK included), and the standard `{account}.blob.core.windows.net` does not
 * resolve, as in Azure.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BlobServiceClient } from "@azure/storage-blob";
import { type AzureEmulator, STORAGE_DNS_ZONES } from "../../emulator";
import { storagePropertiesHeaders } from "../helpers/dataPlaneSigners";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { arm, armToken, call } from "../helpers/emulatorCalls";

let emulator: AzureEmulator;
let token: string;
let proxy: string;
before(async () => {
    emulator = await startEmulator();
    token = await armToken(emulator);
    proxy = await emulator.startProxy();
});
after(() => emulator.stop());

const nameOf = (id: string) => id.split("/").pop()!;
const properties = async (id: string) => ((await arm(emulator, token, "GET", id, "2025-06-01")).json as { properties: Record<string, unknown> }).properties;

/** Whether the proxy tunnels `host` (it refuses a host no emulated resource has, as DNS would not know it). */
async function resolves(host: string): Promise<boolean> {
    const before = emulator.tunnels.length;
    await call(`https://${host}/`, { proxy }).catch(() => undefined);
    return emulator.tunnels[before].allowed;
}

describe("Storage accounts on Azure DNS zone endpoints", () => {
    it("the GET says AzureDnsZone and gives every endpoint on the account's zone", async () => {
        const id = resourceIds("dnszone").storage;
        const account = nameOf(id);
        const { dnsZone } = emulator.createResource(id, { dnsEndpointType: "AzureDnsZone" });
        assert.ok(dnsZone && STORAGE_DNS_ZONES.includes(dnsZone), `a zone the certificate names: ${dnsZone}`);
        assert.match(dnsZone, /^z\d{2}$/);
        const props = await properties(id);
        assert.equal(props.dnsEndpointType, "AzureDnsZone");
        assert.deepEqual(props.primaryEndpoints, {
            blob: `https://${account}.${dnsZone}.blob.storage.azure.net/`,
            dfs: `https://${account}.${dnsZone}.dfs.storage.azure.net/`,
            file: `https://${account}.${dnsZone}.file.storage.azure.net/`,
            queue: `https://${account}.${dnsZone}.queue.storage.azure.net/`,
            table: `https://${account}.${dnsZone}.table.storage.azure.net/`,
            web: `https://${account}.${dnsZone}.web.storage.azure.net/`,
        });
        // A standard account has neither.
        const standard = resourceIds("dnsstd").storage;
        emulator.createResource(standard);
        const std = await properties(standard);
        assert.equal(std.dnsEndpointType, undefined);
        assert.equal((std.primaryEndpoints as Record<string, string>).blob, `https://${nameOf(standard)}.blob.core.windows.net/`);
    });

    it("the zone is the same for the same account name every time, or the one asked for", () => {
        const id = resourceIds("dnsagain").storage;
        const first = emulator.createResource(id, { dnsEndpointType: "AzureDnsZone" }).dnsZone;
        emulator.deleteResource(id);
        assert.equal(emulator.createResource(id, { dnsEndpointType: "AzureDnsZone" }).dnsZone, first);
        emulator.deleteResource(id);
        assert.equal(emulator.createResource(id, { dnsEndpointType: "AzureDnsZone", dnsZone: "z99" }).dnsZone, "z99");
        assert.throws(() => emulator.createResource(id, { dnsEndpointType: "AzureDnsZone", dnsZone: "z00" }), /dnsZone must be one of/);
        assert.throws(() => emulator.createResource(id, { dnsZone: "z24" }), /dnsZone needs dnsEndpointType: AzureDnsZone/);
        assert.throws(() => emulator.createResource(resourceIds("dnsother").cosmosdb, { dnsEndpointType: "AzureDnsZone" }), /Storage account's/);
    });

    it("the data plane answers on the zone's host; the standard host and another zone's do not resolve", async () => {
        const id = resourceIds("dnsplane").storage;
        const account = nameOf(id);
        const { keys, dnsZone } = emulator.createResource(id, { dnsEndpointType: "AzureDnsZone", dnsZone: "z24" });
        const host = `${account}.${dnsZone}.blob.storage.azure.net`;
        const ok = await call(`https://${host}/?restype=service&comp=properties`, { headers: storagePropertiesHeaders(account, keys.Primary), proxy });
        assert.equal(ok.status, 200, ok.body);
        assert.match(ok.body, /<StorageServiceProperties>/);
        assert.equal(await resolves(`${account}.blob.core.windows.net`), false, "the standard host of a DNS-zone account");
        assert.equal(await resolves(`${account}.z13.blob.storage.azure.net`), false, "another zone");
        const standard = resourceIds("dnsplanestd").storage;
        emulator.createResource(standard);
        assert.equal(await resolves(`${nameOf(standard)}.z24.blob.storage.azure.net`), false, "a standard account on a zone host");
        assert.equal(await resolves(`${nameOf(standard)}.blob.core.windows.net`), true);
    });

    it("@azure/storage-blob, given BlobEndpoint on the zone, reaches the account through the proxy and authenticates", async () => {
        const id = resourceIds("dnssdk").storage;
        const account = nameOf(id);
        const { keys, dnsZone } = emulator.createResource(id, { dnsEndpointType: "AzureDnsZone" });
        const { port } = new URL(proxy);
        const proxyOptions = { host: "http://127.0.0.1", port: Number(port) };
        const connection = (key: string, endpoint?: string) =>
            `DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${key};EndpointSuffix=core.windows.net${endpoint ? `;BlobEndpoint=${endpoint}` : ""}`;
        const endpoint = `https://${account}.${dnsZone}.blob.storage.azure.net/`;
        const client = BlobServiceClient.fromConnectionString(connection(keys.Secondary, endpoint), { proxyOptions, retryOptions: { maxTries: 1 } });
        assert.equal(client.url, endpoint);
        const props = await client.getProperties();
        assert.equal(props.defaultServiceVersion, "2021-12-02");
        emulator.clearRequests();
        // Without the endpoint the SDK goes to {account}.blob.core.windows.net, which does not resolve for this account.
        const standard = BlobServiceClient.fromConnectionString(connection(keys.Secondary), { proxyOptions, retryOptions: { maxTries: 1 } });
        await assert.rejects(standard.getProperties());
        assert.deepEqual(emulator.dataPlaneRequests(), [], "nothing reached the account");
    });
});
