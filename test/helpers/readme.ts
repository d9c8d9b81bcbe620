import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./host";

/** A fenced code block of the README. */
export interface ReadmeBlock {
    /** The fence's language, e.g. `ts`, `sh`. */
    lang: string;
    /** The 1-based line of the block's first line of code in README.md. */
    line: number;
    /** The code, without the indentation it has inside a list item. */
    code: string;
    /** The `##` section it is in. */
    section: string;
}

/** Every fenced code block of README.md, in order. */
export function readmeBlocks(text = readFileSync(join(packageRoot, "README.md"), "utf8")): ReadmeBlock[] {
    const lines = text.split("\n");
    const blocks: ReadmeBlock[] = [];
    let section = "";
    for (let i = 0; i < lines.length; i++) {
        if (lines[i].startsWith("## ")) section = lines[i].slice(3).trim();
        const fence = /^(\s*)```(\w*)\s*$/.exec(lines[i]);
        if (!fence) continue;
        const indent = fence[1].length;
        const start = i + 1;
        let end = start;
        while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
        blocks.push({
            lang: fence[2],
            line: start + 1,
            code: lines
                .slice(start, end)
                .map((l) => l.slice(indent))
                .join("\n"),
            section,
        });
        i = end;
    }
    return blocks;
}

/** The TypeScript blocks. */
export const typeScriptBlocks = () => readmeBlocks().filter((b) => b.lang === "ts" || b.lang === "typescript");

/** The documents a user copies code from: the README and the pages of docs/. */
export const userDocuments = (): string[] => [
    "README.md",
    ...readdirSync(join(packageRoot, "docs"))
        .filter((f) => f.endsWith(".md"))
        .sort()
        .map((f) => `docs/${f}`),
];

/**
 * The TypeScript blocks a user can copy as they are, each with its document and a file name to
 * compile it as: every one of the README, and those of docs/ that are whole modules (they import
 * what they use). A docs/ block without an import is a fragment that goes on from the text around
 * it (`emulator.createKeyVault(…)`), and is left out.
 */
export function documentedTypeScript(): Array<ReadmeBlock & { document: string; file: string }> {
    return userDocuments().flatMap((document) =>
        readmeBlocks(readFileSync(join(packageRoot, document), "utf8"))
            .filter((b) => b.lang === "ts" || b.lang === "typescript")
            .filter((b) => document === "README.md" || /^\s*import\s/m.test(b.code))
            .map((b) => ({ ...b, document, file: `${document.replace(/[^A-Za-z0-9]+/g, "-")}-${b.line}.ts` })),
    );
}

/** Each command line of the shell blocks, with the README line it is on (comments and blank lines left out). */
export function shellLines(): Array<{ command: string; line: number; section: string }> {
    return readmeBlocks()
        .filter((b) => b.lang === "sh" || b.lang === "bash" || b.lang === "shell")
        .flatMap((b) =>
            b.code.split("\n").flatMap((text, i) => {
                const command = text.replace(/\s+#.*$/, "").trim();
                return command && !command.startsWith("#") ? [{ command, line: b.line + i, section: b.section }] : [];
            }),
        );
}
