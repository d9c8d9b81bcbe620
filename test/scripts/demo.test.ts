import assert from "node:assert/strict";
import { join } from "node:path";
import { it } from "node:test";
import { run } from "../helpers/cli";
import { packageRoot } from "../helpers/host";

// `npm run demo` tells a newcomer's story: what each step did, which key changed on Azure, which
// stayed valid, what each KeyRotation outputs, that the hex values are fingerprints, what to try next.

it("the demo tells what each step did, with fingerprints, and never prints a key", { timeout: 120_000 }, () => {
    const { status, stdout, stderr } = run(process.execPath, [join(packageRoot, "dist", "scripts", "demo.js")]);
    assert.equal(status, 0, stderr);
    assert.match(stdout, /Keys are shown as fingerprints, the first 8 hex digits of their SHA-256/);
    assert.match(stdout, /signalr-primary +Azure SignalR Service +keyType "Primary"/);
    // The keys most teams rotate first lead the program.
    assert.match(
        stdout,
        /one KeyRotation per line:\n +storage-key +Storage account +keyType left out: Alternate[^\n]*\n +orders-send-key +Service Bus queue authorization rule +keyType left out: Alternate/,
    );
    assert.match(
        stdout,
        /storage-key +create +regenerated Secondary and made it active; Primary stays valid\n.*active: Secondary \(proven on the data plane\)/,
    );
    assert.match(
        stdout,
        /orders-send-key +create +regenerated Secondary and made it active; Primary stays valid\n.*active: Secondary \(proven on the data plane\)/,
    );
    assert.match(stdout, /Storage account: secondary key [0-9a-f]{8} → [0-9a-f]{8}; primary key [0-9a-f]{8} unchanged, still valid/);
    assert.match(stdout, /Service Bus queue authorization rule: secondary key [0-9a-f]{8} → [0-9a-f]{8}; primary key [0-9a-f]{8} unchanged, still valid/);
    assert.match(stdout, /acs-key +Azure Communication Services +keyType left out: Alternate/);
    assert.match(stdout, /acs-key +create +regenerated Secondary and made it active; Primary stays valid/);
    assert.match(stdout, /signalr-primary +create +regenerated Primary \(fixed keyType\): its old key is revoked at once/);
    // A fixed-type KeyRotation outputs its own key only.
    assert.match(stdout, /outputs: primaryKey [0-9a-f]{8}, active: Primary \(proven on the data plane\)\n/);
    assert.match(stdout, /Azure Communication Services: secondary key ([0-9a-f]{8}) → ([0-9a-f]{8}); primary key [0-9a-f]{8} unchanged, still valid/);

    const step = (n: number) => stdout.slice(stdout.indexOf(`\n${n}. `), stdout.indexOf(n === 9 ? "\nWhat the outputs hold" : `\n${n + 1}. `));
    assert.match(step(2), /every KeyRotation: same, nothing to do/);
    assert.match(step(2), /ARM requests: 0/);
    // Bumping one trigger changes one key on Azure, and nothing else.
    assert.match(
        step(3),
        /On Azure:\n +Azure Communication Services: primary key [0-9a-f]{8} → [0-9a-f]{8}; secondary key [0-9a-f]{8} unchanged, still valid\n +ARM/,
    );
    assert.match(step(5), /the app's connection string from before the rotation: still accepted/);
    // Verification waits out the key's propagation before consumers move.
    // The probes of the new key, and one of the key that still works (accepted: the new key is only propagating).
    assert.match(step(7), /regenerated Secondary, then \d+ probes \(\d+× HTTP 401, \d× HTTP 200\) until Communication Services accepted it/);
    assert.match(step(7), /only then did activeKey move to Secondary/);
    // Storage and Service Bus consumers keep working across a rotation, and the new keys are proven.
    for (const name of ["storage-key", "orders-send-key"]) {
        assert.match(
            step(8),
            new RegExp(
                `${name} +regenerated Primary, now active, proven on its data plane; Secondary is untouched\\n +the app's connection string from before: still accepted; the new one: accepted`,
            ),
        );
    }
    // Key Vault delivery with no key in the state.
    assert.match(
        step(9),
        /pulumi up \(trigger 2026-11\): regenerated Secondary, proven, then written as version [0-9a-f]{8}… of the secret, holding the Secondary key's connection string/,
    );
    assert.match(
        step(9),
        /pulumi up \(trigger 2026-12\): regenerated Primary, proven, then written as version [0-9a-f]{8}… of the secret, holding the Primary key's connection string/,
    );
    assert.match(step(9), /the version before holds the Secondary key, still accepted/);
    assert.match(step(9), /the state holds no key and no connection string: only digests/);
    assert.match(stdout, /outputs only the keys it owns/);
    assert.match(stdout, /Access tokens the emulator issued for the whole run: 2 \(one provider process: one token for ARM, one for Key Vault\)/);
    assert.match(stdout, /Try next:/);
    const keyLike = (stdout.match(/[A-Za-z0-9+/]{24,}/g) ?? []).filter((s) => /\d/.test(s) && /[A-Za-z]/.test(s));
    assert.deepEqual(keyLike, [], "nothing that looks like a key or token");
});
