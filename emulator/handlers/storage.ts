import { armError } from "../errors";
import type { HandlerContext, ServiceHandler } from "./types";

const KEYS: Array<[string, string]> = [
    ["key1", "Primary"],
    ["key2", "Secondary"],
    ["kerb1", "Kerb1"],
    ["kerb2", "Kerb2"],
];

/** `{ keys: [{ keyName, permissions, value }] }`: the account keys, and the Kerberos keys asked for. */
function keyList({ resource }: HandlerContext, kerb: (keyName: string) => boolean) {
    return {
        keys: KEYS.filter(([name]) => !name.startsWith("kerb") || kerb(name)).map(([keyName, keyType]) => ({
            keyName,
            permissions: "Full",
            value: resource.keys[keyType],
        })),
    };
}

/**
 * Storage accounts. The regenerate answers the account keys, and the Kerberos key it regenerated
 * (as StorageAccountRegenerateKerbKey.json); listKeys adds the Kerberos keys only with
 * `$expand=kerb`. With shared key access off (`allowSharedKeyAccess: false`) ARM still lists and
 * regenerates keys; only the data plane refuses them.
 */
export const storageHandler: ServiceHandler = {
    service: "storage",
    apiVersions: ["2023-01-01", "2023-05-01", "2024-01-01", "2025-01-01", "2025-06-01", "2026-06-01", "2026-09-01"],
    longRunning: false,
    keyFormat: "base64-64",
    error: armError,
    regenerateRequest: { body: "keyName", values: Object.fromEntries(KEYS) },
    regenerated: (ctx, keyType) => ({ status: 200, body: keyList(ctx, (name) => KEYS.find(([n]) => n === name)?.[1] === keyType) }),
    listKeys: (ctx) => ({ status: 200, body: keyList(ctx, () => ctx.query.get("$expand") === "kerb") }),
};
