import { readFileSync } from "node:fs";
import { join } from "node:path";
import { alternatePairs, CATALOG, type ServiceEntry } from "../../src/catalog";
import { describeProbe } from "../../src/probe/probe";
import { packageRoot } from "./host";

/** A Markdown file of the repository, by its path from the root. */
export const markdown = (path: string): string => readFileSync(join(packageRoot, path), "utf8");

/** The cells of a Markdown table row (`| a | b |`), trimmed; pipes escaped as `\|` stay in their cell. */
export function cells(row: string): string[] {
    return row
        .trim()
        .replace(/^\||\|$/g, "")
        .split(/(?<!\\)\|/)
        .map((c) => c.trim());
}

/** The rows of the first table after `heading` (a line of the file), header and separator left out. */
export function tableAfter(text: string, heading: string): string[][] {
    const lines = text.split("\n");
    let i = lines.indexOf(heading);
    if (i < 0) throw new Error(`no line ${heading}`);
    while (i < lines.length && !lines[i].startsWith("|")) i++;
    const rows: string[][] = [];
    for (i += 2; i < lines.length && lines[i].startsWith("|"); i++) rows.push(cells(lines[i]));
    return rows;
}

/** The row docs/services.md has for an entry's probe: what `verify` sends, or why it cannot. */
export function probeRow(entry: ServiceEntry): string {
    const v = entry.verify;
    if ("refused" in v) return `| ${entry.title} | none: ${v.refused} | — |`;
    const off = v.offByDefault ? `**off by default**: ${v.offByDefault}. ` : "";
    const probe = describeProbe(v).replace(/ \(([^)]*)\)$/, "`, $1");
    return `| ${entry.title} | ${off}\`${probe} | ${v.cost ?? "—"} |`;
}

/** What the README's services table says of an entry's key types and verification. */
export function readmeFacts(entry: ServiceEntry): { keyTypes: string; verify: string } {
    const pairs = Object.keys(alternatePairs(entry)).map((name) => `**${name}**`);
    return {
        keyTypes: [...pairs, ...entry.keyTypes.map((k) => k.name)].join(", "),
        verify: "refused" in entry.verify ? "no" : entry.verify.offByDefault ? "off by default" : "yes",
    };
}

export { CATALOG };
