/**
 * The official data-plane SDKs as consumers of what a KeyRotation outputs. A KeyRotation rotates a
 * key through Pulumi's dynamic-provider host; each SDK then runs, through HTTPS_PROXY (the
 * emulator's proxy, which tunnels the services' real host names to the emulator), with nothing but
 * the outputs (a connection string, or endpoint and key): it authenticates with the current key
 * and is refused once the next rotation has revoked it. This proves the outputs work with the
 * clients users run, against each service's own authentication scheme.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AppConfigurationClient } from "@azure/app-configuration";
import { PhoneNumbersClient } from "@azure/communication-phone-numbers";
import { CosmosClient } from "@azure/cosmos";
import { AzureKeyCredential, SearchIndexClient } from "@azure/search-documents";
import { BlobServiceClient } from "@azure/storage-blob";
import { WebPubSubServiceClient } from "@azure/web-pubsub";
import { HttpsProxyAgent } from "https-proxy-agent";
import { AzureOpenAI } from "openai";
import type { AzureEmulator } from "../../emulator";
import { keyRotationUrn, type ProviderHost, type ResourceState, up } from "../../scripts/engine";
import { CATALOG } from "../../src/catalog";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { register, startHost } from "../helpers/host";
import { proxiedFetch } from "../helpers/proxiedFetch";

let emulator: AzureEmulator;
let host: ProviderHost;
let stopHost: () => Promise<void>;
let proxy: string;
const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };

before(async () => {
    emulator = await startEmulator();
    proxy = await emulator.startProxy();
    // The host reaches ARM through the proxy as well (it tunnels the emulator's own address), as the provider would behind one.
    ({ host, stop: stopHost } = await startHost(emulator, { HTTPS_PROXY: proxy }));
    process.env.HTTPS_PROXY = proxy;
    delete process.env.NO_PROXY;
});
after(async () => {
    for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    await stopHost();
    await emulator.stop();
});

type Outputs = Record<string, unknown>;
const str = (o: Outputs, name: string): string => {
    const value = o[name];
    if (typeof value !== "string") throw new Error(`the KeyRotation has no ${name} output`);
    return value;
};

/** One SDK call per service, with only the KeyRotation's outputs. Resolves when the service let it in. */
const CONSUMERS: Record<string, { sdk: string; call: (o: Outputs) => Promise<unknown> }> = {
    communication: {
        sdk: "@azure/communication-phone-numbers listPurchasedPhoneNumbers",
        call: async (o) => {
            const numbers = [];
            for await (const n of new PhoneNumbersClient(str(o, "activeConnectionString")).listPurchasedPhoneNumbers()) numbers.push(n);
            assert.deepEqual(numbers, []);
        },
    },
    signalr: {
        // SignalR's REST API takes the same access-key JWT as Web PubSub's; its SDK's token policy is the JS one there is.
        sdk: "@azure/web-pubsub's token policy on SignalR's REST API (userExists)",
        call: async (o) => assert.equal(await new WebPubSubServiceClient(str(o, "activeConnectionString"), "keyrotation").userExists("probe"), false),
    },
    "web-pubsub": {
        sdk: "@azure/web-pubsub userExists / groupExists",
        call: async (o) => {
            const client = new WebPubSubServiceClient(str(o, "activeConnectionString"), "hub1");
            assert.equal(await client.userExists("user 1"), false);
            assert.equal(await client.groupExists("g1"), false);
        },
    },
    storage: {
        sdk: "@azure/storage-blob getProperties",
        call: async (o) => {
            const properties = await BlobServiceClient.fromConnectionString(str(o, "activeConnectionString")).getProperties();
            assert.equal(properties.staticWebsite?.enabled, false);
        },
    },
    "app-configuration": {
        sdk: "@azure/app-configuration set, get and list settings",
        call: async (o) => {
            const client = new AppConfigurationClient(str(o, "activeConnectionString"));
            await client.setConfigurationSetting({ key: "keyrotation/probe", value: "1" });
            assert.equal((await client.getConfigurationSetting({ key: "keyrotation/probe" })).value, "1");
            const keys = [];
            for await (const setting of client.listConfigurationSettings({ keyFilter: "keyrotation/*" })) keys.push(setting.key);
            assert.deepEqual(keys, ["keyrotation/probe"]);
        },
    },
    search: {
        sdk: "@azure/search-documents getServiceStatistics",
        call: async (o) => {
            const stats = await new SearchIndexClient(str(o, "endpoint"), new AzureKeyCredential(str(o, "activeKey"))).getServiceStatistics();
            assert.equal(stats.counters.indexCounter.usage, 0);
        },
    },
    cosmosdb: {
        sdk: "@azure/cosmos getDatabaseAccount",
        call: async (o) => {
            const client = new CosmosClient({ endpoint: str(o, "endpoint"), key: str(o, "activeKey"), agent: new HttpsProxyAgent(proxy) });
            try {
                const account = await client.getDatabaseAccount();
                assert.equal(account.resource?.consistencyPolicy, "Session");
            } finally {
                client.dispose();
            }
        },
    },
    "cognitive-services": {
        sdk: "openai AzureOpenAI models.list",
        call: async (o) => {
            const client = new AzureOpenAI({
                endpoint: str(o, "endpoint"),
                apiKey: str(o, "activeKey"),
                apiVersion: "2024-10-21",
                fetch: proxiedFetch(proxy),
                maxRetries: 0,
            });
            const models = [];
            for await (const model of client.models.list()) models.push(model.id);
            assert.ok(models.length > 0);
        },
    },
};

describe("official data-plane SDKs with a KeyRotation's outputs, through HTTPS_PROXY", () => {
    for (const [service, consumer] of Object.entries(CONSUMERS)) {
        const present = CATALOG.some((e) => e.service === service);
        it(`${service}: ${consumer.sdk} authenticates with the current key and is refused with the revoked one`, {
            skip: !present && "not in the catalog yet",
        }, async () => {
            const id = resourceIds("sdk")[service];
            emulator.createResource(id);
            const name = `sdk-${service}`;
            const { [name]: reg } = await register({ [name]: { resourceId: id, keyType: "Primary", verify: true } });
            let state: ResourceState | undefined;
            ({ state } = await up(host, keyRotationUrn(name), { ...reg.inputs, trigger: "0" }, state));
            const before = state.outputs;
            assert.ok(before.verifiedAt, "the provider proved the key through the proxy before outputting it");
            await consumer.call(before);

            ({ state } = await up(host, keyRotationUrn(name), { ...reg.inputs, trigger: "1" }, state));
            assert.notEqual(state.outputs.activeKey, before.activeKey, "the key was rotated");
            emulator.clearRequests();
            // The SDK throws; what the service answered is in the emulator's log. (Search's SDK 13.0.0
            // throws a TypeError for the empty body of AI Search's 403, so the error alone cannot say.)
            await assert.rejects(consumer.call(before));
            const refused = emulator.dataPlaneRequests().at(-1);
            assert.ok(refused && [401, 403].includes(refused.status), `the service refused the revoked key: ${JSON.stringify(refused)}`);
            await consumer.call(state.outputs);
            const served = emulator.dataPlaneRequests();
            assert.ok(served.length > 0 && served.every((r) => r.host.toLowerCase().includes(".")), "the SDK reached the service's own host name");
        });
    }
});
