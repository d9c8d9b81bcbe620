export { KeyRotation, type KeyRotationArgs, type KeyVaultSecretArgs } from "./keyRotation";
export type { KeyTypeName, RotationInterval } from "./keyTypes";
