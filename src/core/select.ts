import type { Selector } from "../catalog/lookup";

const STEP = /^([^[\]]+)(?:\[([^=\]]+)=([^\]]*)\])?$/;

/**
 * The value a catalog selector points at in an ARM answer, or undefined when the answer does not
 * have it. `keys[keyName=key1].value`: property `keys`, the element whose `keyName` is `key1`
 * (case-insensitive, as Azure's names are), its `value`.
 */
export function select(body: unknown, selector: Selector): unknown {
    let node: unknown = body;
    for (const step of selector.split(".")) {
        const m = STEP.exec(step);
        if (!m) throw new Error(`bad catalog selector ${selector}`);
        node = isRecord(node) ? node[m[1]] : undefined;
        if (m[2] !== undefined) {
            const [field, wanted] = [m[2], m[3].toLowerCase()];
            node = Array.isArray(node) ? node.find((item) => isRecord(item) && String(item[field]).toLowerCase() === wanted) : undefined;
        }
    }
    return node;
}

/** A plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
