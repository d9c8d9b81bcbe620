/**
 * Azure's real host names, so a client configured for a cloud can be pointed at the emulator
 * without changing a URL: its connections go through the emulator's CONNECT proxy
 * (`AzureEmulator.startProxy`), which tunnels these names, and only these, to the emulator, whose
 * certificate also names them. Written down here from Azure's documentation, not taken from the
 * package, so a wrong mapping in the package fails the tests.
 */
export interface EmulatedCloud {
    /** The Azure CLI's name for it. */
    name: string;
    /** Microsoft Entra authority host. */
    authorityHost: string;
    /** Other names of the authority; MSAL sends China's requests to its preferred network name. */
    authorityAliases?: string[];
    /** Azure Resource Manager host. */
    resourceManagerHost: string;
    /** Token audiences ARM in this cloud accepts. */
    audiences: string[];
}

export const AZURE_CLOUDS: readonly EmulatedCloud[] = [
    {
        name: "AzureCloud",
        authorityHost: "login.microsoftonline.com",
        resourceManagerHost: "management.azure.com",
        audiences: ["https://management.azure.com", "https://management.core.windows.net"],
    },
    {
        name: "AzureUSGovernment",
        authorityHost: "login.microsoftonline.us",
        resourceManagerHost: "management.usgovcloudapi.net",
        audiences: ["https://management.usgovcloudapi.net", "https://management.core.usgovcloudapi.net"],
    },
    {
        name: "AzureChinaCloud",
        authorityHost: "login.chinacloudapi.cn",
        authorityAliases: ["login.partner.microsoftonline.cn"],
        resourceManagerHost: "management.chinacloudapi.cn",
        audiences: ["https://management.chinacloudapi.cn", "https://management.core.chinacloudapi.cn"],
    },
];

/** Every host name the emulator answers for besides its own address. */
export const CLOUD_HOSTS: readonly string[] = AZURE_CLOUDS.flatMap((c) => [c.authorityHost, ...(c.authorityAliases ?? []), c.resourceManagerHost]);

/** What a request's Host names: the emulator itself (authority and ARM in one), or one side of a cloud. */
export type HostRole =
    | { role: "emulator" }
    | { role: "authority"; cloud: EmulatedCloud }
    | { role: "resourceManager"; cloud: EmulatedCloud }
    | { role: "unknown" };

export function hostRole(host: string, ownHost: string): HostRole {
    const name = host.toLowerCase().replace(/:443$/, "");
    if (name === ownHost.toLowerCase()) return { role: "emulator" };
    for (const cloud of AZURE_CLOUDS) {
        if (name === cloud.authorityHost || cloud.authorityAliases?.includes(name)) return { role: "authority", cloud };
        if (name === cloud.resourceManagerHost) return { role: "resourceManager", cloud };
    }
    return { role: "unknown" };
}
