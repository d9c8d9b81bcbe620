import { disableLocalAuth } from "./sharedKeys";
import type { ServiceEntry } from "./types";

/**
 * Azure AI Services, Azure OpenAI and the other Cognitive Services accounts (`Key1` / `Key2`). The
 * spec declares the regenerate synchronous (200 with both keys); the 2025-06-01 example also shows
 * a 202 with `azure-asyncoperation`, which is followed if it comes. The endpoint depends on the
 * kind and the custom subdomain (`https://{name}.openai.azure.com/`, `…cognitiveservices.azure.com/`),
 * so it is read from the account.
 *
 * Default api-version 2025-06-01: the spec's newest stable is 2026-09-01 (also 2026-07-01,
 * 2026-05-01, 2025-09-01), but a spec folder does not prove a version is deployed in every region
 * and cloud; 2025-06-01 is the newest well-established stable with official examples.
 */
export const cognitiveServices: ServiceEntry = {
    service: "cognitive-services",
    title: "Azure AI Services / Azure OpenAI account",
    resourceType: "Microsoft.CognitiveServices/accounts",
    idTemplate: "Microsoft.CognitiveServices/accounts/{accountName}",
    nameRules: {
        accountName: {
            pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/,
            minLength: 2,
            maxLength: 64,
            rule: "2 to 64 letters, digits, underscores, periods and hyphens, starting with a letter or digit",
        },
    },
    defaultApiVersion: "2025-06-01",
    keyTypes: [
        { name: "Primary", wire: "Key1", consumer: true },
        { name: "Secondary", wire: "Key2", consumer: true },
    ],
    regenerate: {
        operation: "Accounts_RegenerateKey",
        path: "/regenerateKey",
        body: { field: "keyName", value: "wire" },
        successStatus: [200, 202],
        longRunning: true,
        answer: "keySet",
    },
    readKeys: {
        kind: "listKeys",
        operation: "Accounts_ListKeys",
        method: "POST",
        path: "/listKeys",
        fields: { primaryKey: "key1", secondaryKey: "key2" },
    },
    alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    reads: [{ operation: "Accounts_Get", endpoint: "properties.endpoint", sharedKeys: disableLocalAuth }],
    verify: {
        scheme: "apiKey",
        // Azure OpenAI and AI Services answer the model list; other kinds answer 404 there, and issue a token instead.
        requests: [
            { method: "GET", url: "{endpoint}/openai/models?api-version=2024-10-21", accepts: [200] },
            { method: "POST", url: "{endpoint}/sts/v1.0/issueToken", accepts: [200] },
        ],
        sharedKeysOff: /AuthenticationTypeDisabled/,
        params: { header: "Ocp-Apim-Subscription-Key" },
    },
};
