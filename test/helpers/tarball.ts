import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { packageRoot } from "./host";

/**
 * The package as `npm pack` makes it from this checkout, in `dir` (created if need be); returns its
 * path. `npm test` packs once per run and names the tarball in KEY_ROTATION_TEST_TARBALL: it is
 * copied from there. A file run on its own packs it here, without the prepack script (the tests
 * run from the dist/ it would build).
 */
export function packedTarball(dir: string): string {
    mkdirSync(dir, { recursive: true });
    const shared = process.env.KEY_ROTATION_TEST_TARBALL;
    if (shared && existsSync(shared)) {
        const copy = join(dir, basename(shared));
        copyFileSync(shared, copy);
        return copy;
    }
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    execFileSync(npm, ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], {
        cwd: packageRoot,
        stdio: ["ignore", "ignore", "inherit"],
        shell: process.platform === "win32",
    });
    const name = readdirSync(dir).find((f) => f.endsWith(".tgz"));
    if (!name) throw new Error(`npm pack left no tarball in ${dir}`);
    return join(dir, name);
}
