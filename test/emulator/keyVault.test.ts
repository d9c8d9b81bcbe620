/**
 * Key Vault's secrets data plane on its real host names, through the emulator's proxy. The official
 * @azure/keyvault-secrets (4.11, the line that runs on Node 20) with a ClientSecretCredential signed
 * in at the emulator writes and reads secrets through Key Vault's real challenge; plain requests
 * show the challenge, each refusal in Key Vault's own shape, paging, and the request log's token
 * accounting (a Key Vault token belongs to its vault only, an ARM token to ARM only).
 */
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { request } from "node:https";
import type { Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { ClientSecretCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { HttpsProxyAgent } from "https-proxy-agent";
import { type AzureEmulator, type EmulatedKeyVault, sampleKeyVaultName } from "../../emulator";
import { resourceIds, startEmulator } from "../helpers/emulator";

let emulator: AzureEmulator;
let proxy: string;
let agent: HttpsProxyAgent<string>;
before(async () => {
    emulator = await startEmulator();
    proxy = await emulator.startProxy();
    agent = new HttpsProxyAgent(proxy);
});
after(() => emulator.stop());

const API = "api-version=2025-07-01";
const DAY_MS = 86_400_000;

interface Answer {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
}

/** One HTTPS request through the emulator's proxy (the emulator's own address too, as the proxy tunnels it). */
function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
        const req = request(url, { method: options.method ?? "GET", headers: options.headers, agent }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (d: string) => (body += d));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.on("error", reject);
        req.end(options.body);
    });
}

/** The status a CONNECT through the proxy is answered with. */
function connectStatus(target: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const req = httpRequest(proxy, { method: "CONNECT", path: target });
        req.on("connect", (res, socket: Socket) => {
            socket.destroy();
            resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
    });
}

/** A token from the emulator's token endpoint (at `authority`, its own address by default) for `resource`. */
async function tokenFor(resource: string, authority = emulator.url): Promise<string> {
    const { tenantId, clientId, clientSecret } = emulator.identity;
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope: `${resource}/.default` });
    const answer = await call(`${authority}/${tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: form.toString(),
    });
    assert.equal(answer.status, 200, answer.body);
    return (JSON.parse(answer.body) as { access_token: string }).access_token;
}

const errorOf = (answer: Answer) => (JSON.parse(answer.body) as { error: { code: string; message: string; innererror?: { code: string } } }).error;

/** The official client, through the proxy, signed in as the emulator's service principal at the emulator's authority. */
function secretClient(vault: EmulatedKeyVault): SecretClient {
    const { tenantId, clientId, clientSecret } = emulator.identity;
    const credential = new ClientSecretCredential(tenantId, clientId, clientSecret, { authorityHost: emulator.url, disableInstanceDiscovery: true });
    const port = Number(new URL(proxy).port);
    return new SecretClient(vault.uri, credential, { proxyOptions: { host: "http://127.0.0.1", port }, retryOptions: { maxRetries: 0 } });
}

/** The SDK's error as the test needs it: status, code and Key Vault's inner code. */
async function sdkRefusal(promise: Promise<unknown>): Promise<{ statusCode?: number; code?: string; inner?: string; message: string }> {
    try {
        await promise;
    } catch (error) {
        const e = error as { statusCode?: number; code?: string; message: string; details?: { error?: { innerError?: { code?: string } } } };
        return { statusCode: e.statusCode, code: e.code, inner: e.details?.error?.innerError?.code, message: e.message };
    }
    assert.fail("the SDK call succeeded");
}

/**
 * Drops the log entries of requests a test sent with a token where it does not belong on purpose,
 * after checking that tokenLeaks() counted each of them (the helper fails the run on any leak left).
 */
function dropDeliberateLeaks(expected: number): void {
    assert.equal(emulator.tokenLeaks().length, expected, JSON.stringify(emulator.tokenLeaks()));
    emulator.requests.length = 0;
}

describe("the official @azure/keyvault-secrets against the emulated Key Vault", () => {
    it("sets three versions, gets the latest and each by version, and lists the versions page by page, through the challenge", async () => {
        const vault = emulator.createKeyVault(sampleKeyVaultName("sdk"));
        const client = secretClient(vault);
        emulator.clearRequests();
        const expiresOn = new Date(Math.floor((Date.now() + 90 * DAY_MS) / 1000) * 1000);
        const first = await client.setSecret("storage-connection", "value-1", { contentType: "text/plain", tags: { owner: "platform" }, expiresOn });
        const second = await client.setSecret("storage-connection", "value-2");
        const third = await client.setSecret("storage-connection", "value-3");

        const versions = [first, second, third].map((s) => s.properties.version ?? "");
        for (const [i, s] of [first, second, third].entries()) {
            assert.match(versions[i], /^[0-9a-f]{32}$/);
            assert.equal(s.properties.id, `${vault.uri}secrets/storage-connection/${versions[i]}`);
            assert.equal(s.properties.vaultUrl, vault.uri.replace(/\/$/, ""));
        }
        assert.equal(new Set(versions).size, 3, "each PUT makes a new version");
        assert.deepEqual(first.properties.expiresOn, expiresOn);
        assert.deepEqual(first.properties.tags, { owner: "platform" });

        assert.equal((await client.getSecret("storage-connection")).value, "value-3");
        const old = await client.getSecret("storage-connection", { version: versions[0] });
        assert.equal(old.value, "value-1");
        assert.equal(old.properties.contentType, "text/plain");
        assert.deepEqual(old.properties.tags, { owner: "platform" });
        assert.deepEqual(old.properties.expiresOn, expiresOn);
        assert.equal((await client.getSecret("storage-connection", { version: versions[1] })).value, "value-2");

        const listed: string[] = [];
        for await (const properties of client.listPropertiesOfSecretVersions("storage-connection")) listed.push(properties.version ?? "");
        assert.deepEqual([...listed].sort(), [...versions].sort());
        const pages: number[] = [];
        for await (const page of client.listPropertiesOfSecretVersions("storage-connection").byPage({ maxPageSize: 2 })) pages.push(page.length);
        assert.deepEqual(pages, [2, 1], "maxresults pages the list, and the SDK follows nextLink");

        // What the vault holds, as a test reads it.
        const stored = emulator.keyVault(vault.name)?.secret("storage-connection");
        assert.deepEqual(
            stored?.versions.map((v) => [v.version, v.value]),
            versions.map((v, i) => [v, `value-${i + 1}`]),
        );
        assert.equal(stored?.versions[0].attributes.exp, expiresOn.getTime() / 1000);
        assert.equal(stored?.versions[0].contentType, "text/plain");

        // The challenge: the first request went without a token, every later one with the vault's token, and no token leaked.
        const log = emulator.dataPlaneRequests().filter((r) => r.host === vault.host);
        assert.deepEqual(
            log.slice(0, 2).map((r) => [r.method, r.status, r.bearer]),
            [
                ["PUT", 401, false],
                ["PUT", 200, true],
            ],
        );
        assert.ok(
            log.slice(1).every((r) => r.bearer && r.audience === "https://vault.azure.net" && r.status === 200),
            JSON.stringify(log),
        );
        assert.ok(log.every((r) => r.apiVersion === "2025-07-01"));
        assert.deepEqual(emulator.tokenLeaks(), []);
    });

    it("a missing permission is refused 403 as RBAC words it (naming the data action); once granted, the retry is let through", async () => {
        const vault = emulator.createKeyVault(sampleKeyVaultName("readonly"), { permissions: ["get", "list"] });
        const client = secretClient(vault);
        const refusal = await sdkRefusal(client.setSecret("storage-connection", "value"));
        assert.equal(refusal.statusCode, 403);
        assert.equal(refusal.code, "Forbidden");
        assert.equal(refusal.inner, "ForbiddenByRbac");
        assert.match(refusal.message, /Caller is not authorized to perform action on resource/);
        assert.match(refusal.message, /Action: 'Microsoft\.KeyVault\/vaults\/secrets\/setSecret\/action'/);
        assert.match(refusal.message, new RegExp(`Resource: '.*/providers/microsoft\\.keyvault/vaults/${vault.name}/secrets/storage-connection'`));
        assert.equal(vault.secret("storage-connection"), undefined, "nothing was written");

        vault.permissions.push("set");
        const written = await client.setSecret("storage-connection", "value");
        assert.equal(vault.latest("storage-connection")?.version, written.properties.version);
    });

    it("a firewall refuses with ForbiddenByFirewall after authentication (the challenge comes first); an IP rule for 127.0.0.1 lets the client in", async () => {
        const vault = emulator.createKeyVault(sampleKeyVaultName("firewalled"), { networkAcls: { defaultAction: "Deny" } });
        vault.setSecret("storage-connection", "value");
        emulator.clearRequests();
        const refusal = await sdkRefusal(secretClient(vault).getSecret("storage-connection"));
        assert.equal(refusal.statusCode, 403);
        assert.equal(refusal.inner, "ForbiddenByFirewall");
        assert.match(refusal.message, /Client address is not authorized and caller is not a trusted service/);
        assert.deepEqual(
            emulator.dataPlaneRequests().map((r) => r.status),
            [401, 403],
        );
        vault.networkAcls = { defaultAction: "Deny", ipRules: ["127.0.0.1"] };
        assert.equal((await secretClient(vault).getSecret("storage-connection")).value, "value");
    });
});

describe("Key Vault's protocol, request by request", () => {
    it("a request without a token gets the challenge: 401, the emulator's authority and tenant, the vault's resource", async () => {
        const vault = emulator.createKeyVault(sampleKeyVaultName("challenge"));
        const answer = await call(`${vault.uri}secrets/anything/?${API}`);
        assert.equal(answer.status, 401);
        assert.equal(
            answer.headers["www-authenticate"],
            `Bearer authorization="${emulator.url}/${emulator.identity.tenantId}", resource="https://vault.azure.net"`,
        );
        assert.deepEqual(errorOf(answer), { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." });
        // A PUT too, whatever its body: the official client sends its first request with none.
        assert.equal((await call(`${vault.uri}secrets/anything?${API}`, { method: "PUT", body: "" })).status, 401);
    });

    it("an ARM token is refused 401 (AKV10022) with the challenge, and the request log counts it as a leaked token", async () => {
        const vault = emulator.createKeyVault(sampleKeyVaultName("armtoken"));
        emulator.clearRequests();
        const arm = await tokenFor(emulator.url);
        const answer = await call(`${vault.uri}secrets/anything/?${API}`, { headers: { Authorization: `Bearer ${arm}` } });
        assert.equal(answer.status, 401);
        assert.deepEqual(errorOf(answer), {
            code: "Unauthorized",
            message: `AKV10022: Invalid audience. Expected https://vault.azure.net, found: ${emulator.url}.`,
        });
        assert.match(String(answer.headers["www-authenticate"]), /resource="https:\/\/vault\.azure\.net"/);
        assert.deepEqual(
            emulator.tokenLeaks().map((r) => [r.host, r.audience]),
            [[vault.host, emulator.url]],
        );
        dropDeliberateLeaks(1);
    });

    it("a Key Vault token is refused by ARM, by another cloud's vault and by a service's data plane, and each counts as a leak", async () => {
        const publicVault = emulator.createKeyVault(sampleKeyVaultName("public"));
        const govVault = emulator.createKeyVault(sampleKeyVaultName("gov"), { cloud: "AzureUSGovernment" });
        assert.equal(govVault.uri, `https://${govVault.name}.vault.usgovcloudapi.net/`);
        const storage = resourceIds("kvleak").storage;
        emulator.createResource(storage);
        emulator.clearRequests();
        const kv = { Authorization: `Bearer ${await tokenFor("https://vault.azure.net")}` };

        assert.equal((await call(`${emulator.url}${storage}/listKeys?api-version=2025-06-01`, { method: "POST", headers: kv })).status, 401);
        const gov = await call(`${govVault.uri}secrets/anything/?${API}`, { headers: kv });
        assert.equal(gov.status, 401);
        assert.match(errorOf(gov).message, /Expected https:\/\/vault\.usgovcloudapi\.net, found: https:\/\/vault\.azure\.net\./);
        await call(`https://${storage.split("/").at(-1)}.blob.core.windows.net/?comp=properties&restype=service`, { headers: kv });
        // Its own vault takes it (and that is no leak).
        assert.equal((await call(`${publicVault.uri}secrets/anything/?${API}`, { headers: kv })).status, 404);
        assert.deepEqual(
            emulator
                .tokenLeaks()
                .map((r) => r.host.replace(/:\d+$/, ""))
                .sort(),
            ["127.0.0.1", govVault.host, `${storage.split("/").at(-1)}.blob.core.windows.net`].sort(),
        );
        dropDeliberateLeaks(3);
    });

    it("the token endpoint issues Key Vault tokens: every cloud's at the emulator's address, a cloud's own at its authority name", async () => {
        const { tenantId, clientId, clientSecret } = emulator.identity;
        const ask = (authority: string, scope: string) =>
            call(`${authority}/${tenantId}/oauth2/v2.0/token`, {
                method: "POST",
                headers: { "Content-Type": "application/x-www-form-urlencoded" },
                body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope }).toString(),
            });
        for (const audience of ["https://vault.azure.net", "https://vault.usgovcloudapi.net", "https://vault.azure.cn"]) {
            assert.equal((await ask(emulator.url, `${audience}/.default`)).status, 200, audience);
        }
        assert.equal((await ask("https://login.microsoftonline.us", "https://vault.usgovcloudapi.net/.default")).status, 200);
        const refused = await ask("https://login.microsoftonline.us", "https://vault.azure.net/.default");
        assert.equal(refused.status, 400);
        assert.equal((JSON.parse(refused.body) as { error: string }).error, "invalid_scope");
    });

    it("set, get and list as Key Vault answers them: versioned ids, attributes.exp reported (not enforced), tags, contentType; no values in lists", async () => {
        const vault = emulator.createKeyVault(sampleKeyVaultName("protocol"));
        const kv = { Authorization: `Bearer ${await tokenFor("https://vault.azure.net")}`, "Content-Type": "application/json" };
        const expired = Math.floor(Date.now() / 1000) - 60;
        const put = await call(`${vault.uri}secrets/Conn-1?${API}`, {
            method: "PUT",
            headers: kv,
            body: JSON.stringify({ value: "v1", contentType: "text/plain", tags: { keyType: "Primary" }, attributes: { exp: expired } }),
        });
        assert.equal(put.status, 200, put.body);
        const bundle = JSON.parse(put.body) as { id: string; value: string; contentType: string; tags: object; attributes: Record<string, unknown> };
        assert.match(bundle.id, new RegExp(`^https://${vault.host}/secrets/Conn-1/[0-9a-f]{32}$`));
        assert.equal(bundle.value, "v1");
        assert.equal(bundle.contentType, "text/plain");
        assert.deepEqual(bundle.tags, { keyType: "Primary" });
        assert.equal(bundle.attributes.exp, expired);
        assert.equal(bundle.attributes.enabled, true);
        assert.equal(bundle.attributes.created, bundle.attributes.updated);
        assert.equal(bundle.attributes.recoveryLevel, "Recoverable+Purgeable");

        // Expired, and still served (Key Vault reports exp, it does not enforce it on get); names compare case-insensitively.
        const latest = await call(`${vault.uri}secrets/conn-1/?${API}`, { headers: kv });
        assert.equal(latest.status, 200);
        assert.deepEqual(JSON.parse(latest.body), bundle);
        assert.equal((await call(`${vault.uri}secrets/Conn-1?${API}`, { headers: kv })).status, 200, "the latest without the trailing slash");

        const v2 = JSON.parse(
            (await call(`${vault.uri}secrets/Conn-1?${API}`, { method: "PUT", headers: kv, body: JSON.stringify({ value: "v2" }) })).body,
        ) as {
            id: string;
            tags?: object;
        };
        assert.equal(v2.tags, undefined, "a version has its own tags");
        const byVersion = await call(`${bundle.id}?${API}`, { headers: kv });
        assert.equal((JSON.parse(byVersion.body) as { value: string }).value, "v1");

        const list = JSON.parse((await call(`${vault.uri}secrets/Conn-1/versions?${API}`, { headers: kv })).body) as {
            value: Array<{ id: string; value?: string; attributes: object }>;
            nextLink: string | null;
        };
        assert.deepEqual(list.value.map((i) => i.id).sort(), [bundle.id, v2.id].sort());
        assert.ok(list.value.every((i) => i.value === undefined && i.attributes));
        assert.equal(list.nextLink, null);

        const secrets = JSON.parse((await call(`${vault.uri}secrets?${API}`, { headers: kv })).body) as { value: Array<{ id: string }> };
        assert.deepEqual(
            secrets.value.map((s) => s.id),
            [`https://${vault.host}/secrets/Conn-1`],
        );
    });

    it("lists versions by version id, maxresults long, with a nextLink on the vault's host that names :443 and carries maxresults over", async () => {
        const vault = emulator.createKeyVault(sampleKeyVaultName("paging"));
        const written = Array.from({ length: 5 }, (_, i) => vault.setSecret("rotated", `v${i}`).version);
        const kv = { Authorization: `Bearer ${await tokenFor("https://vault.azure.net")}` };
        const seen: string[] = [];
        let link: string | null = `${vault.uri}secrets/rotated/versions?${API}&maxresults=2`;
        const sizes: number[] = [];
        while (link) {
            const answer = await call(link, { headers: kv });
            assert.equal(answer.status, 200, answer.body);
            const page = JSON.parse(answer.body) as { value: Array<{ id: string }>; nextLink: string | null };
            sizes.push(page.value.length);
            seen.push(...page.value.map((i) => i.id.split("/").at(-1)!));
            if (page.nextLink) {
                assert.match(
                    page.nextLink,
                    new RegExp(`^https://${vault.host}:443/secrets/rotated/versions\\?api-version=2025-07-01&\\$skiptoken=[^&]+&maxresults=2$`),
                );
            }
            link = page.nextLink;
        }
        assert.deepEqual(sizes, [2, 2, 1]);
        assert.deepEqual(seen, [...written].sort(), "by version id, not by the time they were set");

        for (const bad of ["0", "26", "two"]) {
            const answer = await call(`${vault.uri}secrets/rotated/versions?${API}&maxresults=${bad}`, { headers: kv });
            assert.equal(answer.status, 400, bad);
            assert.equal(errorOf(answer).code, "BadParameter");
        }
        const unknown = await call(`${vault.uri}secrets/never-set/versions?${API}`, { headers: kv });
        assert.equal(unknown.status, 200);
        assert.deepEqual(JSON.parse(unknown.body), { value: [], nextLink: null }, "versions of a secret that does not exist: an empty list");
    });

    it("refusals in Key Vault's shape: SecretNotFound, an invalid name, a disabled version, a deleted-but-recoverable name, an access policy's AccessDenied, throttling, a disabled public network", async () => {
        const vault = emulator.createKeyVault(sampleKeyVaultName("refusals"));
        const kv = { Authorization: `Bearer ${await tokenFor("https://vault.azure.net")}`, "Content-Type": "application/json" };
        const missing = await call(`${vault.uri}secrets/nope/?${API}`, { headers: kv });
        assert.equal(missing.status, 404);
        assert.equal(errorOf(missing).code, "SecretNotFound");
        assert.match(errorOf(missing).message, /^A secret with \(name\/id\) nope was not found in this key vault\./);
        vault.setSecret("present", "v");
        const noVersion = await call(`${vault.uri}secrets/present/${"0".repeat(32)}?${API}`, { headers: kv });
        assert.equal(noVersion.status, 404);
        assert.match(errorOf(noVersion).message, new RegExp(`present/${"0".repeat(32)} was not found`));

        const invalid = await call(`${vault.uri}secrets/bad_name?${API}`, { method: "PUT", headers: kv, body: JSON.stringify({ value: "v" }) });
        assert.equal(invalid.status, 400);
        assert.deepEqual(errorOf(invalid), { code: "BadParameter", message: "The request URI contains an invalid name: bad_name" });

        // Tags beyond Key Vault's limits: 16 of them, or a value over 256 characters.
        const tagsOf = (tags: Record<string, string>) =>
            call(`${vault.uri}secrets/tagged?${API}`, { method: "PUT", headers: kv, body: JSON.stringify({ value: "v", tags }) });
        const sixteen = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, "v"]));
        for (const tags of [sixteen, { long: "x".repeat(257) }]) {
            const refused = await tagsOf(tags);
            assert.equal(refused.status, 400);
            assert.equal(errorOf(refused).code, "BadParameter");
        }
        const { t15: _one, ...fifteen } = sixteen;
        assert.equal((await tagsOf({ ...fifteen })).status, 200, "15 tags are taken");
        assert.equal((await tagsOf({ long: "x".repeat(256), ["n".repeat(512)]: "v" })).status, 200, "a value of 256 and a name of 512 characters are taken");

        await call(`${vault.uri}secrets/off?${API}`, { method: "PUT", headers: kv, body: JSON.stringify({ value: "v", attributes: { enabled: false } }) });
        const disabled = await call(`${vault.uri}secrets/off/?${API}`, { headers: kv });
        assert.equal(disabled.status, 403);
        assert.deepEqual(errorOf(disabled), {
            code: "Forbidden",
            message: "Operation get is not allowed on a disabled secret.",
            innererror: { code: "SecretDisabled" },
        });

        assert.ok(vault.deleteSecret("present"));
        const conflict = await call(`${vault.uri}secrets/present?${API}`, { method: "PUT", headers: kv, body: JSON.stringify({ value: "v2" }) });
        assert.equal(conflict.status, 409);
        assert.equal(errorOf(conflict).code, "Conflict");
        assert.equal(errorOf(conflict).innererror?.code, "ObjectIsDeletedButRecoverable");
        assert.equal((await call(`${vault.uri}secrets/present/?${API}`, { headers: kv })).status, 404);
        assert.ok(vault.purgeDeletedSecret("present"));
        assert.equal((await call(`${vault.uri}secrets/present?${API}`, { method: "PUT", headers: kv, body: JSON.stringify({ value: "v3" }) })).status, 200);

        vault.authorization = "accessPolicy";
        vault.permissions = ["get"];
        const policy = await call(`${vault.uri}secrets/present?${API}`, { method: "PUT", headers: kv, body: JSON.stringify({ value: "v4" }) });
        assert.equal(policy.status, 403);
        assert.equal(errorOf(policy).innererror?.code, "AccessDenied");
        assert.match(errorOf(policy).message, new RegExp(`does not have secrets set permission on key vault '${vault.name};location=westus'`));
        const list = await call(`${vault.uri}secrets/present/versions?${API}`, { headers: kv });
        assert.match(errorOf(list).message, /does not have secrets list permission/);

        // Throttling is a fault on the vault's host.
        emulator.faults.add({
            host: vault.host,
            status: 429,
            code: "Throttled",
            message: "Request was not processed because too many requests were received.",
            retryAfterSeconds: 2,
        });
        const throttled = await call(`${vault.uri}secrets/present/?${API}`, { headers: kv });
        assert.equal(throttled.status, 429);
        assert.equal(throttled.headers["retry-after"], "2");
        assert.equal(errorOf(throttled).code, "Throttled");

        vault.publicNetworkAccess = "Disabled";
        const closed = await call(`${vault.uri}secrets/present/?${API}`, { headers: kv });
        assert.equal(closed.status, 403);
        assert.equal(errorOf(closed).innererror?.code, "ForbiddenByConnection");
        assert.equal(vault.secret("present")?.versions.length, 1, "no refused write was kept");
    });

    it("the proxy tunnels a vault's host only while the vault exists, and only on its own cloud's suffix", async () => {
        const vault = emulator.createKeyVault(sampleKeyVaultName("tunnel"));
        assert.equal(await connectStatus(`${vault.host}:443`), 200);
        assert.equal(await connectStatus(`${vault.name}.vault.usgovcloudapi.net:443`), 403);
        assert.equal(await connectStatus("no-such-vault.vault.azure.net:443"), 403);
    });

    it("vault names: Key Vault's rule is enforced, names are global, and the sample name fits any prefix", () => {
        for (const bad of ["ab", "1vault", "vault-", "my--vault", "a".repeat(25), "under_score"]) {
            assert.throws(() => emulator.createKeyVault(bad), /is not a Key Vault name/, bad);
        }
        emulator.createKeyVault("Taken-Name");
        assert.throws(() => emulator.createKeyVault("taken-name"), /exists already/);
        for (const prefix of ["demo", "rehearsal", "9lives", "A very long prefix with spaces and 123", "x"]) {
            const name = sampleKeyVaultName(prefix);
            assert.doesNotThrow(() => emulator.createKeyVault(name), name);
        }
    });
});
