import assert from "node:assert/strict";
import { join } from "node:path";
import { it } from "node:test";
import * as ts from "typescript";

// Doc comments are the user's API reference in the editor: every export of the package's entry
// points ("." , "./emulator" and "./provider"), and every public member of an exported class or interface, has one.

const root = join(__dirname, "..", "..", "..");
const entryPoints = ["src/index.ts", "emulator/index.ts", "src/provider.ts"].map((f) => join(root, f));

it("every public type and member has a doc comment", () => {
    const program = ts.createProgram(entryPoints, { strict: true, types: ["node"], skipLibCheck: true });
    const checker = program.getTypeChecker();
    const missing: string[] = [];
    const documented = (symbol: ts.Symbol) => ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() !== "";

    for (const file of entryPoints) {
        const source = program.getSourceFile(file)!;
        for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(source)!)) {
            const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
            if (!documented(symbol)) missing.push(exported.name);
            if (!(symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface))) continue;
            for (const member of symbol.members?.values() ?? []) {
                const declaration = member.declarations?.[0];
                if (!declaration) continue;
                const modifiers = ts.getCombinedModifierFlags(declaration as ts.Declaration);
                if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
                const name = member.name === "__constructor" ? "constructor" : member.name;
                if (!documented(member)) missing.push(`${exported.name}.${name}`);
            }
        }
    }
    assert.deepEqual(missing, [], `without a doc comment: ${missing.join(", ")}`);
});
