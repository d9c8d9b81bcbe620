import type { ServiceEntry } from "./types";

/**
 * Batch account shared keys (only where `allowedAuthenticationModes` holds `SharedKey`). The path
 * is `regenerateKeys` (plural), the body `{ keyName }`, and the answer both keys. The endpoint is
 * the account's `properties.accountEndpoint`, with the region in it and no scheme, as Batch gives it.
 */
export const batch: ServiceEntry = {
    service: "batch",
    title: "Batch account",
    resourceType: "Microsoft.Batch/batchAccounts",
    idTemplate: "Microsoft.Batch/batchAccounts/{accountName}",
    nameRules: {
        accountName: { pattern: /^[a-zA-Z0-9]+$/, minLength: 3, maxLength: 24, rule: "3 to 24 letters and digits (lower-case by convention)" },
    },
    defaultApiVersion: "2025-06-01",
    keyTypes: [
        { name: "Primary", consumer: true },
        { name: "Secondary", consumer: true },
    ],
    regenerate: {
        operation: "BatchAccount_RegenerateKey",
        path: "/regenerateKeys",
        body: { field: "keyName", value: "wire" },
        successStatus: [200],
        longRunning: false,
        answer: "keySet",
    },
    readKeys: {
        kind: "listKeys",
        operation: "BatchAccount_GetKeys",
        method: "POST",
        path: "/listKeys",
        fields: { primaryKey: "primary", secondaryKey: "secondary" },
    },
    alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    reads: [
        {
            operation: "BatchAccount_Get",
            endpoint: "properties.accountEndpoint",
            // Accounts made before the setting existed have no list: shared keys are allowed.
            sharedKeys: {
                selector: "properties.allowedAuthenticationModes",
                off: { lacks: "SharedKey" },
                setting: "allowedAuthenticationModes without SharedKey",
                enable: "add SharedKey to allowedAuthenticationModes",
            },
        },
    ],
    verify: {
        scheme: "batchSharedKey",
        requests: [{ method: "GET", url: "https://{endpoint}/applications?api-version=2024-07-01.20.0&maxresults=1", accepts: [200] }],
        sharedKeysOff: /SharedKey is not allowed/i,
        params: { account: "{accountName}" },
    },
};
