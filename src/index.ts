export { KeyRotation, KeyRotationArgs } from "./keyRotation";
export type { KeyTypeName, RotationInterval } from "./keyTypes";
