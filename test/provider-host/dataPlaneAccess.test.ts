/**
 * Ordinary production accounts whose data plane a deployment cannot use as it is, through Pulumi's
 * dynamic-provider host (reaching the data planes through the emulator's proxy, as a rehearsal
 * does): shared keys turned off on the resource, a firewall in front of the data plane, a proxy
 * that stalls, a list-keys that lags behind the regenerate, Storage on Azure DNS zone endpoints.
 * Each ends quickly with the real cause, records what happened, and never moves consumers to a key
 * that was not proven or hands them a revoked one.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BlobServiceClient } from "@azure/storage-blob";
import type { AzureEmulator } from "../../emulator";
import { HANDLERS } from "../../emulator/handlers";
import { keyRotationUrn, type ProviderHost, stateAfterInitFailure, up } from "../../scripts/engine";
import { CATALOG } from "../../src/catalog";
import { resourceIds } from "../helpers/emulator";
import { failing, regenerateCount, sharedHost, startHost } from "../helpers/host";
import { startStallingProxy } from "../helpers/stallingProxy";

let emulator: AzureEmulator;
let host: ProviderHost;
let provider: unknown;
let proxy: string;
sharedHost({ emulator: { lro: { pollsUntilDone: 1, retryAfterSeconds: 0, completeAfterMs: 200 } }, proxy: true }, (shared) => {
    ({ emulator, host, provider, proxy } = shared);
});

let n = 0;
function resource(service: string, options: Parameters<AzureEmulator["createResource"]>[1] = {}): string {
    const id = resourceIds(`dpa${++n}`)[service];
    emulator.createResource(id, options);
    return id;
}
const rotation = (id: string, extra: Record<string, unknown> = {}) => ({
    urn: keyRotationUrn(`dpa${++n}`),
    inputs: { resourceId: id, trigger: "1", verify: true, __provider: provider, ...extra } as Record<string, unknown>,
});
const regenerates = () => regenerateCount(emulator);

describe("shared keys turned off on the resource", () => {
    // Services whose resource says it, and whose ARM keeps serving keys (the others refuse at ARM: serviceFailures.test).
    const services = CATALOG.filter((e) => e.reads?.some((r) => r.sharedKeys) && "scheme" in e.verify && !HANDLERS.get(e.service)?.localAuthDisabled);
    it("covers the services whose properties say so and that have a probe", () => {
        assert.ok(services.length >= 8, services.map((e) => e.service).join(", "));
    });
    for (const entry of services) {
        const setting = entry.reads!.find((r) => r.sharedKeys)!.sharedKeys!;
        it(`${entry.service}: with verify on, the deployment fails before any regenerate, naming ${setting.setting} and what to do`, async () => {
            const id = resource(entry.service, { localAuthDisabled: true });
            const keys = { ...emulator.resource(id)!.keys };
            const r = rotation(id);
            const error = await failing(up(host, r.urn, r.inputs));
            assert.ok(error.message.includes(`has its shared keys turned off (${setting.setting}`), error.message);
            assert.ok(error.message.includes(setting.enable), error.message);
            assert.match(error.message, /remove this KeyRotation.*set `verify: false` to rotate the keys anyway/);
            assert.equal(regenerates(), 0);
            assert.deepEqual(emulator.resource(id)!.keys, keys);
            assert.equal(emulator.dataPlaneRequests().length, 0, "decided from the resource's properties: no probe");
            assert.equal(error.initFailed, undefined, "nothing happened, nothing recorded");
        });
    }

    it("with verify: false it rotates anyway (ARM still serves the keys)", async () => {
        const id = resource("storage", { localAuthDisabled: true });
        const r = rotation(id, { verify: false });
        const { state } = await up(host, r.urn, r.inputs);
        assert.equal(state.outputs.activeKey, emulator.resource(id)!.keys.Secondary);
    });

    it("turned off after the properties were recorded: the probe's answer names it at once; the rotation is recorded as pending verification", async () => {
        const id = resource("storage");
        const r = rotation(id);
        const { state } = await up(host, r.urn, r.inputs);
        emulator.resource(id)!.localAuthDisabled = true;
        emulator.clearRequests();
        const inputs = { ...r.inputs, trigger: "2" };
        const error = await failing(up(host, r.urn, inputs, state));
        assert.match(
            error.message,
            /has its shared keys turned off \(allowSharedKeyAccess: false; its data plane answered: HTTP 403 .*KeyBasedAuthenticationNotPermitted/,
        );
        assert.match(error.message, /set allowSharedKeyAccess to true/);
        assert.equal(emulator.dataPlaneRequests().length, 1, "one probe: waiting cannot change it");
        const props = error.initFailed!.properties;
        assert.equal(props.pendingStep, "verify");
        assert.equal(props.activeKeyType, "Secondary", "consumers stay");
        assert.equal(props.rotatedKeyType, "Primary", "the regenerate is recorded exactly as before");
        // The setting is recorded as off: a new trigger reads it again and stops before another regenerate.
        emulator.clearRequests();
        const pending = stateAfterInitFailure(error, r.urn, inputs, state);
        const again = await failing(up(host, r.urn, { ...r.inputs, trigger: "3" }, pending));
        assert.match(again.message, /has its shared keys turned off \(allowSharedKeyAccess: false; the resource's own properties say so\)/);
        assert.equal(regenerates(), 0);
        // Turned on again: the next trigger rotates.
        emulator.resource(id)!.localAuthDisabled = false;
        const { state: rotated } = await up(host, r.urn, { ...r.inputs, trigger: "4" }, pending);
        assert.equal(rotated.outputs.pendingStep, undefined);
    });
});

describe("a firewall in front of the data plane", () => {
    for (const [service, options, code] of [
        ["storage", {}, /AuthorizationFailure/],
        ["storage", { wrongKeyAnswer: "azurite" as const }, /AuthorizationFailure/],
        ["cosmosdb", {}, /firewall/i],
        ["servicebus-queue", {}, /Ip has been prevented/],
        ["cognitive-services", {}, /Virtual Network\/Firewall/],
    ] as const) {
        it(`${service}${"wrongKeyAnswer" in options ? " (an emulator that answers a wrong key as a firewall)" : ""}: ends after three probes, naming network access, the service's answer and verify: false; pending verification, consumers stay`, async () => {
            const id = resource(service, { ...options, firewall: true });
            const r = rotation(id);
            const error = await failing(up(host, r.urn, r.inputs));
            assert.match(error.message, /has not accepted it yet/);
            assert.match(error.message, /The key that still works \(Primary\) was refused too/);
            assert.match(error.message, /network access to the data plane is blocked from where `pulumi up` runs/);
            assert.match(error.message, /set `verify: false` on this KeyRotation/);
            assert.match(error.message, code, "the service's own answer is in the message");
            assert.equal(emulator.dataPlaneRequests().length, 3, "the new key once, the key that works twice");
            const props = error.initFailed!.properties;
            assert.equal(props.pendingStep, "verify");
            assert.equal(props.activeKeyType, "Primary");
            assert.equal(props.rotatedKeyType, "Secondary");
        });
    }

    it("a key still propagating on an emulator that answers it as a firewall does is waited for, not called a firewall: the key that works is accepted", async () => {
        const id = resource("storage", { wrongKeyAnswer: "azurite", keyPropagationMs: 1_500 });
        const r = rotation(id);
        const { state } = await up(host, r.urn, r.inputs);
        assert.equal(state.outputs.activeKeyType, "Secondary");
        assert.ok(state.outputs.verifiedAt);
    });
});

describe("a proxy that stalls", () => {
    for (const stall of ["connect", "tunnel"] as const) {
        it(`(${stall === "connect" ? "its CONNECT answer" : "the tunnel"} trickled a byte a second, forever) ends with verifyTimeout: pending verification, consumers stay`, {
            timeout: 120_000,
        }, async () => {
            const stalling = await startStallingProxy({ stall, upstream: { host: "127.0.0.1", port: Number(new URL(emulator.url).port) }, intervalMs: 1_000 });
            const { host: slow, stop } = await startHost(emulator, { HTTPS_PROXY: stalling.url, NO_PROXY: "127.0.0.1,localhost" });
            try {
                const id = resource("search");
                const r = rotation(id, { verifyTimeout: "10s" });
                // Without one deadline for tunnel, TLS and answer, this never ends; the test's own limit (a liveness bound) is far above 10 s.
                const error = await failing(up(slow, r.urn, r.inputs));
                assert.match(error.message, /has not accepted it yet/);
                assert.match(error.message, /did not open a tunnel|no answer from/);
                assert.equal(error.initFailed!.properties.pendingStep, "verify");
                assert.equal(error.initFailed!.properties.activeKeyType, "Primary");
            } finally {
                await stop();
                await stalling.stop();
            }
        });
    }
});

describe("a deployer's clock a few minutes slow", () => {
    it("the services' clocks 6 minutes ahead: an hour's SAS token and JWT, and Storage's dated signature, are still accepted", async () => {
        emulator.clockOffsetMs = 6 * 60_000;
        try {
            for (const service of ["servicebus-queue", "signalr", "storage"]) {
                const r = rotation(resource(service));
                const { state } = await up(host, r.urn, r.inputs);
                assert.ok(state.outputs.verifiedAt, `${service} proven`);
            }
        } finally {
            emulator.clockOffsetMs = 0;
        }
    });
});

describe("a list-keys that lags behind the regenerate", () => {
    it("Cosmos DB answering the keys from before once: read again, and the new key is recorded, never the revoked one", async () => {
        const id = resource("cosmosdb");
        const r = rotation(id, { verify: false });
        const { state } = await up(host, r.urn, r.inputs);
        const before = emulator.resource(id)!.keys.Primary;
        emulator.clearRequests();
        emulator.faults.add({ operation: "DatabaseAccounts_ListKeys", stale: true, count: 1 });
        const { state: next } = await up(host, r.urn, { ...r.inputs, trigger: "2" }, state);
        assert.notEqual(next.outputs.primaryKey, before);
        assert.equal(next.outputs.activeKey, emulator.resource(id)!.keys.Primary);
        assert.equal(emulator.armRequests().filter((q) => q.operation === "DatabaseAccounts_ListKeys").length, 2);
    });
});

describe("Storage on Azure DNS zone endpoints", () => {
    it("connection strings name the account's own endpoints, which the official SDK reaches, and the probe goes there", async () => {
        const id = resource("storage", { dnsEndpointType: "AzureDnsZone", dnsZone: "z24" });
        const account = id.split("/").pop()!;
        const r = rotation(id);
        const { state } = await up(host, r.urn, r.inputs);
        const connection = state.outputs.activeConnectionString as string;
        assert.match(
            connection,
            new RegExp(
                `^DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=[^;]+;EndpointSuffix=core\\.windows\\.net;BlobEndpoint=https://${account}\\.z24\\.blob\\.storage\\.azure\\.net/`,
            ),
        );
        const probes = emulator.dataPlaneRequests();
        assert.ok(probes.length > 0 && probes.every((p) => p.host === `${account}.z24.blob.storage.azure.net`), JSON.stringify(probes.map((p) => p.host)));
        const client = BlobServiceClient.fromConnectionString(connection, { proxyOptions: { host: "http://127.0.0.1", port: Number(new URL(proxy).port) } });
        const properties = await client.getProperties();
        assert.ok(properties, "the SDK authenticated at the zone endpoint with the rotated key");
        assert.ok(!emulator.dataPlaneRequests().some((p) => p.host.endsWith("core.windows.net")));
    });
});

describe("a regenerate whose monitor is on a regional ARM host", () => {
    it("Cosmos DB's Azure-AsyncOperation on centraluseuap.management.azure.com is followed as ARM, with the ARM token, and the rotation completes", async () => {
        const { host: cloud, stop } = await startHost(emulator, {
            HTTPS_PROXY: proxy,
            NO_PROXY: "",
            AZURE_RESOURCE_MANAGER_ENDPOINT: "",
            AZURE_AUTHORITY_HOST: "",
        });
        try {
            const id = resource("cosmosdb");
            const r = rotation(id, { verify: false });
            emulator.faults.add({ operation: "DatabaseAccounts_RegenerateKey", tamper: { monitorOrigin: "https://centraluseuap.management.azure.com" } });
            emulator.clearRequests();
            const { state } = await up(cloud, r.urn, r.inputs);
            assert.equal(state.outputs.activeKey, emulator.resource(id)!.keys.Secondary);
            const polls = emulator.requests.filter((q) => q.operation === "OperationStatus");
            assert.ok(polls.length > 0 && polls.every((q) => q.host === "centraluseuap.management.azure.com"), JSON.stringify(polls));
            assert.deepEqual(emulator.tokenLeaks(), []);
        } finally {
            await stop();
        }
    });

    it("a monitor on any other host is refused: no token goes there, and the rotation is recorded as possibly done; the next pulumi up completes it without another regenerate", async () => {
        const id = resource("cosmosdb");
        const r = rotation(id, { verify: false });
        emulator.faults.add({ operation: "DatabaseAccounts_RegenerateKey", tamper: { monitorOrigin: emulator.trapUrl } });
        const error = await failing(up(host, r.urn, r.inputs));
        assert.match(error.message, /UntrustedUrl/);
        assert.equal(error.initFailed!.properties.pendingStep, "regenerate");
        assert.ok(!emulator.requests.some((q) => q.host === new URL(emulator.trapUrl).host));
        // The operation completes on its own; the next deployment sees the key changed.
        await new Promise((resolve) => setTimeout(resolve, 300));
        emulator.clearRequests();
        const { state } = await up(host, r.urn, r.inputs, stateAfterInitFailure(error, r.urn, r.inputs));
        assert.equal(regenerates(), 0);
        assert.equal(state.outputs.activeKey, emulator.resource(id)!.keys.Secondary);
    });
});
