/**
 * Which Azure cloud and which identity the provider uses, resolved from the stack config that
 * `@pulumi/azure-native` users already have, then the environment. Pure: reads values, loads no SDK,
 * calls nothing; a mistake is a {@link ConfigurationError} before any call to Azure.
 *
 * Precedence, per setting:
 *  1. stack config `azure-native:<key>` (Pulumi passes a dynamic provider the whole stack config);
 *  2. the environment variable azure-native reads for it (`ARM_CLIENT_ID`, `ARM_USE_OIDC`, ...);
 *  3. when neither selects an identity: DefaultAzureCredential, which reads `AZURE_CLIENT_ID`,
 *     `AZURE_TENANT_ID`, `AZURE_CLIENT_SECRET`, workload identity, managed identity, the Azure CLI, ...
 * `AZURE_RESOURCE_MANAGER_ENDPOINT` and `AZURE_AUTHORITY_HOST` override the cloud's endpoints.
 */

/** The clouds `azure-native:environment` names. */
export type CloudName = "public" | "usgovernment" | "china";

/** A cloud's Azure Resource Manager endpoint and Microsoft Entra authority host. */
export interface CloudEndpoints {
    resourceManager: string;
    authorityHost: string;
}

/** The endpoints of each cloud, as azure-sdk's cloud configurations list them. */
export const CLOUDS: Readonly<Record<CloudName, CloudEndpoints>> = {
    public: { resourceManager: "https://management.azure.com", authorityHost: "https://login.microsoftonline.com" },
    usgovernment: { resourceManager: "https://management.usgovcloudapi.net", authorityHost: "https://login.microsoftonline.us" },
    china: { resourceManager: "https://management.chinacloudapi.cn", authorityHost: "https://login.chinacloudapi.cn" },
};

/** The names azure-native and the Azure CLI accept for each cloud, lower-cased. */
const CLOUD_ALIASES: Readonly<Record<string, CloudName>> = {
    public: "public",
    azurecloud: "public",
    azurepubliccloud: "public",
    usgovernment: "usgovernment",
    usgov: "usgovernment",
    azureusgovernment: "usgovernment",
    azureusgovernmentcloud: "usgovernment",
    china: "china",
    azurechinacloud: "china",
};

/** How the provider signs in. Secrets are held here only to build the credential. */
export type CredentialChoice =
    | { kind: "clientSecret"; tenantId: string; clientId: string; clientSecret: string }
    | {
          kind: "oidc";
          tenantId: string;
          clientId: string;
          /** A federated token given as is. */
          token?: string;
          /** A file holding the federated token, read at each sign-in (it is renewed on disk). */
          tokenFilePath?: string;
          /** A GitHub Actions style endpoint that hands out federated tokens. */
          requestUrl?: string;
          requestToken?: string;
          audience: string;
      }
    | { kind: "managedIdentity"; clientId?: string }
    | { kind: "default"; tenantId?: string };

/** The resolved configuration: where to call and how to sign in. */
export interface AzureConfiguration {
    cloud: CloudName;
    settings: ArmSettings;
    credential: CredentialChoice;
    /** Where the identity came from, for messages: e.g. `stack config (azure-native:clientSecret)`. Never a value. */
    source: string;
    /**
     * Credential settings that are set but lose to the ones used, and why, for sign-in failure
     * messages: e.g. `AZURE_CLIENT_ID is set too but not used: azure-native's settings come first`. Never a value.
     */
    shadowed?: string;
}

/** A configuration mistake, found before any call. The message names the config keys and variables. */
export class ConfigurationError extends Error {
    override readonly name = "ConfigurationError";
    constructor(problem: string) {
        super(`KeyRotation's Azure configuration: ${problem}`);
    }
}

/** Where and how the provider talks to Azure, resolved in the provider process at run time. */
export interface ArmSettings {
    /** ARM endpoint, without a trailing slash. */
    endpoint: string;
    /** The token scope for that endpoint. */
    scope: string;
    /** Microsoft Entra authority host (origin). */
    authorityHost: string;
    /** Off for non-public authority hosts: MSAL's instance discovery would call the internet. */
    disableInstanceDiscovery: boolean;
    /** Where `endpoint` came from, for messages: `AZURE_RESOURCE_MANAGER_ENDPOINT` or `the public cloud's default`. */
    endpointFrom: string;
    /** Where `authorityHost` came from, for messages: `AZURE_AUTHORITY_HOST` or `the public cloud's default`. */
    authorityFrom: string;
}

/** Authority hosts MSAL knows; instance discovery against any other would call the public cloud. */
const PUBLIC_AUTHORITY_HOSTS = new Set([...Object.values(CLOUDS).map((c) => new URL(c.authorityHost).hostname), "login.partner.microsoftonline.cn"]);

/**
 * A cloud's endpoints, each overridden by `AZURE_RESOURCE_MANAGER_ENDPOINT` / `AZURE_AUTHORITY_HOST`
 * when set (Azure Stack, the emulator). The token scope follows the ARM endpoint actually used.
 */
function settingsFor(cloud: CloudEndpoints, env: NodeJS.ProcessEnv, cloudName: CloudName = "public"): ArmSettings {
    const endpoint = httpsUrl(
        env.AZURE_RESOURCE_MANAGER_ENDPOINT || cloud.resourceManager,
        env.AZURE_RESOURCE_MANAGER_ENDPOINT ? "AZURE_RESOURCE_MANAGER_ENDPOINT" : "the cloud's ARM endpoint",
    );
    const authorityHost = httpsUrl(
        env.AZURE_AUTHORITY_HOST || cloud.authorityHost,
        env.AZURE_AUTHORITY_HOST ? "AZURE_AUTHORITY_HOST" : "the cloud's authority host",
    );
    return {
        endpoint: endpoint.origin + endpoint.pathname.replace(/\/+$/, ""),
        scope: `${endpoint.origin}/.default`,
        authorityHost: authorityHost.origin,
        disableInstanceDiscovery: !PUBLIC_AUTHORITY_HOSTS.has(authorityHost.hostname),
        endpointFrom: env.AZURE_RESOURCE_MANAGER_ENDPOINT ? "AZURE_RESOURCE_MANAGER_ENDPOINT" : `the ${cloudName} cloud's default`,
        authorityFrom: env.AZURE_AUTHORITY_HOST ? "AZURE_AUTHORITY_HOST" : `the ${cloudName} cloud's default`,
    };
}

function httpsUrl(value: string, variable: string): URL {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new ConfigurationError(`${variable} must be an https URL, got "${value}"`);
    }
    if (url.protocol !== "https:") throw new ConfigurationError(`${variable} must be an https URL, got "${value}"`);
    return url;
}

/** Reads one stack config value by its full key, e.g. `azure-native:clientId`. */
export type ConfigGetter = (key: string) => string | undefined;

/** azure-native's setting names and the environment variables it falls back to. */
const SETTINGS = {
    environment: ["ARM_ENVIRONMENT", "AZURE_ENVIRONMENT"],
    clientId: ["ARM_CLIENT_ID"],
    tenantId: ["ARM_TENANT_ID"],
    clientSecret: ["ARM_CLIENT_SECRET"],
    clientCertificatePath: ["ARM_CLIENT_CERTIFICATE_PATH"],
    useMsi: ["ARM_USE_MSI"],
    useOidc: ["ARM_USE_OIDC"],
    oidcToken: ["ARM_OIDC_TOKEN"],
    oidcTokenFilePath: ["ARM_OIDC_TOKEN_FILE_PATH"],
    oidcRequestUrl: ["ACTIONS_ID_TOKEN_REQUEST_URL"],
    oidcRequestToken: ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"],
    oidcAudience: ["ARM_OIDC_AUDIENCE"],
} as const;

type Setting = keyof typeof SETTINGS;

interface Value {
    value: string;
    /** `azure-native:clientId` or `ARM_CLIENT_ID`: where it was read. */
    from: string;
}

const NAMESPACE = "azure-native";
const DEFAULT_OIDC_AUDIENCE = "api://AzureADTokenExchange";

/** Resolves the cloud and the credential; throws a {@link ConfigurationError} on a mistake. */
export function resolveConfiguration(config: ConfigGetter, env: NodeJS.ProcessEnv = process.env): AzureConfiguration {
    const read = (setting: Setting): Value | undefined => {
        const key = `${NAMESPACE}:${setting}`;
        const fromConfig = config(key);
        if (fromConfig !== undefined && fromConfig !== "") return { value: fromConfig, from: key };
        for (const variable of SETTINGS[setting]) {
            const fromEnv = env[variable];
            if (fromEnv) return { value: fromEnv, from: variable };
        }
        return undefined;
    };
    const cloud = cloudOf(read("environment"));
    const settings = settingsFor(CLOUDS[cloud], env, cloud);
    const { credential, source } = credentialOf(read);
    return { cloud, settings, credential, source, shadowed: shadowedBy(credential, config, env) };
}

/** DefaultAzureCredential's variables for a service principal. */
const AZURE_IDENTITY_VARIABLES = ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH"];

/**
 * Credential variables that are set but not used, and why: stack config beats ARM_*, and
 * azure-native's settings beat AZURE_*. Names only, never values.
 */
function shadowedBy(credential: CredentialChoice, config: ConfigGetter, env: NodeJS.ProcessEnv): string | undefined {
    const notes: string[] = [];
    const overridden = (["clientId", "tenantId", "clientSecret"] as const).filter((s) => {
        const fromConfig = config(`${NAMESPACE}:${s}`);
        return fromConfig !== undefined && fromConfig !== "" && SETTINGS[s].some((v) => env[v]);
    });
    if (overridden.length > 0) {
        notes.push(
            `${overridden.map((s) => SETTINGS[s][0]).join(", ")} ${overridden.length === 1 ? "is" : "are"} set too but not used: stack config (${overridden.map((s) => `${NAMESPACE}:${s}`).join(", ")}) comes first`,
        );
    }
    const unused = AZURE_IDENTITY_VARIABLES.filter((v) => env[v]);
    if (credential.kind !== "default" && unused.length > 0) {
        notes.push(
            `${unused.join(", ")} ${unused.length === 1 ? "is" : "are"} set too but not used: azure-native's settings (stack config azure-native:*, then ARM_*) come before them`,
        );
    }
    return notes.length > 0 ? notes.join("; ") : undefined;
}

function cloudOf(setting: Value | undefined): CloudName {
    if (!setting) return "public";
    const cloud = CLOUD_ALIASES[setting.value.trim().toLowerCase()];
    if (!cloud) {
        throw new ConfigurationError(
            `${setting.from} is "${setting.value}"; it must be one of public, usgovernment, china. ` +
                `For another Azure (Azure Stack), set AZURE_RESOURCE_MANAGER_ENDPOINT and AZURE_AUTHORITY_HOST instead.`,
        );
    }
    return cloud;
}

/** `both("clientId")` → `azure-native:clientId (or ARM_CLIENT_ID)`: what a message tells the user to set. */
function both(setting: Setting): string {
    return `${NAMESPACE}:${setting} (or ${SETTINGS[setting].join(" / ")})`;
}

function flag(setting: Value | undefined): boolean {
    if (!setting) return false;
    const value = setting.value.trim().toLowerCase();
    if (value === "true") return true;
    if (value === "false") return false;
    throw new ConfigurationError(`${setting.from} must be true or false, got "${setting.value}"`);
}

/** The same order azure-native follows: client secret, then OIDC, then managed identity. */
function credentialOf(read: (setting: Setting) => Value | undefined): { credential: CredentialChoice; source: string } {
    const clientId = read("clientId");
    const tenantId = read("tenantId");
    const missing = (method: string, needed: Setting[], values: Record<string, Value | undefined>) => {
        const absent = needed.filter((s) => !values[s]);
        if (absent.length > 0) {
            const given = Object.values(values)
                .filter((v): v is Value => v !== undefined)
                .map((v) => v.from);
            throw new ConfigurationError(
                `${method} needs ${absent.map(both).join(" and ")}; only ${given.join(", ")} ${given.length === 1 ? "is" : "are"} set`,
            );
        }
    };

    const certificate = read("clientCertificatePath");
    if (certificate) {
        throw new ConfigurationError(
            `${certificate.from} is set, but pulumi-azure-key-rotation cannot sign in with a PFX client certificate. ` +
                `Use a client secret, OIDC or a managed identity, or set AZURE_CLIENT_CERTIFICATE_PATH to a PEM certificate and leave the azure-native credential settings unset.`,
        );
    }

    const clientSecret = read("clientSecret");
    if (clientSecret) {
        missing("signing in with a client secret", ["clientId", "tenantId"], { clientSecret, clientId, tenantId });
        return {
            credential: { kind: "clientSecret", tenantId: tenantId!.value, clientId: clientId!.value, clientSecret: clientSecret.value },
            source: `client secret (${[clientId!, tenantId!, clientSecret].map((v) => v.from).join(", ")})`,
        };
    }

    const useOidc = read("useOidc");
    if (flag(useOidc)) {
        missing("signing in with OIDC", ["clientId", "tenantId"], { useOidc, clientId, tenantId });
        const token = read("oidcToken");
        const tokenFilePath = read("oidcTokenFilePath");
        const requestUrl = read("oidcRequestUrl");
        const requestToken = read("oidcRequestToken");
        if (!token && !tokenFilePath && !(requestUrl && requestToken)) {
            const partly = requestUrl
                ? ` (${requestUrl.from} is set, ${both("oidcRequestToken")} is not)`
                : requestToken
                  ? ` (${requestToken.from} is set, ${both("oidcRequestUrl")} is not)`
                  : "";
            throw new ConfigurationError(
                `signing in with OIDC (${useOidc!.from}) needs a federated token: ${both("oidcToken")}, ${both("oidcTokenFilePath")}, ` +
                    `or both ${both("oidcRequestUrl")} and ${both("oidcRequestToken")}${partly}`,
            );
        }
        if (requestUrl) httpsOnly(requestUrl);
        const via = token ?? tokenFilePath ?? requestUrl!;
        return {
            credential: {
                kind: "oidc",
                tenantId: tenantId!.value,
                clientId: clientId!.value,
                token: token?.value,
                tokenFilePath: token ? undefined : tokenFilePath?.value,
                requestUrl: token || tokenFilePath ? undefined : requestUrl?.value,
                requestToken: token || tokenFilePath ? undefined : requestToken?.value,
                audience: read("oidcAudience")?.value ?? DEFAULT_OIDC_AUDIENCE,
            },
            source: `OIDC (${[useOidc!, clientId!, tenantId!, via].map((v) => v.from).join(", ")})`,
        };
    }

    const useMsi = read("useMsi");
    if (flag(useMsi)) {
        return {
            credential: { kind: "managedIdentity", clientId: clientId?.value },
            source: `managed identity (${[useMsi!, ...(clientId ? [clientId] : [])].map((v) => v.from).join(", ")})`,
        };
    }

    if (clientId) {
        throw new ConfigurationError(
            `${clientId.from} is set but nothing to sign in with: set ${both("clientSecret")} and ${both("tenantId")}, ` +
                `or ${both("useOidc")} with a federated token, or ${both("useMsi")}; or unset ${clientId.from} to use DefaultAzureCredential`,
        );
    }
    return {
        credential: { kind: "default", tenantId: tenantId?.value },
        source: tenantId ? `DefaultAzureCredential (tenant from ${tenantId.from})` : "DefaultAzureCredential",
    };
}

function httpsOnly(setting: Value): void {
    let url: URL | undefined;
    try {
        url = new URL(setting.value);
    } catch {
        url = undefined;
    }
    // The request token is a bearer credential: never send it in clear text.
    if (url?.protocol !== "https:") throw new ConfigurationError(`${setting.from} must be an https URL`);
}
