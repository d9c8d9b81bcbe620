export { ArmError, isArmError } from "./arm/errors";
export { SECRET_OUTPUTS, SecretOutputName } from "./catalog/types";
export { KeyRotation, KeyRotationArgs } from "./keyRotation";
