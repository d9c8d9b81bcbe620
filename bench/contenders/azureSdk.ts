/**
 * Contender C: the official Azure SDK for JavaScript management clients with @azure/identity, as a
 * user writing a rotation script would use them, pointed at the emulator. Same work per target as
 * the package: regenerate, then read the full key set back.
 */
import { ApiManagementClient } from "@azure/arm-apimanagement";
import { CommunicationServiceManagementClient } from "@azure/arm-communication";
import { SignalRManagementClient } from "@azure/arm-signalr";
import { ClientSecretCredential } from "@azure/identity";
import { parseResourceId } from "../../src/core/resourceId";
import { type BenchTarget, pool } from "../targets";

/** Rotates the Primary key of every target; resolves when all are done. */
export async function azureSdkRun(env: Record<string, string>, targets: readonly BenchTarget[], concurrency: number): Promise<void> {
    const endpoint = env.AZURE_RESOURCE_MANAGER_ENDPOINT;
    const credential = new ClientSecretCredential(env.AZURE_TENANT_ID, env.AZURE_CLIENT_ID, env.AZURE_CLIENT_SECRET, {
        authorityHost: env.AZURE_AUTHORITY_HOST,
        disableInstanceDiscovery: true,
    });
    const options = { endpoint, credentialScopes: [`${endpoint}/.default`] };
    const subscription = targets[0] ? names(targets[0].id).subscriptionId : "";
    const communication = new CommunicationServiceManagementClient(credential, subscription, options);
    const apim = new ApiManagementClient(credential, subscription, options);
    const signalr = new SignalRManagementClient(credential, subscription, options);

    await pool(targets, concurrency, async ({ id, service }) => {
        const n = names(id);
        let primaryKey: string | undefined;
        if (service === "communication") {
            await communication.communicationServices.regenerateKey(n.resourceGroup, n.communicationServiceName, { keyType: "Primary" });
            primaryKey = (await communication.communicationServices.listKeys(n.resourceGroup, n.communicationServiceName)).primaryKey;
        } else if (service === "apim-subscription") {
            await apim.subscription.regeneratePrimaryKey(n.resourceGroup, n.serviceName, n.sid);
            primaryKey = (await apim.subscription.listSecrets(n.resourceGroup, n.serviceName, n.sid)).primaryKey;
        } else {
            // updateIntervalInMs 0: follow the server's Retry-After like the other contenders; the
            // SDK ignores a Retry-After of 0 and would otherwise wait its default 2 s per poll.
            await signalr.signalR.beginRegenerateKeyAndWait(n.resourceGroup, n.resourceName, { keyType: "Primary" }, { updateIntervalInMs: 0 });
            primaryKey = (await signalr.signalR.listKeys(n.resourceGroup, n.resourceName)).primaryKey;
        }
        if (!primaryKey) throw new Error(`${id}: no primary key in the read-back`);
    });
}

function names(id: string): Record<string, string> {
    const parsed = parseResourceId(id);
    if (!parsed.ok) throw new Error(parsed.reason);
    const { subscriptionId, resourceGroupName, names } = parsed.target;
    return { subscriptionId, resourceGroup: resourceGroupName, ...names };
}
