/**
 * A resource's GET names the hosts a rotation then sends keys and signed probes to (Storage's
 * `primaryEndpoints`, `properties.endpoint`, a login server, a host name). An answer that names any
 * other host (another domain, a look-alike, a port, userinfo, http) is refused before anything is
 * sent there or written into a connection string.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isArmError } from "../../src/arm/errors";
import type { ArmClient } from "../../src/core/armClient";
import { endpointDomains, readProperties } from "../../src/core/properties";
import { contextFor } from "../helpers/armClient";
import { resourceIds } from "../helpers/emulator";

/** An ARM client whose every GET answers `body`. */
function answering(body: unknown): ArmClient {
    return {
        send: async () => ({ status: 200, headers: {}, body }),
        waitForCompletion: async () => {
            throw new Error("not used");
        },
    };
}

const ids = resourceIds("hostilegets");
const nameOf = (id: string) => id.split("/").pop()!.toLowerCase();

async function read(service: string, body: unknown) {
    const ctx = contextFor(answering(body), ids[service]);
    return readProperties(ctx, ctx.target.entry.reads ?? []);
}

async function refused(service: string, body: unknown, what: string) {
    await assert.rejects(read(service, body), (error: unknown) => {
        assert.ok(isArmError(error), `${what}: an ArmError, not ${String(error)}`);
        assert.equal(error.code, "InvalidResource", what);
        return true;
    });
}

describe("a Storage account's GET cannot send the key's signature to another host", () => {
    const account = nameOf(ids.storage);
    const blob = (url: string) => ({ properties: { primaryEndpoints: { blob: url } } });

    it("the standard and the Azure DNS zone endpoints of the account are taken", async () => {
        for (const url of [`https://${account}.blob.core.windows.net/`, `https://${account}.z24.blob.storage.azure.net/`]) {
            assert.deepEqual((await read("storage", blob(url))).endpoints, { blob: url });
        }
    });

    it("an endpoint on another host, port, scheme, or with userinfo is refused", async () => {
        for (const url of [
            "https://attacker.example/",
            `https://${account}.blob.core.windows.net.attacker.example/`,
            `https://${account}.blob.core.windows.net:8443/`,
            `https://user:pass@${account}.blob.core.windows.net/`,
            `http://${account}.blob.core.windows.net/`,
            `https://other${account}.blob.core.windows.net/`,
            `https://${account}.z24.blob.storage.azure.net.attacker.example/`,
            `https://${account}.blob.core.windows.net/?redirect=https://attacker.example/`,
            `https://${account}.queue.core.windows.net/`,
        ]) {
            await refused("storage", blob(url), url);
        }
    });
});

describe("a resource's endpoint from its GET is one of the service's hosts", () => {
    const CASES: Array<[string, (body: string) => unknown, string]> = [
        ["cognitive-services", (v) => ({ properties: { endpoint: v } }), `https://${nameOf(ids["cognitive-services"])}.openai.azure.com/`],
        ["batch", (v) => ({ properties: { accountEndpoint: v } }), `${nameOf(ids.batch)}.westus.batch.azure.com`],
        ["container-registry", (v) => ({ properties: { loginServer: v, adminUserEnabled: true } }), `${nameOf(ids["container-registry"])}.azurecr.io`],
        ["eventgrid-topic", (v) => ({ properties: { endpoint: v } }), `https://${nameOf(ids["eventgrid-topic"])}.westus-1.eventgrid.azure.net/api/events`],
        [
            "eventgrid-namespace",
            (v) => ({ properties: { topicsConfiguration: { hostname: v } } }),
            `${nameOf(ids["eventgrid-namespace"])}.westus-1.eventgrid.azure.net`,
        ],
        ["managed-redis", (v) => ({ properties: { hostName: v } }), "cluster1.westus.redis.azure.net"],
    ];
    for (const [service, body, good] of CASES) {
        it(`${service}: its own host is taken, another is refused`, async () => {
            assert.equal((await read(service, body(good))).endpoint, good);
            const url = /^https:/.test(good);
            const hostile = url
                ? [
                      "https://attacker.example/",
                      "https://user:pass@attacker.example/",
                      good.replace(/(\.[a-z]+)\//, "$1:8443/"),
                      good.replace("https:", "http:"),
                  ]
                : ["attacker.example", `${good}.attacker.example`, `${good}:8443`, `attacker.example/${good}`, `user@${good}`];
            for (const value of hostile) await refused(service, body(value), value);
        });
    }
});

describe("a KeyRotation that never proves its keys (verify: false)", () => {
    it("takes an endpoint on a domain the provider does not know (it only outputs it, and sends nothing there), and still refuses one that is not an https host", async () => {
        const ctx = {
            ...contextFor(answering({ properties: { hostName: "cluster1.westus.redis.example-sovereign.net" } }), ids["managed-redis"]),
            verifies: false,
        };
        const reads = ctx.target.entry.reads ?? [];
        assert.equal((await readProperties(ctx, reads)).endpoint, "cluster1.westus.redis.example-sovereign.net");
        await assert.rejects(readProperties({ ...ctx, verifies: true }, reads), /set `verify: false`: the endpoint is then only output/);
        for (const value of ["user@attacker.example", "attacker.example:8443", "http://attacker.example/"]) {
            const bad = { ...contextFor(answering({ properties: { hostName: value } }), ids["managed-redis"]), verifies: false };
            await assert.rejects(readProperties(bad, reads), (error: unknown) => isArmError(error) && error.code === "InvalidResource");
        }
    });

    it("a Translator resource's global endpoint is one of AI Services' hosts", async () => {
        const good = "https://api.cognitive.microsofttranslator.com/";
        assert.equal((await read("cognitive-services", { properties: { endpoint: good } })).endpoint, good);
    });
});

describe("every endpoint a GET gives has the service's domains", () => {
    it("each catalog entry with an endpoint read names its domains in every cloud", async () => {
        const { CATALOG } = await import("../../src/catalog/services");
        for (const entry of CATALOG) {
            if (!entry.reads?.some((read) => read.endpoint)) continue;
            for (const cloud of ["public", "usgovernment", "china"] as const) {
                assert.ok(endpointDomains(entry.service, cloud)?.length, `${entry.service} in ${cloud}`);
            }
        }
    });
});
