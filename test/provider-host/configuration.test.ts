import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { keyRotationUrn, type Registration, type StackConfig, up } from "../../scripts/engine";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { register, startHost } from "../helpers/host";

// The provider reads azure-native's stack config in `configure`, as Pulumi's host hands it over,
// with the ARM_* and AZURE_* environment behind it. Every case runs a rotation through a fresh host.

let emulator: AzureEmulator;
let registration: Registration;
const ids = resourceIds("config");
const urn = keyRotationUrn("signalr");

/** No identity in the environment: only the emulator's endpoints and CA (what an override needs). */
const NO_IDENTITY = { AZURE_CLIENT_ID: "", AZURE_TENANT_ID: "", AZURE_CLIENT_SECRET: "" };

before(async () => {
    emulator = await startEmulator();
    emulator.createResource(ids.signalr);
    registration = (await register({ signalr: { resourceId: ids.signalr, keyType: "Primary", trigger: "1" } })).signalr;
});
after(async () => {
    await emulator.stop();
});

/** A rotation through a host started with `env` added and `config` as the stack config. */
async function rotate(env: Record<string, string>, config: StackConfig) {
    const { host, stop } = await startHost(emulator, env, config);
    try {
        return { result: await up(host, urn, registration.inputs), stderr: host.stderr };
    } finally {
        await stop();
    }
}

/** A rotation that must fail; resolves with the error and what the host logged. */
async function refused(env: Record<string, string>, config: StackConfig) {
    const { host, stop } = await startHost(emulator, env, config);
    try {
        const error = await up(host, urn, registration.inputs).then(
            () => assert.fail("the rotation went ahead"),
            (e: Error) => e,
        );
        // The host is still up: a later call is answered (with the same error, not another identity).
        await assert.rejects(host.create(urn, registration.inputs), (e: Error) => e.message === error.message);
        return { error, stderr: host.stderr };
    } finally {
        await stop();
    }
}

const generation = () => emulator.resource(ids.signalr)!.generations.Primary;

describe("credentials from azure-native's stack config", () => {
    it("a client secret in stack config (a Pulumi secret) signs in, with no AZURE_* identity in the environment", async () => {
        const before = generation();
        const { result } = await rotate(NO_IDENTITY, {
            "azure-native:clientId": emulator.identity.clientId,
            "azure-native:tenantId": emulator.identity.tenantId,
            "azure-native:clientSecret": { secret: emulator.identity.clientSecret },
        });
        assert.equal(result.step, "create");
        assert.equal(generation(), before + 1);
    });

    it("stack config comes before ARM_* and AZURE_* variables", async () => {
        const before = generation();
        await rotate(
            {
                AZURE_CLIENT_SECRET: "wrong-azure",
                ARM_CLIENT_ID: emulator.identity.clientId,
                ARM_TENANT_ID: emulator.identity.tenantId,
                ARM_CLIENT_SECRET: "wrong-arm",
            },
            { "azure-native:clientSecret": { secret: emulator.identity.clientSecret } },
        );
        assert.equal(generation(), before + 1);
    });

    it("azure-native's ARM_* variables come before AZURE_* ones", async () => {
        const before = generation();
        await rotate(
            {
                AZURE_CLIENT_SECRET: "wrong-azure",
                ARM_CLIENT_ID: emulator.identity.clientId,
                ARM_TENANT_ID: emulator.identity.tenantId,
                ARM_CLIENT_SECRET: emulator.identity.clientSecret,
            },
            {},
        );
        assert.equal(generation(), before + 1);
    });

    it("without any, DefaultAzureCredential reads the AZURE_* variables", async () => {
        const before = generation();
        await rotate({}, {});
        assert.equal(generation(), before + 1);
    });

    it("OIDC with a federated token request URL and token (GitHub Actions)", async () => {
        const before = generation();
        const request = emulator.federatedTokenRequest();
        await rotate(NO_IDENTITY, {
            "azure-native:useOidc": "true",
            "azure-native:clientId": emulator.identity.clientId,
            "azure-native:tenantId": emulator.identity.tenantId,
            "azure-native:oidcRequestUrl": request.url,
            "azure-native:oidcRequestToken": { secret: request.token },
        });
        assert.equal(generation(), before + 1);
    });

    it("OIDC with a federated token given as is", async () => {
        const before = generation();
        await rotate(NO_IDENTITY, {
            "azure-native:useOidc": "true",
            "azure-native:clientId": emulator.identity.clientId,
            "azure-native:tenantId": emulator.identity.tenantId,
            "azure-native:oidcToken": { secret: emulator.identity.federatedToken() },
        });
        assert.equal(generation(), before + 1);
    });

    it("a managed identity (useMsi), here App Service's endpoint", async () => {
        const before = generation();
        await rotate(
            { ...NO_IDENTITY, ...emulator.managedIdentityEnv() },
            { "azure-native:useMsi": "true", "azure-native:clientId": emulator.identity.clientId },
        );
        assert.equal(generation(), before + 1);
    });
});

describe("configuration mistakes fail before any call, naming the keys", () => {
    const cases: Array<{ name: string; env?: Record<string, string>; config: StackConfig; expect: RegExp[] }> = [
        {
            name: "a clientId without a secret or tenant",
            config: { "azure-native:clientId": "00000000-0000-0000-0000-000000000001" },
            expect: [
                /azure-native:clientId is set but nothing to sign in with/,
                /azure-native:clientSecret/,
                /azure-native:tenantId/,
                /azure-native:useOidc/,
                /azure-native:useMsi/,
            ],
        },
        {
            name: "a client secret without a tenant",
            config: { "azure-native:clientId": "00000000-0000-0000-0000-000000000001", "azure-native:clientSecret": { secret: "s3cr3t-value" } },
            expect: [/signing in with a client secret needs azure-native:tenantId \(or ARM_TENANT_ID\)/],
        },
        {
            name: "useOidc without a federated token",
            config: {
                "azure-native:useOidc": "true",
                "azure-native:clientId": "c",
                "azure-native:tenantId": "t",
                "azure-native:oidcRequestUrl": "https://example.invalid/token",
            },
            expect: [/needs a federated token/, /azure-native:oidcRequestToken/, /azure-native:oidcToken/],
        },
        {
            name: "an unknown environment",
            config: { "azure-native:environment": "german" },
            expect: [/azure-native:environment is "german"; it must be one of public, usgovernment, china/],
        },
        { name: "useMsi that is not a boolean", config: { "azure-native:useMsi": "yes" }, expect: [/azure-native:useMsi must be true or false/] },
        {
            name: "ARM_USE_OIDC without a client id",
            env: { ARM_USE_OIDC: "true" },
            config: {},
            expect: [/signing in with OIDC needs azure-native:clientId \(or ARM_CLIENT_ID\)/],
        },
    ];
    for (const c of cases) {
        it(c.name, async () => {
            emulator.clearRequests();
            const { error, stderr } = await refused({ ...NO_IDENTITY, ...c.env }, c.config);
            for (const pattern of c.expect) assert.match(error.message, pattern);
            assert.match(error.message, /KeyRotation's Azure configuration/);
            assert.equal(emulator.requests.length, 0, "nothing reached the emulator, the token endpoint included");
            assert.ok(!error.message.includes("s3cr3t-value") && !stderr.includes("s3cr3t-value"), "the secret stays out of errors and logs");
            // The host prints a failed check as `${e}: ${e.stack}`: the message once, nothing dangling.
            const printed = stderr.split("\n").filter((line) => line.includes("KeyRotation's Azure configuration"));
            assert.deepEqual(printed, [`ConfigurationError: ${error.message}`]);
        });
    }
});

describe("a Key Vault of another cloud than the stack's", () => {
    it("is refused in check, naming keyVault.vaultUri and both clouds, before any request", async () => {
        const kv = await register({
            kv: {
                resourceId: ids.signalr,
                keyType: "Primary",
                trigger: "1",
                keyVault: { vaultUri: "https://config-kv.vault.azure.net/", secretName: "signalr" },
            },
        });
        const { host, stop } = await startHost(emulator, {}, { "azure-native:environment": "usgovernment" });
        try {
            emulator.clearRequests();
            const error = await up(host, urn, kv.kv.inputs).then(
                () => assert.fail("the rotation went ahead"),
                (e: Error) => e,
            );
            assert.match(error.message, /keyVault\.vaultUri "https:\/\/config-kv\.vault\.azure\.net\/" is a vault of the public cloud/);
            assert.match(error.message, /signs in to the usgovernment cloud \(azure-native:environment\): its vaults are \*\.vault\.usgovcloudapi\.net/);
            assert.equal(emulator.requests.length, 0);
        } finally {
            await stop();
        }
    });
});

describe("clouds: azure-native:environment picks the endpoints, reached unchanged through the emulator's proxy", () => {
    const clouds = [
        { environment: "public", authority: "login.microsoftonline.com", arm: "management.azure.com" },
        { environment: "usgovernment", authority: "login.microsoftonline.us", arm: "management.usgovcloudapi.net" },
        // MSAL sends China's authority requests to its preferred network name, as it does in Azure.
        { environment: "china", authority: "login.partner.microsoftonline.cn", arm: "management.chinacloudapi.cn" },
    ];
    for (const cloud of clouds) {
        it(`${cloud.environment}: signs in at ${cloud.authority} for ${cloud.arm} and calls ${cloud.arm}`, async () => {
            const proxy = await emulator.startProxy();
            emulator.tunnels.length = 0;
            emulator.clearRequests();
            const before = generation();
            // No endpoint override: only the connection goes to the emulator, through HTTPS_PROXY.
            await rotate(
                {
                    ...NO_IDENTITY,
                    AZURE_RESOURCE_MANAGER_ENDPOINT: "",
                    AZURE_AUTHORITY_HOST: "",
                    HTTPS_PROXY: proxy,
                    https_proxy: "",
                    NO_PROXY: "",
                    no_proxy: "",
                },
                {
                    "azure-native:environment": cloud.environment,
                    "azure-native:clientId": emulator.identity.clientId,
                    "azure-native:tenantId": emulator.identity.tenantId,
                    "azure-native:clientSecret": { secret: emulator.identity.clientSecret },
                },
            );
            assert.equal(generation(), before + 1);
            const targets = new Set(emulator.tunnels.map((t) => t.target));
            assert.deepEqual([...targets].sort(), [`${cloud.authority}:443`, `${cloud.arm}:443`].sort());
            assert.ok(emulator.tunnels.every((t) => t.allowed));
            const token = emulator.requests.filter((r) => r.operation === "Token");
            assert.deepEqual(new Set(token.map((r) => r.host)), new Set([cloud.authority]));
            assert.deepEqual(new Set(emulator.armRequests().map((r) => r.host)), new Set([cloud.arm]));
        });
    }

    it("AZURE_RESOURCE_MANAGER_ENDPOINT and AZURE_AUTHORITY_HOST still override the environment's endpoints", async () => {
        emulator.clearRequests();
        const before = generation();
        await rotate(NO_IDENTITY, {
            "azure-native:environment": "china",
            "azure-native:clientId": emulator.identity.clientId,
            "azure-native:tenantId": emulator.identity.tenantId,
            "azure-native:clientSecret": { secret: emulator.identity.clientSecret },
        });
        assert.equal(generation(), before + 1);
        assert.deepEqual(new Set(emulator.requests.map((r) => r.host)), new Set([new URL(emulator.url).host]));
    });
});
