import { armError } from "../errors";
import { armResource, OTHER_RANGE } from "./bodies";
import type { HandlerContext, ServiceHandler } from "./types";

const apiKeys = ({ resource }: HandlerContext) => ({ key1: resource.keys.Primary, key2: resource.keys.Secondary });

/**
 * Azure AI Services / Azure OpenAI / Cognitive Services accounts: `ApiKeys { key1, key2 }`, and a
 * synchronous regenerate (as the spec declares it). With `disableLocalAuth` ARM answers 400
 * BadRequest "Failed to list key. disableLocalAuth is set to be true" (as recorded in public logs).
 */
export const cognitiveServicesHandler: ServiceHandler = {
    service: "cognitive-services",
    apiVersions: ["2024-10-01", "2025-06-01", "2025-09-01", "2026-05-01", "2026-07-01", "2026-09-01"],
    longRunning: false,
    keyFormat: "hex",
    error: armError,
    regenerateRequest: { body: "keyName", values: { Key1: "Primary", Key2: "Secondary" } },
    regenerated: (ctx) => ({ status: 200, body: apiKeys(ctx) }),
    listKeys: (ctx) => ({ status: 200, body: apiKeys(ctx) }),
    localAuthDisabled: (_ctx, operation) =>
        armError(400, "BadRequest", `Failed to ${operation === "regenerate" ? "regenerate" : "list"} key. disableLocalAuth is set to be true`),
    getOperation: "Accounts_Get",
    // The Accounts_Get shape (Account: kind, sku, properties.endpoint / endpoints / networkAcls / disableLocalAuth).
    resourceBody: (ctx) => {
        const { resource, names } = ctx;
        const subdomain = names.accountName.toLowerCase();
        return armResource(ctx, {
            kind: "OpenAI",
            sku: { name: "S0" },
            properties: {
                endpoint: `https://${subdomain}.openai.azure.com/`,
                endpoints: { "OpenAI Language Model Instance API": `https://${subdomain}.openai.azure.com/` },
                customSubDomainName: subdomain,
                internalId: resource.keyIds.Primary ?? subdomain,
                disableLocalAuth: resource.localAuthDisabled,
                publicNetworkAccess: "Enabled",
                networkAcls: {
                    defaultAction: resource.firewall ? "Deny" : "Allow",
                    ipRules: resource.firewall ? [{ value: OTHER_RANGE }] : [],
                    virtualNetworkRules: [],
                },
                provisioningState: "Succeeded",
            },
        });
    },
};
