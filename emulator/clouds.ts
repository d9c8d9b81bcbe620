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

/** Every host name the emulator answers for besides its own address (and the regional ARM hosts below). */
export const CLOUD_HOSTS: readonly string[] = AZURE_CLOUDS.flatMap((c) => [c.authorityHost, ...(c.authorityAliases ?? []), c.resourceManagerHost]);

/**
 * ARM's regional host names, `{region}.management.azure.com` (one label before the ARM host): the
 * official Cosmos DB regenerate example answers its 202 with an Azure-AsyncOperation there
 * (`https://centraluseuap.management.azure.com/…`). The emulator answers them as ARM of that cloud;
 * the certificate names them as `*.{ARM host}`. Only the public cloud's are seen in Microsoft's
 * examples; the other clouds' are served the same way for symmetry.
 */
export const REGIONAL_ARM_NAMES: readonly string[] = AZURE_CLOUDS.map((c) => `*.${c.resourceManagerHost}`);

/** A region's label, as ARM's regional host names carry it (`centraluseuap`, `westus2`). */
const REGION_LABEL = /^[a-z0-9]{2,40}$/;

/** What a request's Host names: the emulator itself (authority and ARM in one), or one side of a cloud. */
export type HostRole =
    | { role: "emulator" }
    | { role: "authority"; cloud: EmulatedCloud }
    /** `regional`: one of ARM's regional host names (`{region}.management.azure.com`). */
    | { role: "resourceManager"; cloud: EmulatedCloud; regional?: boolean }
    | { role: "unknown" };

export function hostRole(host: string, ownHost: string): HostRole {
    const name = host.toLowerCase().replace(/:443$/, "");
    if (name === ownHost.toLowerCase()) return { role: "emulator" };
    for (const cloud of AZURE_CLOUDS) {
        if (name === cloud.authorityHost || cloud.authorityAliases?.includes(name)) return { role: "authority", cloud };
        if (name === cloud.resourceManagerHost) return { role: "resourceManager", cloud };
        if (name.endsWith(`.${cloud.resourceManagerHost}`) && REGION_LABEL.test(name.slice(0, -cloud.resourceManagerHost.length - 1)))
            return { role: "resourceManager", cloud, regional: true };
    }
    return { role: "unknown" };
}
