import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigurationError, resolveConfiguration } from "../../src/arm/configuration";

const config = (values: Record<string, string>) => (key: string) => values[key];
const none = config({});

describe("resolveConfiguration: clouds", () => {
    const table: Array<[string, string, string, string]> = [
        ["public", "https://management.azure.com", "https://management.azure.com/.default", "https://login.microsoftonline.com"],
        ["usgovernment", "https://management.usgovcloudapi.net", "https://management.usgovcloudapi.net/.default", "https://login.microsoftonline.us"],
        ["china", "https://management.chinacloudapi.cn", "https://management.chinacloudapi.cn/.default", "https://login.chinacloudapi.cn"],
    ];
    for (const [environment, endpoint, scope, authorityHost] of table) {
        it(`${environment}: ARM endpoint, token scope and authority host`, () => {
            const { cloud, settings } = resolveConfiguration(config({ "azure-native:environment": environment }), {});
            assert.equal(cloud, environment);
            assert.deepEqual(settings, {
                endpoint,
                scope,
                authorityHost,
                disableInstanceDiscovery: false,
                endpointFrom: `the ${environment} cloud's default`,
                authorityFrom: `the ${environment} cloud's default`,
            });
        });
    }

    it("defaults to public and accepts the Azure CLI's names, in any case", () => {
        assert.equal(resolveConfiguration(none, {}).cloud, "public");
        assert.equal(resolveConfiguration(config({ "azure-native:environment": "AzureUSGovernment" }), {}).cloud, "usgovernment");
        assert.equal(resolveConfiguration(config({ "azure-native:environment": "AzureChinaCloud" }), {}).cloud, "china");
        assert.equal(resolveConfiguration(config({ "azure-native:environment": "USGov" }), {}).cloud, "usgovernment");
    });

    it("reads ARM_ENVIRONMENT, then AZURE_ENVIRONMENT, when stack config has none", () => {
        assert.equal(resolveConfiguration(none, { ARM_ENVIRONMENT: "china", AZURE_ENVIRONMENT: "usgovernment" }).cloud, "china");
        assert.equal(resolveConfiguration(none, { AZURE_ENVIRONMENT: "usgovernment" }).cloud, "usgovernment");
        assert.equal(resolveConfiguration(config({ "azure-native:environment": "public" }), { ARM_ENVIRONMENT: "china" }).cloud, "public");
    });

    it("AZURE_RESOURCE_MANAGER_ENDPOINT and AZURE_AUTHORITY_HOST override the cloud's, and the scope follows the endpoint", () => {
        const { settings } = resolveConfiguration(config({ "azure-native:environment": "usgovernment" }), {
            AZURE_RESOURCE_MANAGER_ENDPOINT: "https://management.local.azurestack.external/",
            AZURE_AUTHORITY_HOST: "https://adfs.local.azurestack.external",
        });
        assert.deepEqual(settings, {
            endpoint: "https://management.local.azurestack.external",
            scope: "https://management.local.azurestack.external/.default",
            authorityHost: "https://adfs.local.azurestack.external",
            // MSAL's instance discovery would ask the public cloud about this host.
            disableInstanceDiscovery: true,
            // Where each came from, for messages.
            endpointFrom: "AZURE_RESOURCE_MANAGER_ENDPOINT",
            authorityFrom: "AZURE_AUTHORITY_HOST",
        });
    });

    it("refuses an http endpoint override, naming the variable", () => {
        assert.throws(
            () => resolveConfiguration(none, { AZURE_RESOURCE_MANAGER_ENDPOINT: "http://127.0.0.1:8080" }),
            /AZURE_RESOURCE_MANAGER_ENDPOINT must be an https URL/,
        );
    });
});

describe("resolveConfiguration: credentials and their precedence", () => {
    it("a client secret from stack config", () => {
        const { credential, source } = resolveConfiguration(
            config({ "azure-native:clientId": "c", "azure-native:tenantId": "t", "azure-native:clientSecret": "s" }),
            {},
        );
        assert.deepEqual(credential, { kind: "clientSecret", clientId: "c", tenantId: "t", clientSecret: "s" });
        assert.equal(source, "client secret (azure-native:clientId, azure-native:tenantId, azure-native:clientSecret)");
    });

    it("each setting falls back to azure-native's variable on its own: the id in stack config, the secret in ARM_CLIENT_SECRET", () => {
        const { credential, source } = resolveConfiguration(config({ "azure-native:clientId": "c", "azure-native:tenantId": "t" }), {
            ARM_CLIENT_SECRET: "s",
            ARM_CLIENT_ID: "other",
        });
        assert.deepEqual(credential, { kind: "clientSecret", clientId: "c", tenantId: "t", clientSecret: "s" });
        assert.match(source, /azure-native:clientId, azure-native:tenantId, ARM_CLIENT_SECRET/);
    });

    it("names what the identity won over, and why (for sign-in failure messages), never a value", () => {
        const fromConfig = resolveConfiguration(config({ "azure-native:clientId": "c", "azure-native:tenantId": "t", "azure-native:clientSecret": "s" }), {
            ARM_CLIENT_SECRET: "arm-secret",
        });
        assert.equal(fromConfig.shadowed, "ARM_CLIENT_SECRET is set too but not used: stack config (azure-native:clientSecret) comes first");
        const fromArm = resolveConfiguration(none, {
            ARM_CLIENT_ID: "c",
            ARM_TENANT_ID: "t",
            ARM_CLIENT_SECRET: "s",
            AZURE_CLIENT_ID: "a",
            AZURE_CLIENT_SECRET: "z",
        });
        assert.equal(
            fromArm.shadowed,
            "AZURE_CLIENT_ID, AZURE_CLIENT_SECRET are set too but not used: azure-native's settings (stack config azure-native:*, then ARM_*) come before them",
        );
        assert.equal(resolveConfiguration(none, { AZURE_CLIENT_ID: "a", AZURE_TENANT_ID: "t", AZURE_CLIENT_SECRET: "s" }).shadowed, undefined);
        assert.equal(resolveConfiguration(none, { ARM_CLIENT_ID: "c", ARM_TENANT_ID: "t", ARM_CLIENT_SECRET: "s" }).shadowed, undefined);
    });

    it("AZURE_* variables are left to DefaultAzureCredential, after stack config and ARM_*", () => {
        const env = { AZURE_CLIENT_ID: "a", AZURE_TENANT_ID: "t", AZURE_CLIENT_SECRET: "s" };
        assert.deepEqual(resolveConfiguration(none, env).credential, { kind: "default", tenantId: undefined });
        assert.equal(
            resolveConfiguration(config({ "azure-native:clientId": "c", "azure-native:tenantId": "t", "azure-native:clientSecret": "x" }), env).credential.kind,
            "clientSecret",
        );
    });

    it("a tenant alone goes to DefaultAzureCredential for that tenant", () => {
        assert.deepEqual(resolveConfiguration(config({ "azure-native:tenantId": "t" }), {}).credential, { kind: "default", tenantId: "t" });
    });

    it("the order azure-native follows: client secret, then OIDC, then managed identity", () => {
        const all = {
            "azure-native:clientId": "c",
            "azure-native:tenantId": "t",
            "azure-native:useOidc": "true",
            "azure-native:oidcToken": "jwt",
            "azure-native:useMsi": "true",
        };
        assert.equal(resolveConfiguration(config({ ...all, "azure-native:clientSecret": "s" }), {}).credential.kind, "clientSecret");
        assert.equal(resolveConfiguration(config(all), {}).credential.kind, "oidc");
        assert.deepEqual(resolveConfiguration(config({ ...all, "azure-native:useOidc": "false" }), {}).credential, { kind: "managedIdentity", clientId: "c" });
    });

    it("OIDC from GitHub Actions' variables, with the default audience", () => {
        const { credential } = resolveConfiguration(none, {
            ARM_USE_OIDC: "true",
            ARM_CLIENT_ID: "c",
            ARM_TENANT_ID: "t",
            ACTIONS_ID_TOKEN_REQUEST_URL: "https://pipelines.actions.githubusercontent.com/abc/idtoken?api-version=2.0",
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: "r",
        });
        assert.deepEqual(credential, {
            kind: "oidc",
            clientId: "c",
            tenantId: "t",
            token: undefined,
            tokenFilePath: undefined,
            requestUrl: "https://pipelines.actions.githubusercontent.com/abc/idtoken?api-version=2.0",
            requestToken: "r",
            audience: "api://AzureADTokenExchange",
        });
    });

    it("OIDC from a token file (workload identity)", () => {
        const { credential } = resolveConfiguration(
            config({
                "azure-native:useOidc": "true",
                "azure-native:clientId": "c",
                "azure-native:tenantId": "t",
                "azure-native:oidcTokenFilePath": "/var/run/token",
            }),
            {},
        );
        assert.equal(credential.kind === "oidc" && credential.tokenFilePath, "/var/run/token");
    });
});

describe("resolveConfiguration: mistakes", () => {
    const mistakes: Array<[string, Record<string, string>, Record<string, string>, RegExp]> = [
        [
            "a client secret without a client id",
            { "azure-native:clientSecret": "hunter2", "azure-native:tenantId": "t" },
            {},
            /needs azure-native:clientId \(or ARM_CLIENT_ID\); only azure-native:clientSecret, azure-native:tenantId are set/,
        ],
        ["a client id alone", { "azure-native:clientId": "c" }, {}, /azure-native:clientId is set but nothing to sign in with/],
        ["ARM_CLIENT_ID alone", {}, { ARM_CLIENT_ID: "c" }, /ARM_CLIENT_ID is set but nothing to sign in with/],
        [
            "an OIDC request URL without its token",
            { "azure-native:useOidc": "true", "azure-native:clientId": "c", "azure-native:tenantId": "t", "azure-native:oidcRequestUrl": "https://x.invalid" },
            {},
            /azure-native:oidcRequestUrl is set, azure-native:oidcRequestToken \(or ACTIONS_ID_TOKEN_REQUEST_TOKEN\) is not/,
        ],
        [
            "an http OIDC request URL (it would send the request token in clear)",
            {
                "azure-native:useOidc": "true",
                "azure-native:clientId": "c",
                "azure-native:tenantId": "t",
                "azure-native:oidcRequestUrl": "http://x.invalid",
                "azure-native:oidcRequestToken": "hunter2",
            },
            {},
            /azure-native:oidcRequestUrl must be an https URL/,
        ],
        ["a PFX client certificate", { "azure-native:clientCertificatePath": "/certs/sp.pfx" }, {}, /cannot sign in with a PFX client certificate/],
        ["an unknown cloud", {}, { ARM_ENVIRONMENT: "stack" }, /ARM_ENVIRONMENT is "stack"; it must be one of public, usgovernment, china/],
        ["useOidc that is not a boolean", { "azure-native:useOidc": "1" }, {}, /azure-native:useOidc must be true or false, got "1"/],
    ];
    for (const [name, values, env, message] of mistakes) {
        it(name, () => {
            assert.throws(
                () => resolveConfiguration(config(values), env),
                (e: Error) => {
                    assert.ok(e instanceof ConfigurationError);
                    assert.match(e.message, message);
                    assert.ok(!e.message.includes("hunter2"), "no secret value in the message");
                    return true;
                },
            );
        });
    }
});
