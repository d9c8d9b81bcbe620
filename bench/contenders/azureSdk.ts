/**
 * Contender C: the official Azure SDK for JavaScript management clients with @azure/identity, as a
 * user writing a rotation script would use them, pointed at the emulator: regenerate, then read the
 * full key set back. One row per service of the bench's mix; a client is created only for the
 * services the run has.
 */
import type { ApiManagementClient } from "@azure/arm-apimanagement";
import type { CommunicationServiceManagementClient } from "@azure/arm-communication";
import type { ServiceBusManagementClient } from "@azure/arm-servicebus";
import type { SignalRManagementClient } from "@azure/arm-signalr";
import type { StorageManagementClient } from "@azure/arm-storage";
import type { TokenCredential } from "@azure/identity";
import { findService } from "../../src/catalog";
import { parseResourceId } from "../../src/core/resourceId";
import { type BenchService, type BenchTarget, pool } from "../targets";

type Names = Record<string, string>;
interface ClientOptions {
    endpoint: string;
    credentialScopes: string[];
}
/** Rotates the Primary key of one target; resolves with the primary key read back. */
type Rotate = (n: Names) => Promise<string | undefined>;

/** Per service: builds its client and returns how to rotate one target with it. */
const SDK: Record<BenchService, (credential: TokenCredential, subscription: string, options: ClientOptions) => Rotate> = {
    communication: (credential, subscription, options) => {
        const { CommunicationServiceManagementClient: Client } = require("@azure/arm-communication") as {
            CommunicationServiceManagementClient: typeof CommunicationServiceManagementClient;
        };
        const client = new Client(credential, subscription, options);
        return async (n) => {
            await client.communicationServices.regenerateKey(n.resourceGroup, n.communicationServiceName, { keyType: "Primary" });
            return (await client.communicationServices.listKeys(n.resourceGroup, n.communicationServiceName)).primaryKey;
        };
    },
    "apim-subscription": (credential, subscription, options) => {
        const { ApiManagementClient: Client } = require("@azure/arm-apimanagement") as { ApiManagementClient: typeof ApiManagementClient };
        const client = new Client(credential, subscription, options);
        return async (n) => {
            await client.subscription.regeneratePrimaryKey(n.resourceGroup, n.serviceName, n.sid);
            return (await client.subscription.listSecrets(n.resourceGroup, n.serviceName, n.sid)).primaryKey;
        };
    },
    signalr: (credential, subscription, options) => {
        const { SignalRManagementClient: Client } = require("@azure/arm-signalr") as { SignalRManagementClient: typeof SignalRManagementClient };
        const client = new Client(credential, subscription, options);
        return async (n) => {
            // updateIntervalInMs 0: follow the server's Retry-After like the other contenders; the
            // SDK ignores a Retry-After of 0 and would otherwise wait its default 2 s per poll.
            await client.signalR.beginRegenerateKeyAndWait(n.resourceGroup, n.resourceName, { keyType: "Primary" }, { updateIntervalInMs: 0 });
            return (await client.signalR.listKeys(n.resourceGroup, n.resourceName)).primaryKey;
        };
    },
    storage: (credential, subscription, options) => {
        const { StorageManagementClient: Client } = require("@azure/arm-storage") as { StorageManagementClient: typeof StorageManagementClient };
        // The generated client of 20.x takes its scopes and api-version this way; its own default
        // api-version (2025-08-01) is not one the emulator serves, so it calls the catalog's, as A does.
        const client = new Client(credential, subscription, {
            endpoint: options.endpoint,
            credentials: { scopes: options.credentialScopes },
            apiVersion: findService("Microsoft.Storage/storageAccounts")!.defaultApiVersion,
        });
        return async (n) => {
            await client.storageAccounts.regenerateKey(n.resourceGroup, n.accountName, { keyName: "key1" });
            return (await client.storageAccounts.listKeys(n.resourceGroup, n.accountName)).keys?.find((k) => k.keyName === "key1")?.value;
        };
    },
    "servicebus-namespace": (credential, subscription, options) => {
        const { ServiceBusManagementClient: Client } = require("@azure/arm-servicebus") as { ServiceBusManagementClient: typeof ServiceBusManagementClient };
        const client = new Client(credential, subscription, options);
        return async (n) => {
            await client.namespaces.regenerateKeys(n.resourceGroup, n.namespaceName, n.authorizationRuleName, { keyType: "PrimaryKey" });
            return (await client.namespaces.listKeys(n.resourceGroup, n.namespaceName, n.authorizationRuleName)).primaryKey;
        };
    },
};

/** Rotates the Primary key of every target; resolves when all are done. */
export async function azureSdkRun(env: Record<string, string>, targets: readonly BenchTarget[], concurrency: number): Promise<void> {
    const { ClientSecretCredential } = require("@azure/identity") as typeof import("@azure/identity");
    const endpoint = env.AZURE_RESOURCE_MANAGER_ENDPOINT;
    const credential = new ClientSecretCredential(env.AZURE_TENANT_ID, env.AZURE_CLIENT_ID, env.AZURE_CLIENT_SECRET, {
        authorityHost: env.AZURE_AUTHORITY_HOST,
        disableInstanceDiscovery: true,
    });
    const options = { endpoint, credentialScopes: [`${endpoint}/.default`] };
    const subscription = targets[0] ? names(targets[0].id).subscriptionId : "";
    const rotations = new Map<BenchService, Rotate>();
    for (const { service } of targets) {
        if (rotations.has(service)) continue;
        const client = SDK[service];
        if (!client) throw new Error(`contender C has no Azure SDK call for ${service}: add one to bench/contenders/azureSdk.ts`);
        rotations.set(service, client(credential, subscription, options));
    }

    await pool(targets, concurrency, async ({ id, service }) => {
        if (!(await rotations.get(service)!(names(id)))) throw new Error(`${id}: no primary key in the read-back`);
    });
}

function names(id: string): Names {
    const parsed = parseResourceId(id);
    if (!parsed.ok) throw new Error(parsed.reason);
    const { subscriptionId, resourceGroupName, names } = parsed.target;
    return { subscriptionId, resourceGroup: resourceGroupName, ...names };
}
