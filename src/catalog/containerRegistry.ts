import type { ServiceEntry } from "./types";

/**
 * Container Registry admin user: `password` and `password2`, with the `username` consumers sign in
 * with (`docker login`). Only with the admin user enabled; otherwise ARM answers 400
 * UnAuthorizedForCredentialOperations. The regenerate answers the full credentials. The login
 * server is read from the registry (`properties.loginServer`: lower-case, and with a hash suffix
 * where the registry has a domain name label).
 */
export const containerRegistry: ServiceEntry = {
    service: "container-registry",
    title: "Container Registry admin user",
    resourceType: "Microsoft.ContainerRegistry/registries",
    idTemplate: "Microsoft.ContainerRegistry/registries/{registryName}",
    nameRules: {
        registryName: { pattern: /^[a-zA-Z0-9]*$/, minLength: 5, maxLength: 50, rule: "5 to 50 letters and digits" },
    },
    defaultApiVersion: "2025-11-01",
    keyTypes: [
        { name: "Primary", wire: "password", consumer: true },
        { name: "Secondary", wire: "password2", consumer: true },
    ],
    regenerate: {
        operation: "Registries_RegenerateCredential",
        path: "/regenerateCredential",
        body: { field: "name", value: "wire" },
        successStatus: [200],
        longRunning: false,
        answer: "keySet",
    },
    readKeys: {
        kind: "listKeys",
        operation: "Registries_ListCredentials",
        method: "POST",
        path: "/listCredentials",
        fields: { username: "username", primaryKey: "passwords[name=password].value", secondaryKey: "passwords[name=password2].value" },
    },
    alternate: { pairs: { Alternate: ["Primary", "Secondary"] } },
    reads: [
        {
            operation: "Registries_Get",
            endpoint: "properties.loginServer",
            sharedKeys: {
                selector: "properties.adminUserEnabled",
                off: { equals: false },
                setting: "adminUserEnabled: false",
                enable: "set adminUserEnabled to true",
            },
        },
    ],
    verify: {
        scheme: "basic",
        // The token exchange docker and ORAS make with the admin user's credentials.
        requests: [{ method: "GET", url: "https://{endpoint}/oauth2/token?service={endpoint}&scope=registry:catalog:*", accepts: [200] }],
        params: { username: "{username}" },
    },
};
