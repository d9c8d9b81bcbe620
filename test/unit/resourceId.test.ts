import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CATALOG } from "../../src/catalog";
import { armPath, operationsPath, parseResourceId, sameResourceId } from "../../src/core/resourceId";
import { resourceIds } from "../helpers/emulator";

describe("parseResourceId", () => {
    for (const entry of CATALOG) {
        it(`recognises ${entry.resourceType} ids and rebuilds them`, () => {
            const id = resourceIds()[entry.service];
            const parsed = parseResourceId(id);
            assert.ok(parsed.ok, parsed.ok ? "" : parsed.reason);
            assert.equal(parsed.target.entry.service, entry.service);
            assert.equal(armPath(parsed.target, entry.idTemplate), id);
        });
    }

    it("matches resource types case-insensitively, as ARM does", () => {
        const parsed = parseResourceId("/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000001/RESOURCEGROUPS/rg/PROVIDERS/microsoft.signalrservice/SIGNALR/hub");
        assert.ok(parsed.ok);
        assert.equal(parsed.target.entry.service, "signalr");
    });

    it("parses APIM subscription ids, which hold 'subscriptions' twice", () => {
        const parsed = parseResourceId(
            "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim/subscriptions/subscriptions",
        );
        assert.ok(parsed.ok);
        assert.deepEqual(parsed.target.names, { serviceName: "apim", sid: "subscriptions" });
        assert.equal(parsed.target.subscriptionId, "00000000-0000-0000-0000-000000000002");
    });

    it("uses the canonical spelling of enumerated names (APIM gitAccess)", () => {
        const parsed = parseResourceId(
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim/tenant/GITACCESS",
        );
        assert.ok(parsed.ok);
        assert.equal(parsed.target.names.accessName, "gitAccess");
    });

    it("builds Logic Apps operations under the host-runtime path", () => {
        const parsed = parseResourceId(resourceIds()["logic-apps-standard"]);
        assert.ok(parsed.ok);
        assert.match(
            operationsPath(parsed.target),
            /\/Microsoft\.Web\/sites\/rot-site\/hostruntime\/runtime\/webhooks\/workflow\/api\/management\/workflows\/orders$/,
        );
    });

    const bad: Array<[string, RegExp]> = [
        ["", /is required/],
        ["signalr-hub", /not an ARM resource id/],
        [
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
            /Microsoft\.KeyVault\/vaults.*not supported/,
        ],
        ["/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.SignalRService/signalR", /not an ARM resource id/],
        ["/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.SignalRService/signalR/hub/extra", /do not pair up/],
        [
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim/tenant/other",
            /access or gitAccess/,
        ],
        [
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/-apim/subscriptions/x",
            /serviceName/,
        ],
        [
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.SignalRService/signalR/hub?api-version=1",
            /no spaces, query/,
        ],
        ["/subscriptions//resourceGroups/rg/providers/Microsoft.SignalRService/signalR/hub", /not an ARM resource id/],
        // "." and ".." would be normalised away by the URL, sending the call to another resource.
        [
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/../providers/Microsoft.SignalRService/signalR/hub",
            /must not hold "\." or "\.\." segments/,
        ],
        [
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.SignalRService/signalR/..",
            /must not hold "\." or "\.\." segments/,
        ],
        ["/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.SignalRService/signalR/.", /must not hold/],
        ["/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.SignalRService/signalR/%2e%2e", /% escapes/],
        [
            `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.SignalRService/signalR/${"a".repeat(10_000)}`,
            /at most 2048/,
        ],
        [
            `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.SignalRService/signalR/${"a".repeat(64)}`,
            /resourceName "a{40}…" \(64 characters\); it must be 3 to 63 letters, digits and hyphens/,
        ],
        [
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.SignalRService/signalR/hub_1",
            /must be 3 to 63 letters, digits and hyphens/,
        ],
        ["/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.SignalRService/signalR/hub", /subscription id is a GUID/],
        [
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg./providers/Microsoft.SignalRService/signalR/hub",
            /resource group name "rg\."; it must be 1 to 90/,
        ],
        [
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim",
            /its keys are rotated on …\/tenant\/access or …\/tenant\/gitAccess or …\/subscriptions\/\{sid\}/,
        ],
        [
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Web/sites/app",
            /its keys are rotated on …\/workflows\/\{workflowName\}/,
        ],
    ];
    for (const [id, reason] of bad) {
        it(`rejects ${JSON.stringify(id)} with a reason`, () => {
            const parsed = parseResourceId(id);
            assert.equal(parsed.ok, false);
            assert.match((parsed as { reason: string }).reason, reason);
        });
    }

    it("compares ids case-insensitively and ignores a trailing slash", () => {
        assert.ok(sameResourceId("/subscriptions/A/x/", "/SUBSCRIPTIONS/a/X"));
        assert.ok(!sameResourceId("/subscriptions/a/x", "/subscriptions/a/y"));
    });
});
