import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { entraAuthorityMetadata } from "../../src/arm/credential";

// MSAL's endpoint discovery for an authority host it has no metadata for is answered from Microsoft
// Entra's endpoint layout, in the credential's pipeline; every other request goes out unchanged.

type Policy = ReturnType<typeof entraAuthorityMetadata>;
type Request = Parameters<Policy["sendRequest"]>[0];
type Next = Parameters<Policy["sendRequest"]>[1];

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const SENT = Symbol("sent to the network");

/** Runs `url` through the policy: the answer it gave, or SENT when it passed the request on. */
async function through(authorityHost: string, method: string, url: string) {
    const request = { method, url } as Request;
    const next: Next = async () => ({ request, status: 599, headers: undefined as never, bodyAsText: String(SENT) });
    const response = await entraAuthorityMetadata(authorityHost).sendRequest(request, next);
    return response.status === 599 ? SENT : response;
}

describe("the authority's endpoints, without asking it", () => {
    it("answers the discovery GET of the configured host with the tenant's Entra endpoints, as JSON", async () => {
        const response = await through("https://login.example.test", "GET", `https://login.example.test/${TENANT}/v2.0/.well-known/openid-configuration`);
        assert.notEqual(response, SENT);
        if (response === SENT) return;
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("Content-Type"), "application/json; charset=utf-8");
        assert.deepEqual(response.headers.toJSON(), { "content-type": "application/json; charset=utf-8" });
        assert.deepEqual(JSON.parse(response.bodyAsText!), {
            token_endpoint: `https://login.example.test/${TENANT}/oauth2/v2.0/token`,
            authorization_endpoint: `https://login.example.test/${TENANT}/oauth2/v2.0/authorize`,
            end_session_endpoint: `https://login.example.test/${TENANT}/oauth2/v2.0/logout`,
            jwks_uri: `https://login.example.test/${TENANT}/discovery/v2.0/keys`,
            issuer: `https://login.example.test/${TENANT}/v2.0`,
        });
    });

    it("follows the tenant MSAL asks for, spelled as MSAL spells it, on a host with a port", async () => {
        const response = await through("https://127.0.0.1:8443/", "GET", "https://127.0.0.1:8443/organizations/v2.0/.well-known/openid-configuration");
        assert.notEqual(response, SENT);
        if (response !== SENT) assert.equal(JSON.parse(response.bodyAsText!).token_endpoint, "https://127.0.0.1:8443/organizations/oauth2/v2.0/token");
    });

    it("passes on everything else: the token request, another host, another port, another path, ADFS", async () => {
        const host = "https://login.example.test";
        for (const [method, url] of [
            ["POST", `${host}/${TENANT}/oauth2/v2.0/token`],
            ["POST", `${host}/${TENANT}/v2.0/.well-known/openid-configuration`],
            ["GET", `https://login.other.test/${TENANT}/v2.0/.well-known/openid-configuration`],
            ["GET", `https://login.example.test:8443/${TENANT}/v2.0/.well-known/openid-configuration`],
            ["GET", `http://login.example.test/${TENANT}/v2.0/.well-known/openid-configuration`],
            ["GET", `${host}/${TENANT}/.well-known/openid-configuration`],
            ["GET", `${host}/common/discovery/instance?api-version=1.1`],
            ["GET", `${host}/adfs/v2.0/.well-known/openid-configuration`],
            ["GET", `${host}/ADFS/v2.0/.well-known/openid-configuration`],
            ["GET", `${host}/adfs/.well-known/openid-configuration`],
        ]) {
            assert.equal(await through(host, method, url), SENT, `${method} ${url}`);
        }
    });
});
