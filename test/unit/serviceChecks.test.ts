import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CATALOG, type NameRule } from "../../src/catalog";
import { checkInputs } from "../../src/core/inputs";
import { parseResourceId } from "../../src/core/resourceId";
import { resourceIds } from "../helpers/emulator";

// check refuses bad names with ARM's rule for each name segment of each service, and accepts every
// service's own spelling of its key types; all before any call to Azure.

const ids = resourceIds("chk");

/** The sample id of a service with one name segment replaced. */
function withName(service: string, segment: string, value: string): string {
    const parsed = parseResourceId(ids[service]);
    if (!parsed.ok) throw new Error(parsed.reason);
    const template = parsed.target.entry.idTemplate.split("/");
    const rest = ids[service].split("/providers/")[1].split("/");
    rest[template.indexOf(`{${segment}}`)] = value;
    return `${ids[service].split("/providers/")[0]}/providers/${rest.join("/")}`;
}

/** A name that breaks only the rule's length, and one that breaks only its characters. */
function badNames(rule: NameRule): { tooLong?: string; badCharacter?: string } {
    const fits = (name: string) => rule.pattern?.test(name) ?? true;
    const tooLong = rule.maxLength !== undefined ? "a".repeat(rule.maxLength + 1) : undefined;
    const base = "abcde".slice(0, Math.max(rule.minLength ?? 1, 3));
    const badCharacter = ["!", "~", "&", "*", "$", "'"].map((c) => `${base}${c}${base}`).find((name) => !fits(name));
    // A too-long name of allowed characters (AI Search's pattern also counts the length).
    return { tooLong: tooLong && fits(tooLong.slice(0, rule.maxLength)) ? tooLong : undefined, badCharacter };
}

describe("check refuses names that break ARM's naming rules, quoting the rule", () => {
    for (const entry of CATALOG) {
        for (const [segment, rule] of Object.entries(entry.nameRules)) {
            if (rule.oneOf) continue;
            const { tooLong, badCharacter } = badNames(rule);
            it(`${entry.service}: ${segment} too long, or with a character the rule excludes`, () => {
                assert.ok(tooLong, `${segment} has a maximum length`);
                assert.ok(badCharacter, `${segment} excludes some character`);
                for (const name of [tooLong, badCharacter]) {
                    const { failures } = checkInputs({ resourceId: withName(entry.service, segment, name!), trigger: "1" });
                    assert.equal(failures.length, 1, `${name}: ${JSON.stringify(failures)}`);
                    assert.equal(failures[0].property, "resourceId");
                    assert.ok(failures[0].reason.includes(rule.rule), failures[0].reason);
                    assert.ok(failures[0].reason.includes(segment), failures[0].reason);
                }
            });
        }
    }

    const explicit: Array<[string, string, string, RegExp]> = [
        ["storage", "accountName", "MyStorage", /3 to 24 lower-case letters and digits/],
        ["storage", "accountName", "st", /3 to 24/],
        ["eventhubs-namespace", "namespaceName", "9events", /starting with a letter/],
        ["servicebus-queue", "queueName", "-orders", /starting and ending with a letter or digit/],
        ["cosmosdb", "accountName", "Orders_DB", /lower-case letters, digits and single hyphens/],
        ["search", "searchServiceName", "-search", /lower-case/],
        ["app-configuration", "configStoreName", "conf", /5 to 50/],
        ["container-registry", "registryName", "my-registry", /letters and digits/],
        ["managed-redis", "clusterName", "cache--1", /single hyphens/],
        ["eventgrid-topic", "topicName", "my_topic", /letters, digits and hyphens/],
        ["notificationhubs-hub", "notificationHubName", "1hub", /starting with a letter/],
    ];
    for (const [service, segment, value, reason] of explicit) {
        it(`${service}: ${segment} "${value}" is refused`, () => {
            const { failures } = checkInputs({ resourceId: withName(service, segment, value), trigger: "1" });
            assert.equal(failures.length, 1, JSON.stringify(failures));
            assert.match(failures[0].reason, reason);
        });
    }

    it("a parent resource's id says which child carries the keys", () => {
        const namespace = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.EventHub/namespaces/orders-ns";
        const { failures } = checkInputs({ resourceId: namespace });
        assert.match(
            failures[0].reason,
            /its keys are rotated on …\/authorizationRules\/\{authorizationRuleName\} or …\/eventhubs\/\{eventHubName\}\/authorizationRules/,
        );
        const cluster = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Cache/redisEnterprise/cache1";
        assert.match(checkInputs({ resourceId: cluster }).failures[0].reason, /…\/databases\/\{databaseName\}/);
    });
});

describe("check accepts each service's own key type names, in any casing", () => {
    const cases: Array<[string, string, string]> = [
        ["storage", "key1", "Primary"],
        ["storage", "KEY2", "Secondary"],
        ["storage", "kerb1", "Kerb1"],
        ["eventhubs-namespace", "PrimaryKey", "Primary"],
        ["eventhubs-eventhub", "secondary_key", "Secondary"],
        ["servicebus-queue", "SecondaryKey", "Secondary"],
        ["relay-hybrid-connection", "primarykey", "Primary"],
        ["notificationhubs-namespace", "Primary Key", "Primary"],
        ["notificationhubs-hub", "PrimaryKey", "Primary"],
        ["notificationhubs-hub", "Secondary Key", "Secondary"],
        ["container-registry", "password", "Primary"],
        ["container-registry", "password2", "Secondary"],
        ["cosmosdb", "secondaryReadonly", "SecondaryReadOnly"],
        ["cosmosdb", "primaryReadonly", "PrimaryReadOnly"],
        ["cosmosdb", "PrimaryMasterKey", "Primary"],
        ["cosmosdb", "alternate read only", "AlternateReadOnly"],
        ["app-configuration", "Primary Read Only", "PrimaryReadOnly"],
        ["app-configuration", "alternateReadOnly", "AlternateReadOnly"],
        ["cognitive-services", "Key1", "Primary"],
        ["cognitive-services", "key2", "Secondary"],
        ["eventgrid-topic", "key1", "Primary"],
        ["eventgrid-namespace", "KEY2", "Secondary"],
        ["search", "primary", "Primary"],
        ["maps", "secondary", "Secondary"],
        ["batch", "primary", "Primary"],
        ["redis", "Secondary", "Secondary"],
        ["managed-redis", "alternate", "Alternate"],
        ["web-pubsub", "salt", "Salt"],
        ["logic-apps-consumption", "Alternate", "Alternate"],
        ["logic-apps-consumption", "notspecified", "NotSpecified"],
    ];
    for (const [service, written, canonical] of cases) {
        it(`${service}: "${written}" is ${canonical}`, () => {
            const { inputs, failures } = checkInputs({ resourceId: ids[service], keyType: written, trigger: "1" });
            assert.deepEqual(failures, []);
            assert.equal(inputs.keyType, canonical);
        });
    }

    it("every service with a pair defaults to Alternate", () => {
        for (const entry of CATALOG.filter((e) => "pairs" in e.alternate)) {
            assert.equal(checkInputs({ resourceId: ids[entry.service] }).inputs.keyType, "Alternate", entry.service);
        }
    });

    const refused: Array<[string, string, RegExp]> = [
        ["storage", "key3", /"key3" is not a key type of a Storage account; use one of Alternate, Primary, Secondary, Kerb1, Kerb2/],
        ["storage", "AlternateReadOnly", /not a key type of this resource/],
        ["cosmosdb", "Tertiary", /use one of Alternate, AlternateReadOnly, Primary, Secondary, PrimaryReadOnly, SecondaryReadOnly/],
        ["servicebus-namespace", "Salt", /not a key type/],
        ["container-registry", "password3", /not a key type/],
    ];
    for (const [service, written, reason] of refused) {
        it(`${service}: "${written}" is refused, naming the choices`, () => {
            const { failures } = checkInputs({ resourceId: ids[service], keyType: written, trigger: "1" });
            assert.equal(failures.length, 1);
            assert.equal(failures[0].property, "keyType");
            assert.match(failures[0].reason, reason);
        });
    }
});
