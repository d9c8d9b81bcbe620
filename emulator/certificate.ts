/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1 / localhost, built with
 * Node's crypto (EC P-256) and a minimal DER encoder. Clients trust the emulator through
 * NODE_EXTRA_CA_CERTS pointing at the CA; TLS checks stay on.
 */
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes, sign, X509Certificate } from "node:crypto";

/** A certificate authority: its certificate (what clients trust) and its private key (what issues). */
export interface CertificateAuthority {
    /** The CA certificate, PEM: the contents of a NODE_EXTRA_CA_CERTS file. */
    certPem: string;
    /** The CA's private key, PKCS #8 PEM. Keep it readable by its owner only. */
    keyPem: string;
}

/** A server certificate issued by a {@link CertificateAuthority}. */
export interface ServerCertificate {
    /** The certificate, PEM. */
    certPem: string;
    /** Its private key, PKCS #8 PEM. */
    keyPem: string;
    /** The issuing CA's certificate: what clients must trust. */
    caPem: string;
}

/** Creates a new CA, valid for 30 days. */
export function createCertificateAuthority(commonName = "pulumi-azure-key-rotation emulator CA"): CertificateAuthority {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const spki = publicKey.export({ type: "spki", format: "der" });
    const name = distinguishedName(commonName);
    const extensions = [
        extension("2.5.29.19", true, seq(bool(true))), // basicConstraints: CA
        extension("2.5.29.15", true, bitString(Buffer.from([0x86]), 1)), // keyUsage: digitalSignature, keyCertSign, cRLSign
        extension("2.5.29.14", false, octetString(keyIdentifier(spki))),
    ];
    const certDer = signCertificate(name, name, spki, extensions, privateKey);
    return { certPem: pem("CERTIFICATE", certDer), keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}

/** Issues a server certificate for the given host names and IPv4 addresses, valid for 30 days. */
export function issueServerCertificate(
    ca: CertificateAuthority,
    hosts: { dns?: string[]; ips?: string[] } = { dns: ["localhost"], ips: ["127.0.0.1"] },
): ServerCertificate {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const spki = publicKey.export({ type: "spki", format: "der" });
    const caKey = createPrivateKey(ca.keyPem);
    const caSpki = publicKeyOfCertificate(ca.certPem);
    const altNames = [
        ...(hosts.dns ?? []).map((d) => tagged(0x82, Buffer.from(d, "ascii"))),
        ...(hosts.ips ?? []).map((ip) => tagged(0x87, Buffer.from(ip.split(".").map(Number)))),
    ];
    const extensions = [
        extension("2.5.29.19", true, seq()), // basicConstraints: not a CA
        extension("2.5.29.15", true, bitString(Buffer.from([0x80]), 7)), // keyUsage: digitalSignature
        extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"))), // extKeyUsage: serverAuth
        extension("2.5.29.17", false, seq(...altNames)),
        extension("2.5.29.35", false, seq(tagged(0x80, keyIdentifier(caSpki)))), // authorityKeyIdentifier
    ];
    const issuer = distinguishedName(commonNameOf(ca.certPem));
    const certDer = signCertificate(issuer, distinguishedName("pulumi-azure-key-rotation emulator"), spki, extensions, caKey);
    return {
        certPem: pem("CERTIFICATE", certDer),
        keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        caPem: ca.certPem,
    };
}

function signCertificate(issuer: Buffer, subject: Buffer, spki: Buffer, extensions: Buffer[], key: KeyObject): Buffer {
    const ecdsaWithSha256 = seq(oid("1.2.840.10045.4.3.2"));
    const now = Date.now();
    const serial = randomBytes(16);
    serial[0] = (serial[0] & 0x7f) | 0x01; // positive, no leading zero byte
    const tbs = seq(
        tagged(0xa0, integer(Buffer.from([2]))), // v3
        integer(serial),
        ecdsaWithSha256,
        issuer,
        seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 30 * 86400_000))),
        subject,
        spki,
        tagged(0xa3, seq(...extensions)),
    );
    return seq(tbs, ecdsaWithSha256, bitString(sign("sha256", tbs, key)));
}

// --- DER ---------------------------------------------------------------------------------------

function tagged(tag: number, content: Buffer): Buffer {
    const length = content.length;
    let header: Buffer;
    if (length < 0x80) header = Buffer.from([tag, length]);
    else if (length < 0x100) header = Buffer.from([tag, 0x81, length]);
    else header = Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
    return Buffer.concat([header, content]);
}
const seq = (...items: Buffer[]) => tagged(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tagged(0x31, Buffer.concat(items));
const bool = (value: boolean) => tagged(0x01, Buffer.from([value ? 0xff : 0]));
const integer = (value: Buffer) => tagged(0x02, value);
const octetString = (value: Buffer) => tagged(0x04, value);
const bitString = (value: Buffer, unusedBits = 0) => tagged(0x03, Buffer.concat([Buffer.from([unusedBits]), value]));
const utf8 = (value: string) => tagged(0x0c, Buffer.from(value, "utf8"));

function oid(dotted: string): Buffer {
    const [a, b, ...rest] = dotted.split(".").map(Number);
    const bytes = [a * 40 + b];
    for (const n of rest) {
        const chunk = [n & 0x7f];
        for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
        bytes.push(...chunk);
    }
    return tagged(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
    const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
    const text = `${iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19)}Z`;
    return tagged(0x17, Buffer.from(text, "ascii"));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
    return seq(oid(id), ...(critical ? [bool(true)] : []), octetString(value));
}

function distinguishedName(commonName: string): Buffer {
    return seq(set(seq(oid("2.5.4.3"), utf8(commonName))));
}

function keyIdentifier(spki: Buffer): Buffer {
    return createHash("sha1").update(spki).digest();
}

function pem(label: string, der: Buffer): string {
    const body = der
        .toString("base64")
        .replace(/(.{64})/g, "$1\n")
        .replace(/\n$/, "");
    return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

function publicKeyOfCertificate(certPem: string): Buffer {
    return new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
}

function commonNameOf(certPem: string): string {
    const match = /CN=([^\n]+)/.exec(new X509Certificate(certPem).subject);
    return match ? match[1] : "pulumi-azure-key-rotation emulator CA";
}
