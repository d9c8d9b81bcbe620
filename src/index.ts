export { KeyRotation, KeyRotationArgs } from "./keyRotation";
export { SECRET_OUTPUTS, SecretOutputName } from "./catalog/types";
export { ArmError, isArmError } from "./arm/errors";
