/**
 * Ids of one resource of each supported kind, in one resource group: what the CLI, the demo and
 * the tests create. Keyed by catalog service id.
 */
export function sampleResourceIds(prefix: string, resourceGroup = `${prefix}-rg`): Record<string, string> {
    const rg = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${resourceGroup}/providers`;
    return {
        "logic-apps-standard": `${rg}/Microsoft.Web/sites/${prefix}-site/workflows/orders`,
        communication: `${rg}/Microsoft.Communication/communicationServices/${prefix}-acs`,
        "apim-tenant-access": `${rg}/Microsoft.ApiManagement/service/${prefix}-apim/tenant/access`,
        "apim-subscription": `${rg}/Microsoft.ApiManagement/service/${prefix}-apim/subscriptions/${prefix}-sub`,
        signalr: `${rg}/Microsoft.SignalRService/signalR/${prefix}-signalr`,
    };
}
