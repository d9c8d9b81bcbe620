// The examples' Key Vault: each rotated credential goes into a secret whose tags say which key it
// holds and when that key was made, so an operator reading the vault knows what a consumer has.
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";

/** A Key Vault with Azure RBAC, in the tenant Pulumi signs in to. */
export function keyVault(name: string, resourceGroupName: pulumi.Input<string>): azure.keyvault.Vault {
    const client = azure.authorization.getClientConfigOutput();
    return new azure.keyvault.Vault(name, {
        resourceGroupName,
        properties: {
            tenantId: client.tenantId,
            sku: { family: "A", name: azure.keyvault.SkuName.Standard },
            enableRbacAuthorization: true,
        },
    });
}

/** What a {@link rotatedSecret} holds. */
export interface RotatedSecretArgs {
    vault: azure.keyvault.Vault;
    resourceGroupName: pulumi.Input<string>;
    /** The credential: a KeyRotation output, so a Pulumi secret. */
    value: pulumi.Input<string | undefined>;
    /** The key type it belongs to, e.g. KeyRotation's `activeKeyType`. */
    keyType: pulumi.Input<string | undefined>;
    /** When that key was regenerated: KeyRotation's `rotatedAt`. */
    rotatedAt: pulumi.Input<string>;
}

/** A Key Vault secret holding a rotated credential, tagged with its key type and rotation time. */
export function rotatedSecret(secretName: string, args: RotatedSecretArgs): azure.keyvault.Secret {
    return new azure.keyvault.Secret(secretName, {
        resourceGroupName: args.resourceGroupName,
        vaultName: args.vault.name,
        secretName,
        properties: { value: pulumi.output(args.value).apply((v) => v ?? ""), contentType: "text/plain" },
        tags: { keyType: pulumi.output(args.keyType).apply((k) => k ?? "unknown"), rotatedAt: args.rotatedAt },
    });
}
