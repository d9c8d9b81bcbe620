/**
 * `pulumi-azure-key-rotation/emulator`: a local Azure for rehearsals and tests. Microsoft Entra ID's
 * sign-in, the ARM key operations of every supported service, their data planes and Key Vault's,
 * over HTTPS with its own CA.
 *
 * ```ts
 * const emulator = await AzureEmulator.start();
 * emulator.createResource(sampleResourceIds("test").signalr);
 * // run `pulumi up` (or the Automation API) with emulator.rehearsalEnv() in its environment
 * await emulator.stop();
 * ```
 */

export { ArmPlaneOptions } from "./arm/armPlane";
export { CertificateAuthority, createCertificateAuthority, issueServerCertificate, ServerCertificate } from "./certificate";
export {
    EmulatedKeyVault,
    EmulatedSecret,
    EmulatedSecretVersion,
    KEY_VAULT_CLOUDS,
    KeyVaultCloud,
    KeyVaultOptions,
    KeyVaultPermission,
    KeyVaultSecretAttributes,
    SetSecretOptions,
} from "./dataPlane/keyVault";
export { STORAGE_DNS_ZONES } from "./dataPlane/router";
export { EmulatorResponse } from "./errors";
export { Fault, FaultEffect, FaultInjector, FaultMatch, Tamper } from "./faults";
export { IdentityOptions } from "./identity";
export { Tunnel } from "./proxy";
export { sampleKeyVaultName, sampleResourceIds } from "./samples";
export { AzureEmulator, CreateResourceOptions, EmulatorIdentity, EmulatorOptions, RequestLogEntry } from "./server";
export { EmulatedResource, EmulatedTrigger, ResourceStore, TriggerKind } from "./state";
