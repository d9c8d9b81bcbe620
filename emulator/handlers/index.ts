import { apimSubscriptionHandler, apimTenantAccessHandler } from "./apim";
import { communicationHandler } from "./communication";
import { logicAppsStandardHandler } from "./logicAppsStandard";
import { signalrHandler } from "./signalr";
import type { ServiceHandler } from "./types";

export * from "./types";

/** One handler per catalog service, keyed by the catalog's service id. */
export const HANDLERS: ReadonlyMap<string, ServiceHandler> = new Map(
    [logicAppsStandardHandler, communicationHandler, apimTenantAccessHandler, apimSubscriptionHandler, signalrHandler].map((h) => [h.service, h]),
);
