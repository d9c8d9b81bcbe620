import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sampleResourceIds } from "../../emulator";
import { checkInputs } from "../../src/core/inputs";

// Messages a user can act on: each says what is wrong and what to write instead. (No credentials
// at all is tested through the provider host in test/emulator/signIn.test.ts.)

const group = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers";
const samples = sampleResourceIds("wording");
const failure = (inputs: Record<string, unknown>) => {
    const { failures } = checkInputs(inputs);
    assert.equal(failures.length, 1, JSON.stringify(failures));
    return failures[0].reason;
};

describe("input errors say what to write instead", () => {
    it("an API Management service id: the tenant access and subscription ids whose keys rotate", () => {
        const reason = failure({ resourceId: `${group}/Microsoft.ApiManagement/service/apim` });
        assert.match(reason, /Microsoft\.ApiManagement\/service resource, which is not supported/);
        assert.match(reason, /its keys are rotated on …\/tenant\/access or …\/tenant\/gitAccess or …\/subscriptions\/\{sid\}/);
    });

    it("a web site id: the workflow id whose keys rotate", () => {
        const reason = failure({ resourceId: `${group}/Microsoft.Web/sites/orders-app` });
        assert.match(reason, /its keys are rotated on …\/workflows\/\{workflowName\}/);
    });

    it("a misspelt resource type: the supported type it is close to, before the list", () => {
        for (const [written, meant] of [
            ["Microsoft.Storage/storageAcounts/data", "Microsoft.Storage/storageAccounts"],
            ["microsoft.storge/STORAGEACCOUNTS/data", "Microsoft.Storage/storageAccounts"],
            ["Microsoft.ServiceBus/namespaces/orders/queue/jobs/authorizationRules/send", "Microsoft.ServiceBus/namespaces/queues/authorizationRules"],
            ["Microsoft.SignalRService/signalRs/hub", "Microsoft.SignalRService/signalR"],
        ]) {
            const reason = failure({ resourceId: `${group}/${written}` });
            assert.ok(reason.includes(`resource, which is not supported (did you mean ${meant}?); supported types: `), reason);
        }
    });

    it("a resource type far from every supported one: no guess, the list", () => {
        const reason = failure({ resourceId: `${group}/Microsoft.KeyVault/vaults/secrets` });
        assert.match(reason, /names a Microsoft\.KeyVault\/vaults resource, which is not supported; supported types: Microsoft\.Web\/sites\/workflows, /);
        assert.doesNotMatch(reason, /did you mean/);
    });

    it("Alternate on Logic Apps Standard: why not, and which keyType to use", () => {
        const reason = failure({ resourceId: samples["logic-apps-standard"], keyType: "Alternate" });
        assert.match(reason, /cannot be used for a Logic Apps Standard workflow/);
        assert.match(reason, /use keyType "Primary" and have callers take the new callbackUrls after each rotation/);
    });

    it("a misspelt keyType from config: the name it is close to", () => {
        const reason = failure({ resourceId: samples.signalr, keyType: "Alternat" });
        assert.match(
            reason,
            /keyType "Alternat" is not a key type of an Azure SignalR Service \(did you mean "Alternate"\?\); use one of Alternate, Primary, Secondary, Salt/,
        );
        assert.doesNotMatch(failure({ resourceId: samples.signalr, keyType: "Tertiary" }), /did you mean/);
    });

    it("an interval out of range is out of range, not 'not an interval'", () => {
        assert.equal(
            failure({ resourceId: samples.signalr, rotateEvery: "3651d" }),
            'rotateEvery "3651d" is out of range: the interval must be from 1h to 3650d (ten years)',
        );
        assert.match(
            failure({ resourceId: samples.signalr, rotateEvery: "1 month" }),
            /"1 month" is not an interval: use a whole number of hours or days, e\.g\. "12h" or "30d"/,
        );
    });

    it("an interval written with spaces or capitals is stored as 30d", () => {
        for (const written of [" 30d", "30 d", "30D", "030d"]) {
            const { inputs, failures } = checkInputs({ resourceId: samples.signalr, rotateEvery: written });
            assert.deepEqual(failures, []);
            assert.equal(inputs.rotateEvery, "30d", JSON.stringify(written));
        }
    });
});
