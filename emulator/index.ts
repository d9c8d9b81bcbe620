export { CertificateAuthority, createCertificateAuthority, issueServerCertificate } from "./certificate";
export { Fault, FaultEffect, FaultMatch } from "./faults";
export { sampleResourceIds } from "./samples";
export { AzureEmulator, CreateResourceOptions, EmulatorOptions, RequestLogEntry } from "./server";
export { EmulatedResource, EmulatedTrigger } from "./state";
