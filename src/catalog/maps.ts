import { disableLocalAuth } from "./sharedKeys";
import type { ServiceEntry } from "./types";

/**
 * Azure Maps account keys (`subscription-key`). The regenerate answers both keys.
 *
 * Default api-version 2023-06-01: the spec's newest stable is 2026-12-01 (its key answer drops
 * `id`), dated December 2026; a spec folder does not prove the version is deployed yet. 2023-06-01 is
 * the newest well-established stable; 2026-12-01 can be set with `apiVersion`.
 */
export const maps: ServiceEntry = {
    service: "maps",
    title: "Azure Maps account",
    resourceType: "Microsoft.Maps/accounts",
    idTemplate: "Microsoft.Maps/accounts/{accountName}",
    nameRules: {
        accountName: { pattern: /^[^%&:\\/#?]+$/, minLength: 1, maxLength: 98, rule: "1 to 98 characters, none of % & : \\ / # ?" },
    },
    defaultApiVersion: "2023-06-01",
    keyTypes: [
        { name: "Primary", wire: "primary", consumer: true },
        { name: "Secondary", wire: "secondary", consumer: true },
    ],
    regenerate: {
        operation: "Accounts_RegenerateKeys",
        path: "/regenerateKey",
        body: { field: "keyType", value: "wire" },
        successStatus: [200],
        longRunning: false,
        answer: "keySet",
    },
    readKeys: {
        kind: "listKeys",
        operation: "Accounts_ListKeys",
        method: "POST",
        path: "/listKeys",
        fields: { primaryKey: "primaryKey", secondaryKey: "secondaryKey" },
    },
    alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    reads: [{ operation: "Accounts_Get", sharedKeys: disableLocalAuth }],
    verify: {
        scheme: "apiKey",
        requests: [
            { method: "GET", url: "https://{cloud:maps}/map/tile?api-version=2024-04-01&tilesetId=microsoft.terra.main&zoom=0&x=0&y=0", accepts: [200] },
        ],
        params: { header: "subscription-key" },
        cost: "one terra map tile, which Azure Maps lists as not billable",
    },
};
