import { apimSubscription } from "./apimSubscription";
import { apimTenantAccess } from "./apimTenantAccess";
import { communication } from "./communication";
import { logicAppsStandard } from "./logicAppsStandard";
import { signalr } from "./signalr";
import type { SecretOutputName, ServiceEntry } from "./types";

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

/** The key type that makes a KeyRotation alternate between a service's two keys. */
export const ALTERNATE = "Alternate";

/**
 * The outputs that hold one key type's key and connection string, where the service returns them
 * (`Primary` → primaryKey, primaryConnectionString).
 */
export function keyOutputsOf(entry: ServiceEntry, keyType: string): { key?: SecretOutputName; connectionString?: SecretOutputName } {
    const prefix = keyType.toLowerCase();
    const has = (name: string): name is SecretOutputName => (entry.outputs as readonly string[]).includes(name);
    const key = `${prefix}Key`;
    const connectionString = `${prefix}ConnectionString`;
    return { key: has(key) ? key : undefined, connectionString: has(connectionString) ? connectionString : undefined };
}
