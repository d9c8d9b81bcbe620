import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import type { AzureEmulator } from "../../emulator";
import { AzureEmulator as Emulator } from "../../emulator";
import { keyRotationUrn, up } from "../../scripts/engine";
import { resolveConfiguration } from "../../src/arm/configuration";
import { createCredential, TokenCache } from "../../src/arm/credential";
import { diagnoseSignIn } from "../../src/arm/diagnose";
import { resourceIds, startEmulator } from "../helpers/emulator";
import { register, startHost } from "../helpers/host";

// MSAL reports an untrusted certificate, nothing listening and an unknown tenant alike, as
// `endpoints_resolution_error`. After a failure, one plain request finds the cause; the message
// names it, the variable the address came from, the identity used and what it won over. No TLS
// check is switched off, and no secret reaches a message.

let emulator: AzureEmulator;
const REAL_LOOKING = {
    ARM_CLIENT_ID: "3f1c2a4b-5d6e-4f70-8a9b-0c1d2e3f4a5b",
    ARM_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    ARM_CLIENT_SECRET: "Zx8Q~realLookingSecretValue.0123456789abcd",
};

before(async () => {
    emulator = await startEmulator();
});
after(async () => {
    await emulator.stop();
});

/** A port nothing listens on (free a moment ago). */
async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    return port;
}

/** Signs in as the provider would with this environment; resolves with the error message. */
async function signInFailure(env: Record<string, string>): Promise<string> {
    const configuration = resolveConfiguration(() => undefined, env);
    const tokens = new TokenCache(createCredential(configuration), configuration.settings.scope, {
        authority: configuration.settings.authorityHost,
        source: configuration.source,
    });
    return tokens.token().then(
        () => assert.fail("signed in"),
        (e: Error) => e.message,
    );
}

function assertNoSecret(message: string, ...secrets: string[]): void {
    for (const secret of secrets) assert.ok(!message.includes(secret), "no secret in the message");
}

describe("sign-in failures name their cause", () => {
    it("an untrusted certificate: which host, and that NODE_EXTRA_CA_CERTS, read at process start, fixes it", async () => {
        // An emulator with a CA of its own, which this process was not started to trust.
        const untrusted = await Emulator.start();
        try {
            const message = await signInFailure({ ...untrusted.rehearsalEnv(), NODE_EXTRA_CA_CERTS: "" });
            assert.match(
                message,
                new RegExp(
                    `the TLS certificate of ${new URL(untrusted.url).host} is not trusted \\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)\\)`,
                ),
            );
            assert.match(message, /set NODE_EXTRA_CA_CERTS to its CA file/);
            assert.match(message, /Node reads it once, when a process starts/);
            assert.match(message, /Identity: client secret \(ARM_CLIENT_ID, ARM_TENANT_ID, ARM_CLIENT_SECRET\)/);
            assertNoSecret(message, untrusted.identity.clientSecret);
        } finally {
            await untrusted.stop();
        }
    });

    it("nothing listening at the authority host: which URL, from which variable", { timeout: 60_000 }, async () => {
        const url = `https://127.0.0.1:${await closedPort()}`;
        const message = await signInFailure({ ...emulator.rehearsalEnv(), AZURE_AUTHORITY_HOST: url, AZURE_RESOURCE_MANAGER_ENDPOINT: url });
        assert.match(message, new RegExp(`nothing is listening at the authority host ${url} \\(from AZURE_AUTHORITY_HOST\\)`));
        assert.match(message, /check that the emulator \(or the endpoint\) runs, on that port/);
        assertNoSecret(message, emulator.identity.clientSecret);
    });

    it("a wrong ARM endpoint port: nothing listening there, from AZURE_RESOURCE_MANAGER_ENDPOINT, rather than AADSTS500011 alone", async () => {
        const url = `https://127.0.0.1:${await closedPort()}`;
        const message = await signInFailure({ ...emulator.rehearsalEnv(), AZURE_RESOURCE_MANAGER_ENDPOINT: url });
        assert.match(message, new RegExp(`nothing is listening at the ARM endpoint ${url} \\(from AZURE_RESOURCE_MANAGER_ENDPOINT\\)`));
        assert.match(message, /AADSTS500011/);
    });

    it("a shell's real ARM_* winning over the emulator's AZURE_*: the unknown tenant, from ARM_TENANT_ID, and why ARM_* won", async () => {
        const message = await signInFailure({ ...emulator.env(), ...REAL_LOOKING });
        assert.match(message, /does not know the tenant from ARM_TENANT_ID/);
        assert.match(message, /Identity: client secret \(ARM_CLIENT_ID, ARM_TENANT_ID, ARM_CLIENT_SECRET\)/);
        assert.match(
            message,
            /AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_CLIENT_SECRET are set too but not used: azure-native's settings \(stack config azure-native:\*, then ARM_\*\) come before them/,
        );
        assertNoSecret(message, REAL_LOOKING.ARM_CLIENT_SECRET, emulator.identity.clientSecret);
    });

    it("the diagnosis makes plain HTTPS requests with TLS verified, and is silent when both endpoints answer", async () => {
        const target = {
            authorityHost: emulator.url,
            authorityFrom: "AZURE_AUTHORITY_HOST",
            endpoint: emulator.url,
            endpointFrom: "AZURE_RESOURCE_MANAGER_ENDPOINT",
        };
        assert.equal(await diagnoseSignIn({ ...target, tenant: { id: emulator.identity.tenantId, from: "ARM_TENANT_ID" } }), undefined);
        const probed: string[] = [];
        const cause = await diagnoseSignIn(target, async (url) => {
            probed.push(url);
            return { code: "SELF_SIGNED_CERT_IN_CHAIN" };
        });
        assert.match(cause ?? "", /is not trusted \(SELF_SIGNED_CERT_IN_CHAIN\)/);
        assert.deepEqual(probed, [`${emulator.url}/organizations/v2.0/.well-known/openid-configuration`]);
    });
});

describe("through Pulumi's provider host", () => {
    const id = resourceIds("sign-in").communication;
    const urn = keyRotationUrn("acs");

    it("no identity at all: the azure-native:* stack config and ARM_* variables to set, not only the credential chain", { timeout: 120_000 }, async () => {
        emulator.createResource(id);
        const { acs } = await register({ acs: { resourceId: id, keyType: "Primary" } });
        // No identity anywhere, and no Azure CLI, PowerShell or azd on the PATH.
        const { host, stop } = await startHost(emulator, { AZURE_CLIENT_ID: "", AZURE_TENANT_ID: "", AZURE_CLIENT_SECRET: "", PATH: "/nonexistent" });
        try {
            const error = await up(host, urn, acs.inputs).then(
                () => assert.fail("rotated"),
                (e: Error) => e,
            );
            assert.match(error.message, /no Azure identity is configured for KeyRotation/);
            for (const name of [
                "azure-native:clientId",
                "azure-native:tenantId",
                "azure-native:clientSecret",
                "ARM_CLIENT_ID",
                "ARM_TENANT_ID",
                "ARM_CLIENT_SECRET",
                "az login",
            ]) {
                assert.ok(error.message.includes(name), name);
            }
            assert.match(error.message, /DefaultAzureCredential tried each source it knows: EnvironmentCredential is unavailable/);
        } finally {
            await stop();
        }
    });

    it("the pasted AZURE_* shadowed by the shell's ARM_*: the message says so", { timeout: 120_000 }, async () => {
        const { acs } = await register({ acs: { resourceId: id, keyType: "Primary" } });
        const { host, stop } = await startHost(emulator, REAL_LOOKING);
        try {
            const error = await up(host, urn, acs.inputs).then(
                () => assert.fail("rotated"),
                (e: Error) => e,
            );
            assert.match(error.message, /does not know the tenant from ARM_TENANT_ID/);
            assert.match(error.message, /AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_CLIENT_SECRET are set too but not used/);
            assertNoSecret(error.message + host.stderr, REAL_LOOKING.ARM_CLIENT_SECRET);
        } finally {
            await stop();
        }
    });
});
