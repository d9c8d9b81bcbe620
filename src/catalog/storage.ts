import type { ServiceEntry } from "./types";

/**
 * Storage account keys. `key1` / `key2` are the account keys applications use; `kerb1` / `kerb2`
 * are the Kerberos keys of identity-based access to Azure Files (listed only with `$expand=kerb`).
 * The regenerate answers the account's key list (a Kerberos regenerate adds that Kerberos key to
 * it), so no read-back is needed. ARM returns no connection string: it is built as the docs give it.
 */
export const storage: ServiceEntry = {
    service: "storage",
    title: "Storage account",
    resourceType: "Microsoft.Storage/storageAccounts",
    idTemplate: "Microsoft.Storage/storageAccounts/{accountName}",
    nameRules: {
        accountName: { pattern: /^[a-z0-9]+$/, minLength: 3, maxLength: 24, rule: "3 to 24 lower-case letters and digits" },
    },
    defaultApiVersion: "2026-09-01",
    keyTypes: [
        { name: "Primary", wire: "key1", consumer: true },
        { name: "Secondary", wire: "key2", consumer: true },
        { name: "Kerb1", wire: "kerb1", consumer: false },
        { name: "Kerb2", wire: "kerb2", consumer: false },
    ],
    regenerate: {
        operation: "StorageAccounts_RegenerateKey",
        path: "/regenerateKey",
        body: { field: "keyName", value: "wire" },
        successStatus: [200],
        longRunning: false,
        answer: "keySet",
    },
    readKeys: {
        kind: "listKeys",
        operation: "StorageAccounts_ListKeys",
        method: "POST",
        path: "/listKeys",
        fields: { primaryKey: "keys[keyName=key1].value", secondaryKey: "keys[keyName=key2].value" },
    },
    alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    connectionString: "DefaultEndpointsProtocol=https;AccountName={accountName};AccountKey={key};EndpointSuffix={cloud:storage}",
    reads: [
        {
            operation: "StorageAccounts_GetProperties",
            // Azure DNS zone endpoints (`dnsEndpointType: AzureDnsZone`) are not on the standard hosts.
            endpoints: {
                selector: "properties.primaryEndpoints",
                connectionStringNames: { blob: "BlobEndpoint", file: "FileEndpoint", queue: "QueueEndpoint", table: "TableEndpoint" },
                standard: "https://{accountName}.{service}.{cloud:storage}/",
            },
            // Null (never set) means allowed.
            sharedKeys: {
                selector: "properties.allowSharedKeyAccess",
                off: { equals: false },
                setting: "allowSharedKeyAccess: false",
                enable: "set allowSharedKeyAccess to true",
            },
        },
    ],
    verify: {
        scheme: "storageSharedKey",
        // The blob service's properties: one read transaction.
        requests: [{ method: "GET", url: "{endpoints.blob}/?restype=service&comp=properties", accepts: [200] }],
        params: { account: "{accountName}" },
        cost: "one blob read transaction",
        sharedKeysOff: /KeyBasedAuthenticationNotPermitted/,
    },
};
