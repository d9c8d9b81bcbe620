/**
 * Every template in the catalog (connection strings, endpoints, probe URLs and parameters) names
 * only what exists: the entry's own names, the cloud suffixes every cloud has, and the key set's
 * values. A typo there would send a probe to a host that was never meant.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CATALOG, CLOUD_SUFFIXES, type ServiceEntry } from "../../src/catalog";

const KEY_SET_VALUES = new Set(["key", "endpoint", "username", "subscriptionId", "resourceGroupName", "endpoints.blob"]);

function templatesOf(entry: ServiceEntry): string[] {
    const out: string[] = [];
    if (entry.connectionString) out.push(entry.connectionString);
    if (entry.endpoint) out.push(entry.endpoint);
    for (const read of entry.reads ?? []) {
        if (read.resource) out.push(read.resource);
        if (read.endpoints) out.push(read.endpoints.standard.replace("{service}", "blob"));
    }
    if ("scheme" in entry.verify) {
        for (const r of entry.verify.requests) out.push(r.url);
        out.push(...Object.values(entry.verify.params ?? {}));
    }
    return out;
}

describe("catalog templates", () => {
    for (const entry of CATALOG) {
        it(`${entry.service}: every placeholder is a name of its id, a cloud suffix of every cloud, or a value of its key set`, () => {
            const names = new Set([...entry.idTemplate.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]));
            for (const template of templatesOf(entry)) {
                for (const [, placeholder] of template.matchAll(/\{([^}]+)\}/g)) {
                    if (placeholder.startsWith("cloud:")) {
                        for (const cloud of Object.values(CLOUD_SUFFIXES))
                            assert.ok(cloud[placeholder.slice(6) as keyof typeof cloud], `${template}: ${placeholder}`);
                    } else if (!placeholder.startsWith("cs:")) {
                        assert.ok(names.has(placeholder) || KEY_SET_VALUES.has(placeholder), `${template}: {${placeholder}}`);
                    }
                }
            }
        });
    }

    it("every probe is https (or Redis over TLS) and read-only", () => {
        for (const entry of CATALOG) {
            if (!("scheme" in entry.verify)) continue;
            for (const r of entry.verify.requests) {
                assert.match(r.url, /^(https:\/\/|rediss:\/\/|\{endpoint\}|\{cs:endpoint\}|\{endpoints\.blob\})/i, `${entry.service}: ${r.url}`);
                assert.ok(r.method !== "POST" || /issueToken/.test(r.url), `${entry.service}: ${r.method} ${r.url} is not a read`);
            }
        }
    });
});
