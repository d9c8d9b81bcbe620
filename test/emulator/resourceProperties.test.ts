/**
 * Every emulated resource answers its ARM GET with the properties a rotation reads: the local-auth
 * setting where the service's spec puts it (on the resource, or on its namespace), and the
 * endpoints consumers use. The table below is written from the services' specs (research notes for
 * issue 19, section A), not from the emulator's or the package's code.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { CATALOG } from "../../src/catalog";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { arm, armToken } from "../helpers/emulatorCalls";

let emulator: AzureEmulator;
let token: string;
before(async () => {
    emulator = await startEmulator();
    token = await armToken(emulator);
});
after(() => emulator.stop());

/** Where a service says its shared keys are off: which GET (the resource's, or its namespace's), the property, its value when off and when on. */
interface LocalAuthSetting {
    /** Read the namespace (`…/namespaces/{name}`) instead of the resource. */
    namespace?: boolean;
    path: string[];
    off: unknown;
    /** Its value when keys are allowed; `undefined`: absent (Storage's allowSharedKeyAccess is null until set). */
    on: unknown;
    /** An api-version that has the property, where the catalog's default does not. */
    apiVersion?: string;
}

const disableLocalAuth: LocalAuthSetting = { path: ["properties", "disableLocalAuth"], off: true, on: false };
const onNamespace: LocalAuthSetting = { ...disableLocalAuth, namespace: true };

const LOCAL_AUTH: Record<string, LocalAuthSetting> = {
    storage: { path: ["properties", "allowSharedKeyAccess"], off: false, on: undefined },
    cosmosdb: disableLocalAuth,
    "servicebus-namespace": onNamespace,
    "servicebus-queue": onNamespace,
    "servicebus-topic": onNamespace,
    "eventhubs-namespace": onNamespace,
    "eventhubs-eventhub": onNamespace,
    "app-configuration": disableLocalAuth,
    "cognitive-services": disableLocalAuth,
    search: disableLocalAuth,
    signalr: disableLocalAuth,
    "web-pubsub": disableLocalAuth,
    "eventgrid-topic": disableLocalAuth,
    "eventgrid-domain": disableLocalAuth,
    maps: disableLocalAuth,
    communication: { ...disableLocalAuth, apiVersion: "2025-05-01" },
    redis: { path: ["properties", "disableAccessKeyAuthentication"], off: true, on: false },
    "managed-redis": { path: ["properties", "accessKeysAuthentication"], off: "Disabled", on: "Enabled" },
    batch: { path: ["properties", "allowedAuthenticationModes"], off: ["AAD", "TaskAuthenticationToken"], on: ["SharedKey", "AAD", "TaskAuthenticationToken"] },
    "container-registry": { path: ["properties", "adminUserEnabled"], off: false, on: true },
};

/** Services with no setting that turns their keys off, in any api-version. */
const NO_SWITCH = [
    "relay-namespace",
    "relay-hybrid-connection",
    "relay-wcf-relay",
    "notificationhubs-namespace",
    "notificationhubs-hub",
    "eventgrid-namespace",
    "logic-apps-standard",
    "logic-apps-consumption",
    "apim-subscription",
    "apim-tenant-access",
];

const at = (body: unknown, path: readonly string[]) => path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], body);

/** The namespace of a SAS rule's id. */
const namespaceOf = (id: string) => /^(.*\/namespaces\/[^/]+)\//i.exec(id)![1];

async function get(id: string, apiVersion: string) {
    return arm(emulator, token, "GET", id, apiVersion);
}

describe("resource GETs say whether shared keys are off, where the spec puts it", () => {
    it("the table covers every catalog service", () => {
        assert.deepEqual(CATALOG.map((e) => e.service).sort(), [...Object.keys(LOCAL_AUTH), ...NO_SWITCH].sort());
    });

    for (const [service, setting] of Object.entries(LOCAL_AUTH)) {
        const entry = CATALOG.find((e) => e.service === service);
        it(`${service}: ${setting.namespace ? "the namespace's " : ""}${setting.path.join(".")} is ${JSON.stringify(setting.off)} when off, ${JSON.stringify(setting.on)} when on`, async () => {
            const apiVersion = setting.apiVersion ?? entry!.defaultApiVersion;
            for (const off of [true, false]) {
                const id = resourceIds(off ? "lauoff" : "lauon")[service];
                emulator.createResource(id, { localAuthDisabled: off });
                const target = setting.namespace ? namespaceOf(id) : id;
                const answer = await get(target, apiVersion);
                assert.equal(answer.status, 200, answer.body);
                const body = answer.json as Record<string, unknown>;
                assert.equal(String(body.id).toLowerCase(), target.toLowerCase(), "the id asked for");
                assert.equal(body.name, target.split("/").pop());
                assert.ok(body.properties && typeof body.properties === "object", "has properties");
                assert.deepEqual(at(body, setting.path), off ? setting.off : setting.on, `${off ? "off" : "on"}: ${answer.body}`);
            }
        });
    }

    for (const service of NO_SWITCH) {
        it(`${service}: has no such setting, so createResource refuses localAuthDisabled`, () => {
            assert.throws(() => emulator.createResource(resourceIds("noswitch")[service], { localAuthDisabled: true }), /localAuthDisabled: .+/);
        });
    }

    it("Service Bus: the namespace GET exists while a rule under it does, and shows the rule's namespace setting to every rule", async () => {
        const ids = resourceIds("nsget");
        const queueRule = ids["servicebus-queue"];
        const namespace = namespaceOf(queueRule);
        assert.equal((await get(namespace, "2026-01-01")).status, 404, "no rule, no namespace");
        emulator.createResource(ids["servicebus-namespace"]);
        emulator.createResource(queueRule, { localAuthDisabled: true });
        const answer = await get(namespace, "2026-01-01");
        assert.equal(answer.status, 200);
        assert.equal(at(answer.json, ["properties", "disableLocalAuth"]), true);
        assert.equal(at(answer.json, ["type"]), "Microsoft.ServiceBus/Namespaces");
        const endpoint = String(at(answer.json, ["properties", "serviceBusEndpoint"]));
        assert.equal(endpoint, `https://${namespace.split("/").pop()!.toLowerCase()}.servicebus.windows.net:443/`);
        // The namespace rule, created without the setting, is refused too: the setting is the namespace's.
        assert.equal(emulator.authenticate(ids["servicebus-namespace"], emulator.resource(ids["servicebus-namespace"])!.keys.Primary), undefined);
    });

    it("a GET of the resource is logged with the spec's operation id", async () => {
        const id = resourceIds("opid").cosmosdb;
        emulator.createResource(id);
        emulator.clearRequests();
        await get(id, "2025-10-15");
        assert.equal(emulator.armRequests()[0].operation, "DatabaseAccounts_Get");
    });
});

describe("resource GETs hold the endpoints consumers use", () => {
    const ENDPOINTS: Array<[string, string[], (name: string) => string]> = [
        ["storage", ["properties", "primaryEndpoints", "blob"], (n) => `https://${n}.blob.core.windows.net/`],
        ["storage", ["properties", "primaryEndpoints", "queue"], (n) => `https://${n}.queue.core.windows.net/`],
        ["cosmosdb", ["properties", "documentEndpoint"], (n) => `https://${n}.documents.azure.com:443/`],
        ["app-configuration", ["properties", "endpoint"], (n) => `https://${n}.azconfig.io`],
        ["cognitive-services", ["properties", "endpoint"], (n) => `https://${n}.openai.azure.com/`],
        ["signalr", ["properties", "hostName"], (n) => `${n}.service.signalr.net`],
        ["web-pubsub", ["properties", "hostName"], (n) => `${n}.webpubsub.azure.com`],
        ["eventgrid-topic", ["properties", "endpoint"], (n) => `https://${n}.westus-1.eventgrid.azure.net/api/events`],
        ["communication", ["properties", "hostName"], (n) => `${n}.communication.azure.com`],
        ["redis", ["properties", "hostName"], (n) => `${n}.redis.cache.windows.net`],
        ["batch", ["properties", "accountEndpoint"], (n) => `${n}.westus.batch.azure.com`],
        ["container-registry", ["properties", "loginServer"], (n) => `${n}.azurecr.io`],
    ];
    for (const [service, path, expected] of ENDPOINTS) {
        it(`${service}: ${path.join(".")}`, async () => {
            const id = resourceIds("endpoints")[service];
            if (!emulator.resource(id)) emulator.createResource(id);
            const entry = CATALOG.find((e) => e.service === service)!;
            const answer = await get(id, entry.defaultApiVersion);
            assert.equal(at(answer.json, path), expected(id.split("/").pop()!.toLowerCase()));
        });
    }

    it("a Managed Redis database's host name is its cluster's", async () => {
        const id = resourceIds("endpoints")["managed-redis"];
        emulator.createResource(id);
        const cluster = id.replace(/\/databases\/[^/]+$/, "");
        const answer = await get(cluster, "2025-07-01");
        assert.equal(answer.status, 200);
        assert.equal(at(answer.json, ["properties", "hostName"]), `${cluster.split("/").pop()!.toLowerCase()}.westus.redis.azure.net`);
        assert.equal(at((await get(id, "2025-07-01")).json, ["properties", "port"]), 10000);
    });

    it("a firewall shows in the network rules: Storage's networkAcls deny by default", async () => {
        const id = resourceIds("fwprops").storage;
        emulator.createResource(id, { firewall: true });
        const answer = await get(id, "2025-06-01");
        assert.equal(at(answer.json, ["properties", "networkAcls", "defaultAction"]), "Deny");
    });
});
