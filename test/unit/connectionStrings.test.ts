import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CloudName } from "../../src/catalog";
import { completeKeySet } from "../../src/core/keySet";
import { parseResourceId } from "../../src/core/resourceId";
import { resourceIds } from "../helpers/emulator";

// Where ARM returns no connection string but the service's SDKs take one, it is built in the form
// the service documents, with the configured cloud's host name suffix.

const ids = resourceIds("cs");
const target = (service: string) => {
    const parsed = parseResourceId(ids[service]);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.target;
};
const KEY = "a2V5LWZvci10ZXN0cy1vbmx5LW5vdC1hLXJlYWwta2V5LTAwMDA=";

describe("connection strings built from keys, per cloud", () => {
    const cases: Array<[string, CloudName, string, string | undefined]> = [
        ["storage", "public", `DefaultEndpointsProtocol=https;AccountName=csst;AccountKey=${KEY};EndpointSuffix=core.windows.net`, undefined],
        ["storage", "usgovernment", `DefaultEndpointsProtocol=https;AccountName=csst;AccountKey=${KEY};EndpointSuffix=core.usgovcloudapi.net`, undefined],
        ["storage", "china", `DefaultEndpointsProtocol=https;AccountName=csst;AccountKey=${KEY};EndpointSuffix=core.chinacloudapi.cn`, undefined],
        ["redis", "public", `cs-redis.redis.cache.windows.net:6380,password=${KEY},ssl=True,abortConnect=False`, "cs-redis.redis.cache.windows.net:6380"],
        [
            "redis",
            "china",
            `cs-redis.redis.cache.chinacloudapi.cn:6380,password=${KEY},ssl=True,abortConnect=False`,
            "cs-redis.redis.cache.chinacloudapi.cn:6380",
        ],
        ["cosmosdb", "public", `AccountEndpoint=https://cs-cosmos.documents.azure.com:443/;AccountKey=${KEY};`, "https://cs-cosmos.documents.azure.com:443/"],
        [
            "cosmosdb",
            "usgovernment",
            `AccountEndpoint=https://cs-cosmos.documents.azure.us:443/;AccountKey=${KEY};`,
            "https://cs-cosmos.documents.azure.us:443/",
        ],
    ];
    for (const [service, cloud, connectionString, endpoint] of cases) {
        it(`${service} in ${cloud}`, () => {
            const keys = completeKeySet(target(service), { primaryKey: KEY, secondaryKey: KEY }, cloud);
            assert.equal(keys.primaryConnectionString, connectionString);
            assert.equal(keys.endpoint, endpoint);
        });
    }

    // Host names as Microsoft's tables of sovereign-cloud endpoints give them ("Compare Azure
    // Government and global Azure", and Azure operated by 21Vianet's endpoint list).
    const hosts: Array<[string, CloudName, RegExp]> = [
        ["search", "usgovernment", /^https:\/\/[a-z0-9-]+\.search\.windows\.us$/],
        ["search", "china", /^https:\/\/[a-z0-9-]+\.search\.azure\.cn$/],
        ["signalr", "usgovernment", /^https:\/\/[a-z0-9-]+\.signalr\.azure\.us$/],
        ["app-configuration", "usgovernment", /^https:\/\/[a-z0-9-]+\.azconfig\.azure\.us$/],
    ];
    for (const [service, cloud, host] of hosts) {
        it(`${service}'s endpoint in ${cloud} is on the cloud's documented host`, () => {
            const keys = completeKeySet(target(service), { primaryKey: KEY, secondaryKey: KEY }, cloud);
            assert.match(String(keys.endpoint), host);
        });
    }

    it("Managed Redis uses the host name read from its cluster", () => {
        const keys = completeKeySet(target("managed-redis"), { primaryKey: KEY, endpoint: "cs-amr.westeurope.redis.azure.net" }, "public");
        assert.equal(keys.primaryConnectionString, `cs-amr.westeurope.redis.azure.net:10000,password=${KEY},ssl=True,abortConnect=False`);
    });

    it("Cosmos DB builds the read-only pair's connection strings too", () => {
        const keys = completeKeySet(target("cosmosdb"), { primaryReadOnlyKey: KEY }, "public");
        assert.equal(keys.primaryReadOnlyConnectionString, `AccountEndpoint=https://cs-cosmos.documents.azure.com:443/;AccountKey=${KEY};`);
    });
});
