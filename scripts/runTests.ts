/**
 * `npm test`: one throwaway CA for the whole run, trusted by every test process through
 * NODE_EXTRA_CA_CERTS (Node reads it only at start), then Node's test runner over dist/test.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { createCertificateAuthority } from "../emulator/certificate";
import { writeCaBundle } from "./caBundle";

function testFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return testFiles(path);
        return name.endsWith(".test.js") ? [path] : [];
    });
}

const root = join(__dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "key-rotation-test-ca-"));
const bundle = writeCaBundle(dir, createCertificateAuthority("pulumi-azure-key-rotation test CA"));
const filter = process.argv.slice(2);
const files = testFiles(join(root, "dist", "test"))
    .map((f) => relative(root, f))
    .filter((f) => filter.length === 0 || filter.some((pattern) => f.includes(pattern)))
    .sort();

const result = spawnSync(process.execPath, ["--test", "--test-concurrency=2", ...files], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle, KEY_ROTATION_TEST_CA_DIR: dir },
});
rmSync(dir, { recursive: true, force: true });
process.exit(result.status ?? 1);
