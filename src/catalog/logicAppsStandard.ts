import type { ServiceEntry } from "./types";

/**
 * Logic Apps Standard workflow access keys. No key is ever returned: the key signs each request
 * trigger's callback URL (`sig`), so the read-back is the map of trigger name → callback URL.
 */
export const logicAppsStandard: ServiceEntry = {
    service: "logic-apps-standard",
    title: "Logic Apps Standard workflow",
    resourceType: "Microsoft.Web/sites/workflows",
    idTemplate: "Microsoft.Web/sites/{name}/workflows/{workflowName}",
    nameRules: {
        name: {
            pattern: /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
            minLength: 2,
            maxLength: 60,
            rule: "2 to 60 letters, digits and hyphens, not starting or ending with a hyphen",
        },
        workflowName: {
            pattern: /^[a-zA-Z0-9_.()-]*[a-zA-Z0-9_()-]$/,
            minLength: 1,
            maxLength: 80,
            rule: "1 to 80 letters, digits, hyphens, underscores, periods and parentheses, not ending with a period",
        },
    },
    operationsTemplate: "Microsoft.Web/sites/{name}/hostruntime/runtime/webhooks/workflow/api/management/workflows/{workflowName}",
    defaultApiVersion: "2025-05-01",
    keyTypes: [
        { name: "NotSpecified", consumer: false },
        { name: "Primary", consumer: true },
        { name: "Secondary", consumer: true },
    ],
    regenerate: {
        operation: "Workflows_RegenerateAccessKey",
        path: "/regenerateAccessKey",
        body: { field: "keyType", value: "wire" },
        successStatus: [200],
        longRunning: false,
        answer: "nothing",
    },
    readKeys: {
        kind: "callbackUrls",
        listOperation: "WorkflowTriggers_List",
        callbackOperation: "WorkflowTriggers_ListCallbackUrl",
    },
    alternate: {
        refused:
            "Logic Apps Standard signs every callback URL with the primary access key, and listCallbackUrl " +
            "has no parameter to pick the key, so consumers cannot be switched to the secondary key; " +
            'use keyType "Primary" and have callers take the new callbackUrls after each rotation',
    },
    verify: {
        refused: "calling a callback URL runs the workflow; Logic Apps has no read-only endpoint that checks its signature",
    },
};
