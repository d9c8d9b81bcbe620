import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CertificateAuthority } from "../emulator/certificate";

/**
 * Writes the CA certificate and a bundle for NODE_EXTRA_CA_CERTS into `dir`: the CA added to what
 * the environment already trusts (this variable replaces, not extends, an earlier value).
 */
export function writeCaBundle(dir: string, ca: CertificateAuthority, env: NodeJS.ProcessEnv = process.env): string {
    const existing = env.NODE_EXTRA_CA_CERTS && existsSync(env.NODE_EXTRA_CA_CERTS) ? readFileSync(env.NODE_EXTRA_CA_CERTS, "utf8") : "";
    const bundle = join(dir, "ca-bundle.pem");
    writeFileSync(join(dir, "ca.pem"), ca.certPem);
    writeFileSync(join(dir, "ca-key.pem"), ca.keyPem, { mode: 0o600 });
    writeFileSync(bundle, `${existing.trimEnd()}\n${ca.certPem}`.trimStart());
    return bundle;
}
