import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { proxyFor } from "../../src/probe/transport";

// The emulator's environment names its proxy in a variable of the package's own, so that loading it
// leaves the shell's HTTPS_PROXY and NO_PROXY (npm's, the Pulumi CLI's) as they were. The probes
// take it before HTTPS_PROXY, for every data-plane host.

describe("KEY_ROTATION_DATA_PLANE_PROXY", () => {
    const host = "acct.blob.core.windows.net";

    it("is the probes' proxy, before HTTPS_PROXY", () => {
        const env = { KEY_ROTATION_DATA_PLANE_PROXY: "http://127.0.0.1:8444", HTTPS_PROXY: "http://proxy.corp:3128" };
        assert.equal(proxyFor(host, env)?.href, "http://127.0.0.1:8444/");
        assert.equal(proxyFor(host, { KEY_ROTATION_DATA_PLANE_PROXY: "127.0.0.1:8444" })?.href, "http://127.0.0.1:8444/", "without a scheme: http://");
    });

    it("is not subject to the shell's NO_PROXY, which is for the shell's own proxy", () => {
        for (const noProxy of ["*", ".windows.net", host]) {
            const env = { KEY_ROTATION_DATA_PLANE_PROXY: "http://127.0.0.1:8444", HTTPS_PROXY: "http://proxy.corp:3128", NO_PROXY: noProxy };
            assert.equal(proxyFor(host, env)?.host, "127.0.0.1:8444", `NO_PROXY=${noProxy}`);
        }
    });

    it("empty, it is as if unset: HTTPS_PROXY and NO_PROXY decide", () => {
        assert.equal(proxyFor(host, { KEY_ROTATION_DATA_PLANE_PROXY: "", HTTPS_PROXY: "http://proxy.corp:3128" })?.host, "proxy.corp:3128");
        assert.equal(proxyFor(host, { KEY_ROTATION_DATA_PLANE_PROXY: "", HTTPS_PROXY: "http://proxy.corp:3128", NO_PROXY: ".windows.net" }), undefined);
    });
});
