/**
 * The provider looks a service up by its ARM type without loading the other entries; the lookup's
 * table and the catalog's list are the same services.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CATALOG } from "../../src/catalog";
import { allServices, findService } from "../../src/catalog/lookup";

describe("the catalog's lookup", () => {
    it("finds every catalog entry by its ARM type, in any casing, as the same object", () => {
        for (const entry of CATALOG) {
            assert.equal(findService(entry.resourceType), entry, entry.resourceType);
            assert.equal(findService(entry.resourceType.toUpperCase()), entry);
        }
    });

    it("knows no type the catalog lacks, and lists the same services in the same order", () => {
        assert.equal(findService("Microsoft.KeyVault/vaults"), undefined);
        assert.deepEqual(
            allServices().map((e) => e.service),
            CATALOG.map((e) => e.service),
        );
    });
});
