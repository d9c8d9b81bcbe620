export { AzureEmulator, EmulatorOptions, RequestLogEntry } from "./server";
export { CertificateAuthority, createCertificateAuthority, issueServerCertificate } from "./certificate";
export { Fault, FaultEffect, FaultMatch } from "./faults";
export { EmulatedResource, EmulatedTrigger } from "./state";
export { sampleResourceIds } from "./samples";
