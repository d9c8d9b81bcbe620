/**
 * The SAS authorization rules of Event Hubs, Service Bus, Relay and Notification Hubs, as their
 * specs and examples show them: `AccessKeys` / `ResourceListKeys` bodies with both keys, both
 * connection strings (`Endpoint=sb://{namespace}.servicebus.windows.net/;…`, with `EntityPath` for
 * event hubs, queues, topics and notification hubs, none for Relay's entities), `keyName`, and for
 * Event Hubs and Service Bus namespaces paired with a Geo-DR alias, the alias's connection strings.
 */
import { armError } from "../errors";
import type { HandlerContext, RegenerateRequest, ServiceHandler } from "./types";

/** How one form of rule is served: its names in the path, and the answer's extras. */
export interface SasRuleForm {
    service: string;
    apiVersions: readonly string[];
    /** The regenerate body: `keyType` or `policyKey`; Service Bus' enum is not a string model, so its values are case-sensitive. */
    regenerateRequest: RegenerateRequest;
    /** The path name of the entity whose name is the connection strings' `EntityPath`, if any. */
    entityPath?: string;
    /** Event Hubs and Service Bus: alias connection strings when the namespace has a Geo-DR alias. */
    geoDr: boolean;
}

const connectionString = (host: string, rule: string, key: string, entity?: string) =>
    `Endpoint=sb://${host.toLowerCase()}.servicebus.windows.net/;SharedAccessKeyName=${rule};SharedAccessKey=${key}${entity ? `;EntityPath=${entity}` : ""}`;

/** The key set, in the order the 2026-01-01 examples list it. */
function accessKeys(form: SasRuleForm, { names, resource }: HandlerContext) {
    const { namespaceName, authorizationRuleName: rule } = names;
    const entity = form.entityPath ? names[form.entityPath] : undefined;
    const body: Record<string, string> = {
        keyName: rule,
        primaryConnectionString: connectionString(namespaceName, rule, resource.keys.Primary, entity),
        primaryKey: resource.keys.Primary,
        secondaryConnectionString: connectionString(namespaceName, rule, resource.keys.Secondary, entity),
        secondaryKey: resource.keys.Secondary,
    };
    if (form.geoDr && resource.geoDrAlias) {
        body.aliasPrimaryConnectionString = connectionString(resource.geoDrAlias, rule, resource.keys.Primary, entity);
        body.aliasSecondaryConnectionString = connectionString(resource.geoDrAlias, rule, resource.keys.Secondary, entity);
    }
    return body;
}

/** The handler of one form of SAS rule: regenerate and listKeys both answer 200 with the full key set. */
export function sasRuleHandler(form: SasRuleForm): ServiceHandler {
    return {
        service: form.service,
        apiVersions: form.apiVersions,
        longRunning: false,
        keyFormat: "base64",
        error: armError,
        regenerateRequest: form.regenerateRequest,
        regenerated: (ctx) => ({ status: 200, body: accessKeys(form, ctx) }),
        listKeys: (ctx) => ({ status: 200, body: accessKeys(form, ctx) }),
    };
}

/** `{ keyType: "PrimaryKey" | "SecondaryKey" }`: Event Hubs, Service Bus and Relay. */
export const keyTypeBody = (caseSensitive: boolean): RegenerateRequest => ({
    body: "keyType",
    values: { PrimaryKey: "Primary", SecondaryKey: "Secondary" },
    caseSensitive,
});
