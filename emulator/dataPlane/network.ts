/**
 * What each service's data plane answers a caller its network rules shut out (a resource created
 * with `firewall: true`), whatever key it presents: the service's own refusal, as public reports and
 * Microsoft's troubleshooting pages quote it (research notes for issue 19, section B). Where no
 * source shows the answer, the emulator's is marked as its own inference.
 *
 * The network check comes before the key check, so a firewall refuses a good key and a wrong one
 * alike: for Service Bus and Event Hubs both are 401, for Search 403 with no body, and only the
 * detail text (or a second probe signed with another key) tells them apart.
 */
import { apimError, type EmulatorResponse } from "../errors";
import { batchError } from "./batchSharedKey";
import { cosmosError } from "./cosmosMaster";
import type { Scheme } from "./router";
import { sbError } from "./sbSas";
import { storageError } from "./storageSharedKey";
import type { DataPlaneRequest, DataPlaneTarget } from "./types";

/** The address the emulator's callers come from, as the refusals name it. */
const CALLER_IP = "127.0.0.1";

/** Service Bus' and Event Hubs' detail for a caller outside the namespace's IP filter and virtual network rules. */
export const IP_PREVENTED =
    "Ip has been prevented to connect to the endpoint. For more information see: Virtual Network service endpoints: " +
    "Event Hubs: https://go.microsoft.com/fwlink/?linkid=2044192 Service Bus: https://go.microsoft.com/fwlink/?linkid=2044235 " +
    "IP Filters: Event Hubs: https://go.microsoft.com/fwlink/?linkid=2044428 Service Bus: https://go.microsoft.com/fwlink/?linkid=2044183";

/** Storage's message for a request its network rules refuse (MicrosoftDocs/SupportArticles-docs, storage-troubleshoot-403-errors.md). */
export const NOT_AUTHORIZED = "This request is not authorized to perform this operation.";

/** The refusal of a caller the resource's network rules shut out. */
export function networkRefusal(target: DataPlaneTarget & { scheme: Scheme }, req: DataPlaneRequest): EmulatorResponse {
    const host = req.host.replace(/:443$/, "");
    switch (target.service) {
        case "storage":
            return storageError(403, "AuthorizationFailure", NOT_AUTHORIZED);
        case "servicebus":
            return sbError(401, IP_PREVENTED, host, req.url.pathname);
        case "cosmosdb":
            return cosmosError(
                403,
                "Forbidden",
                `Request originated from IP ${CALLER_IP} through public internet. This is blocked by your Cosmos DB account firewall settings. More info: https://aka.ms/cosmosdb-tsg-forbidden`,
            );
        case "cognitive-services":
            return { status: 403, body: { error: { code: "403", message: "Access denied due to Virtual Network/Firewall rules." } } };
        case "container-registry":
            return {
                status: 403,
                body: {
                    errors: [
                        { code: "DENIED", message: `client with IP '${CALLER_IP}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.` },
                    ],
                },
            };
        case "app-configuration":
            // Inferred: only the status and this body have been seen (through ARM's key-value writes).
            return { status: 403, body: { code: "Forbidden", message: "Access to the requested resource is forbidden." } };
        case "batch":
            // Inferred: the status is documented, the body is the Shared Key family's.
            return batchError(host, 403, "AuthorizationFailure", NOT_AUTHORIZED);
        case "apim-tenant-access":
            return apimError(403, "Forbidden", "Access is denied by the network rules.");
        default:
            // Search, SignalR, Web PubSub, Communication Services: a 403 with no body (inferred).
            return { status: 403, rawBody: "" };
    }
}
