import { disableLocalAuth } from "./sharedKeys";
import type { ServiceEntry } from "./types";

/**
 * Cosmos DB account keys: a read-write pair and a read-only pair, each alternated on its own
 * (`Alternate`, `AlternateReadOnly`). The regenerate is long-running (202 with
 * Azure-AsyncOperation and Location, then 200 with no body), so the keys are read back. The
 * connection string is the SQL (NoSQL) API's, built from the account endpoint.
 *
 * Default api-version 2025-10-15: the spec's newest stable is 2026-03-15, but its swagger is not
 * published in Azure/azure-rest-api-specs yet (only its examples) and a spec folder does not prove
 * the version is deployed everywhere; 2025-10-15 is the newest stable whose spec was read.
 */
export const cosmosDb: ServiceEntry = {
    service: "cosmosdb",
    title: "Cosmos DB account",
    resourceType: "Microsoft.DocumentDB/databaseAccounts",
    idTemplate: "Microsoft.DocumentDB/databaseAccounts/{accountName}",
    nameRules: {
        accountName: {
            pattern: /^[a-z0-9]+(-[a-z0-9]+)*$/,
            minLength: 3,
            maxLength: 50,
            rule: "3 to 50 lower-case letters, digits and single hyphens, starting and ending with a letter or digit",
        },
    },
    defaultApiVersion: "2025-10-15",
    keyTypes: [
        { name: "Primary", wire: "primary", aliases: ["PrimaryMasterKey"], consumer: true },
        { name: "Secondary", wire: "secondary", aliases: ["SecondaryMasterKey"], consumer: true },
        { name: "PrimaryReadOnly", wire: "primaryReadonly", aliases: ["PrimaryReadonlyMasterKey"], consumer: true },
        { name: "SecondaryReadOnly", wire: "secondaryReadonly", aliases: ["SecondaryReadonlyMasterKey"], consumer: true },
    ],
    regenerate: {
        operation: "DatabaseAccounts_RegenerateKey",
        path: "/regenerateKey",
        body: { field: "keyKind", value: "wire" },
        successStatus: [200, 202],
        longRunning: true,
        answer: "nothing",
    },
    readKeys: {
        kind: "listKeys",
        operation: "DatabaseAccounts_ListKeys",
        method: "POST",
        path: "/listKeys",
        fields: {
            primaryKey: "primaryMasterKey",
            secondaryKey: "secondaryMasterKey",
            primaryReadOnlyKey: "primaryReadonlyMasterKey",
            secondaryReadOnlyKey: "secondaryReadonlyMasterKey",
        },
    },
    alternate: { pairs: { Alternate: ["Primary", "Secondary"], AlternateReadOnly: ["PrimaryReadOnly", "SecondaryReadOnly"] } },
    endpoint: "https://{accountName}.{cloud:cosmos}:443/",
    reads: [{ operation: "DatabaseAccounts_Get", sharedKeys: disableLocalAuth }],
    connectionString: "AccountEndpoint={endpoint};AccountKey={key};",
    verify: {
        scheme: "cosmosMaster",
        // The database account itself: no request units; read-only keys may read it too.
        requests: [{ method: "GET", url: "{endpoint}/", accepts: [200] }],
        sharedKeysOff: /Local Authori[sz]ation is disabled|\b5202\b/i,
    },
};
