/**
 * A state directory for the emulator: its CA and its service principal's credentials, kept across
 * restarts so that a CA file a shell already points NODE_EXTRA_CA_CERTS at, and credentials already
 * exported, stay valid. Files holding a private key or a secret are readable by their owner only.
 */
import { createPrivateKey, randomBytes, randomUUID, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CertificateAuthority, createCertificateAuthority } from "./certificate";

/** What a state directory holds. */
export interface EmulatorState {
    ca: CertificateAuthority;
    /** The CA certificate's file, for NODE_EXTRA_CA_CERTS. */
    caFile: string;
    identity: { tenantId: string; clientId: string; clientSecret: string };
    /** Whether the CA was made now (none before, or it was about to expire): earlier processes trust the old one. */
    newCa: boolean;
}

/** A CA is renewed when it has less than this left (it is valid for 30 days). */
const RENEW_BEFORE_MS = 86_400_000;

/** Reads the state in `dir`, creating what is missing (the directory too). */
export function loadState(dir: string): EmulatorState {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const caFile = join(dir, "ca.pem");
    const keyFile = join(dir, "ca-key.pem");
    let ca = existsSync(caFile) && existsSync(keyFile) ? { certPem: readFileSync(caFile, "utf8"), keyPem: readFileSync(keyFile, "utf8") } : undefined;
    if (ca && !usable(ca)) ca = undefined;
    const newCa = !ca;
    if (!ca) {
        ca = createCertificateAuthority();
        writeFileSync(keyFile, ca.keyPem, { mode: 0o600 });
        writeFileSync(caFile, ca.certPem);
    }
    const identityFile = join(dir, "identity.json");
    let identity = existsSync(identityFile) ? parseIdentity(readFileSync(identityFile, "utf8")) : undefined;
    if (!identity) {
        identity = { tenantId: randomUUID(), clientId: randomUUID(), clientSecret: randomBytes(24).toString("base64url") };
        writeFileSync(identityFile, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
    }
    return { ca, caFile, identity, newCa };
}

function usable(ca: CertificateAuthority): boolean {
    try {
        const cert = new X509Certificate(ca.certPem);
        return cert.ca && Date.parse(cert.validTo) - Date.now() > RENEW_BEFORE_MS && cert.checkPrivateKey(createPrivateKey(ca.keyPem));
    } catch {
        return false;
    }
}

function parseIdentity(text: string): EmulatorState["identity"] | undefined {
    try {
        const value = JSON.parse(text) as Record<string, unknown>;
        const { tenantId, clientId, clientSecret } = value;
        if (typeof tenantId === "string" && typeof clientId === "string" && typeof clientSecret === "string" && tenantId && clientId && clientSecret) {
            return { tenantId, clientId, clientSecret };
        }
    } catch {
        // A damaged file: new credentials are made and written over it.
    }
    return undefined;
}
