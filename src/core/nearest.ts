/**
 * "Did you mean": the known name closest to what a user wrote, for check failures that name a
 * typo's likely fix (a key type, a resource type).
 */

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from `a` to `b`. */
export function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
    }
    return previous[b.length];
}

/**
 * The candidate closest to `written` (case-insensitive), if it is within `maxDistance` edits (a
 * number, or one per candidate); the first of equally close ones.
 */
export function closest(written: string, candidates: readonly string[], maxDistance: number | ((candidate: string) => number)): string | undefined {
    let best: { name: string; distance: number } | undefined;
    for (const name of candidates) {
        const distance = editDistance(name.toLowerCase(), written.toLowerCase());
        const within = typeof maxDistance === "number" ? maxDistance : maxDistance(name);
        if (distance <= within && (!best || distance < best.distance)) best = { name, distance };
    }
    return best?.name;
}
