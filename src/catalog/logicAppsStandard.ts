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
    operationsTemplate: "Microsoft.Web/sites/{name}/hostruntime/runtime/webhooks/workflow/api/management/workflows/{workflowName}",
    defaultApiVersion: "2025-05-01",
    keyTypes: ["NotSpecified", "Primary", "Secondary"],
    regenerate: {
        operation: "Workflows_RegenerateAccessKey",
        pathSuffix: "/regenerateAccessKey",
        body: "keyType",
        successStatus: [200],
        longRunning: false,
    },
    readKeys: {
        kind: "workflowTriggerCallbackUrls",
        listOperation: "WorkflowTriggers_List",
        callbackOperation: "WorkflowTriggers_ListCallbackUrl",
    },
    alternate: {
        refused:
            "Logic Apps Standard signs every callback URL with the primary access key, and listCallbackUrl " +
            "has no parameter to pick the key, so consumers cannot be switched to the secondary key",
    },
    outputs: ["callbackUrls"],
};
