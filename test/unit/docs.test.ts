/**
 * The README and docs/ say what the catalog says: one row per service in the README's table, with
 * its ARM type, default api-version, key types and whether it can prove a key; the probe table of
 * docs/services.md is the catalog's probes, word for word. Every link between the documents lands
 * on a file and a heading that exist, the README leads with the first hour, its contents list every
 * section, it stays short (400 lines at most; the reference material is in docs/, every page of which
 * it links to), and no line is too long to read.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, it } from "node:test";
import { CATALOG, markdown, probeRow, readmeFacts, tableAfter } from "../helpers/docs";
import { packageRoot } from "../helpers/host";

/** The pages of docs/: reference material the README links to where it mentions it. */
const DOCS_PAGES = readdirSync(join(packageRoot, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`);
const DOCUMENTS = ["README.md", ...DOCS_PAGES, "CONTRIBUTING.md", "CHANGELOG.md", "bench/README.md"];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
    heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, "")
        .replace(/ /g, "-");

/** The anchors of a Markdown file's headings (code blocks left out). */
function anchors(text: string): Set<string> {
    const out = new Set<string>();
    let code = false;
    for (const line of text.split("\n")) {
        if (/^\s*```/.test(line)) code = !code;
        const heading = !code && /^#{1,6} (.*)$/.exec(line);
        if (heading) out.add(slug(heading[1]));
    }
    return out;
}

/** The lines of a Markdown file outside code blocks. */
const prose = (text: string) => text.split("\n").filter((_, i, all) => all.slice(0, i + 1).filter((l) => /^\s*```/.test(l)).length % 2 === 0);

describe("the README's services table", () => {
    const rows = tableAfter(markdown("README.md"), "## Supported services");

    it("has one row per catalog entry, in the catalog's order", () => {
        assert.deepEqual(
            rows.map((r) => r[1]),
            CATALOG.map((e) => `\`${e.resourceType}\``),
        );
    });

    for (const [i, entry] of CATALOG.entries()) {
        it(`${entry.service}: its key types, default api-version and verification are the catalog's`, () => {
            const [, , keyTypes, apiVersion, , verify] = rows[i];
            const facts = readmeFacts(entry);
            assert.equal(keyTypes, facts.keyTypes);
            assert.equal(apiVersion, entry.defaultApiVersion);
            assert.equal(verify, facts.verify);
        });
    }
});

describe("docs/services.md", () => {
    const text = markdown("docs/services.md");

    it("the table of every service has its default api-version, in the catalog's order", () => {
        const rows = tableAfter(text, "## The services");
        assert.equal(rows.length, CATALOG.length);
        for (const [i, entry] of CATALOG.entries()) {
            assert.ok(rows[i][3].startsWith(entry.defaultApiVersion), `${entry.service}: ${rows[i][3]}`);
            assert.ok(rows[i][1].startsWith(`\`${entry.resourceType.split("/")[0]}/`), `${entry.service}: ${rows[i][1]}`);
        }
    });

    it("what verify sends is the catalog's probes, word for word", () => {
        const table = /<!-- probes:begin -->\n\| .*\n\|---.*\n([\s\S]*?)\n<!-- probes:end -->/.exec(text);
        assert.ok(table, "docs/services.md has the probe table between its markers");
        const expected = CATALOG.map(probeRow).join("\n");
        assert.equal(table[1], expected, `replace the table's rows with:\n${expected}`);
    });

    it("the RBAC table has a row for every service", () => {
        const rows = tableAfter(text, "## Azure RBAC: the least the identity needs");
        assert.equal(rows.length, CATALOG.length);
    });
});

describe("links between the documents", () => {
    for (const document of DOCUMENTS) {
        it(`${document}: every relative link lands on a file, and on a heading of it`, () => {
            const text = markdown(document);
            const broken: string[] = [];
            for (const line of prose(text)) {
                for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
                    if (/^[a-z]+:/.test(target)) continue;
                    const [path, anchor] = target.split("#");
                    const file = path ? normalize(join(dirname(document), path)) : document;
                    if (!existsSync(join(packageRoot, file))) {
                        broken.push(`${target}: no file ${file}`);
                        continue;
                    }
                    if (anchor && file.endsWith(".md") && !anchors(markdown(file)).has(anchor)) broken.push(`${target}: no heading #${anchor} in ${file}`);
                }
            }
            assert.deepEqual(broken, []);
        });
    }
});

describe("the pages of docs/", () => {
    for (const page of DOCS_PAGES) {
        it(`${page}: a page of three sections or more lists them all before the first`, () => {
            const text = markdown(page);
            const sections = text
                .split("\n")
                .filter((l) => l.startsWith("## "))
                .map((l) => l.slice(3));
            if (sections.length < 3) return;
            const contents = text.slice(0, text.indexOf("\n## "));
            assert.deepEqual(
                sections.filter((s) => !contents.includes(`(#${slug(s)})`)),
                [],
            );
        });
    }
});

describe("no sentence left hanging", () => {
    for (const document of DOCUMENTS) {
        it(`${document}: every line that ends with a colon is followed by what it introduces, not by a heading or the end`, () => {
            const lines = markdown(document).split("\n");
            const dangling: string[] = [];
            lines.forEach((line, i) => {
                if (!/:\s*$/.test(line) || /^\s*(#|\||```)/.test(line)) return;
                const next = lines.slice(i + 1).find((l) => l.trim() !== "");
                if (next === undefined || /^#{1,6} /.test(next)) dangling.push(`${document}:${i + 1}: ${line.trim()}`);
            });
            assert.deepEqual(dangling, []);
        });
    }
});

describe("the README's shape", () => {
    const text = markdown("README.md");
    const sections = text
        .split("\n")
        .filter((l) => l.startsWith("## "))
        .map((l) => l.slice(3));

    it("leads with what it is, then the first hour: install, a first program, the quick start and the rehearsal", () => {
        assert.deepEqual(sections.slice(0, 4), ["Install", "A first program", "Quick start (no Azure account needed)", "Rehearse on the emulator"]);
        const quickStart = text.split("\n").indexOf("## Quick start (no Azure account needed)");
        assert.ok(quickStart < 100, `the quick start starts at line ${quickStart + 1}`);
    });

    it("its contents, before the first section, link to every section", () => {
        const contents = text.slice(0, text.indexOf("\n## "));
        const missing = sections.filter((s) => !contents.includes(`(#${slug(s)})`));
        assert.deepEqual(missing, []);
    });

    it("is 400 lines at most: reference material belongs in docs/", () => {
        const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
        assert.ok(lines <= 400, `README.md has ${lines} lines`);
    });

    it("links to every page of docs/", () => {
        const missing = DOCS_PAGES.filter((page) => !text.includes(`](${page})`) && !text.includes(`](${page}#`));
        assert.deepEqual(missing, []);
    });

    it("holds what a user reads, in order: install, a first program, rehearsal, the services, the guarantees, configuration", () => {
        const order = ["Install", "A first program", "Rehearse on the emulator", "Supported services", "Guarantees", "Configuration"];
        const at = order.map((s) => sections.indexOf(s));
        assert.ok(
            at.every((i, k) => i >= 0 && (k === 0 || i > at[k - 1])),
            `sections in this order: ${order.join(", ")}; the README has ${sections.join(", ")}`,
        );
    });

    it("no line is longer than 260 characters", () => {
        const long = text
            .split("\n")
            .map((line, i) => ({ line: i + 1, length: line.length }))
            .filter((l) => l.length > 260);
        assert.deepEqual(long, []);
    });
});
