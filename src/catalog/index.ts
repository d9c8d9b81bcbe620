import { apimSubscription } from "./apimSubscription";
import { apimTenantAccess } from "./apimTenantAccess";
import { communication } from "./communication";
import { logicAppsStandard } from "./logicAppsStandard";
import { signalr } from "./signalr";
import { ServiceEntry } from "./types";

export * from "./types";

/** Every supported target service. */
export const CATALOG: readonly ServiceEntry[] = [logicAppsStandard, communication, apimTenantAccess, apimSubscription, signalr];

const byType = new Map(CATALOG.map((e) => [e.resourceType.toLowerCase(), e]));

/** The entry for an ARM resource type (case-insensitive, as ARM types are), or undefined. */
export function findService(resourceType: string): ServiceEntry | undefined {
    return byType.get(resourceType.toLowerCase());
}

/** The operation id of the regenerate call for a key type. */
export function regenerateOperation(entry: ServiceEntry, keyType: string): string {
    const op = entry.regenerate.operation;
    return typeof op === "string" ? op : op[keyType];
}

/** The path suffix of the regenerate call for a key type. */
export function regenerateSuffix(entry: ServiceEntry, keyType: string): string {
    const suffix = entry.regenerate.pathSuffix;
    return typeof suffix === "string" ? suffix : suffix[keyType];
}
