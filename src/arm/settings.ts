/** Where and how the provider talks to Azure, read in the provider process at run time. */
export interface ArmSettings {
    /** ARM endpoint, without a trailing slash. */
    endpoint: string;
    /** The token scope for that endpoint. */
    scope: string;
    /** AAD authority host, when not the public cloud's default. */
    authorityHost?: string;
    /** Off for non-public authority hosts: MSAL's instance discovery would call the internet. */
    disableInstanceDiscovery: boolean;
}

const PUBLIC_AUTHORITY_HOSTS = new Set([
    "login.microsoftonline.com",
    "login.microsoftonline.us",
    "login.chinacloudapi.cn",
    "login.partner.microsoftonline.cn",
]);

/** Reads `AZURE_RESOURCE_MANAGER_ENDPOINT` and `AZURE_AUTHORITY_HOST`. */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): ArmSettings {
    const endpoint = httpsUrl(env.AZURE_RESOURCE_MANAGER_ENDPOINT || "https://management.azure.com", "AZURE_RESOURCE_MANAGER_ENDPOINT");
    const authorityHost = env.AZURE_AUTHORITY_HOST ? httpsUrl(env.AZURE_AUTHORITY_HOST, "AZURE_AUTHORITY_HOST") : undefined;
    return {
        endpoint: endpoint.origin + endpoint.pathname.replace(/\/+$/, ""),
        scope: `${endpoint.origin}/.default`,
        authorityHost: authorityHost?.origin,
        disableInstanceDiscovery: authorityHost !== undefined && !PUBLIC_AUTHORITY_HOSTS.has(authorityHost.hostname),
    };
}

function httpsUrl(value: string, variable: string): URL {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new Error(`${variable} must be an https URL, got "${value}"`);
    }
    if (url.protocol !== "https:") throw new Error(`${variable} must be an https URL, got "${value}"`);
    return url;
}
