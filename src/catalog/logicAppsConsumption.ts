import { logicAppsStandard } from "./logicAppsStandard";
import type { ServiceEntry } from "./types";

/**
 * Logic Apps Consumption workflow access keys. No key is returned: the output is the workflow's
 * callback URL (`Workflows_ListCallbackUrl`), signed with the key named in its body. Unlike
 * Standard, the caller picks the key, so it can alternate: the URL output is always signed with
 * the active key, and the URL signed with the previous key keeps working until the next rotation.
 */
export const logicAppsConsumption: ServiceEntry = {
    service: "logic-apps-consumption",
    title: "Logic Apps Consumption workflow",
    resourceType: "Microsoft.Logic/workflows",
    idTemplate: "Microsoft.Logic/workflows/{workflowName}",
    nameRules: { workflowName: logicAppsStandard.nameRules.workflowName },
    defaultApiVersion: "2019-05-01",
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
    readKeys: { kind: "workflowCallbackUrl", operation: "Workflows_ListCallbackUrl", path: "/listCallbackUrl" },
    alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    verify: {
        refused: "calling the callback URL runs the workflow; Logic Apps has no read-only endpoint that checks its signature",
    },
};
