/**
 * Rotation on a schedule (`rotateEvery`), decided in `check` so that a due rotation shows in
 * `pulumi preview` as a change of inputs, with its reason.
 *
 * Pulumi's engine passes `check` the previous *inputs* (not outputs) and shows a dynamic resource's
 * diff as the difference between old and new inputs. So `check` keeps two inputs of its own:
 * - `nextRotationAt`: when the next scheduled rotation is due. It is set, to now + rotateEvery, only
 *   by a deployment that rotates (created, trigger changed, or due), so a deployment that runs late
 *   rotates once and the next one is a full interval after it: no catch-up loop, no burst of
 *   rotations, and the key that was active before keeps a full interval of grace.
 * - `rotationReason`: why the last rotation happened. A scheduled rotation's reason names the time
 *   it was due, so it differs from every earlier one: `diff` reads the decision from it, without
 *   looking at the clock again (the clock moved between check and diff).
 */
import { targetChanged } from "./resourceId";
import { triggerChanged, UNKNOWN } from "./values";

const INTERVAL = /^\s*(\d+)\s*([hd])\s*$/i;
const HOUR = 3_600_000;
/** The longest interval accepted: ten years. */
const MAX_HOURS = 24 * 3650;

/** Reason prefix of a scheduled rotation; `diff` recognises a scheduled rotation by it. */
const SCHEDULED = "rotateEvery ";
const TRIGGER_CHANGED = "trigger changed";
const CREATED = "created";

/** Parses "30d" / "12h" into milliseconds; undefined when it is not such an interval. */
export function parseInterval(value: unknown): number | undefined {
    if (typeof value !== "string") return undefined;
    const m = INTERVAL.exec(value);
    if (!m) return undefined;
    const hours = Number(m[1]) * (m[2].toLowerCase() === "d" ? 24 : 1);
    return hours >= 1 && hours <= MAX_HOURS ? hours * HOUR : undefined;
}

/** Why `rotateEvery` is invalid, or undefined when it is valid (or absent). */
export function intervalProblem(value: unknown): string | undefined {
    if (value === undefined || value === null || value === UNKNOWN) return undefined;
    if (parseInterval(value) !== undefined) return undefined;
    if (typeof value === "string" && INTERVAL.test(value)) return `"${value}" is out of range: the interval must be from 1h to 3650d (ten years)`;
    return `"${String(value)}" is not an interval: use a whole number of hours or days, e.g. "12h" or "30d" (1h to 3650d)`;
}

/** A valid interval as it is stored: `" 30 D"` → `"30d"`. */
export function canonicalInterval(value: string): string {
    const m = INTERVAL.exec(value);
    return m ? `${Number(m[1])}${m[2].toLowerCase()}` : value;
}

function time(value: unknown): number | undefined {
    if (typeof value !== "string") return undefined;
    const t = Date.parse(value);
    return Number.isFinite(t) ? t : undefined;
}

/**
 * The schedule inputs for this deployment, from the previous inputs and the new ones (already
 * valid). Returns the values to set; `undefined` means "remove".
 */
export function planSchedule(olds: Record<string, unknown>, news: Record<string, unknown>, now: number): { nextRotationAt?: string; rotationReason?: string } {
    const every = parseInterval(news.rotateEvery);
    const exists = typeof olds.resourceId === "string";
    const unknown = news.rotateEvery === UNKNOWN || (exists && (news.resourceId === UNKNOWN || news.trigger === UNKNOWN));
    if (unknown) return { nextRotationAt: UNKNOWN, rotationReason: UNKNOWN };

    const reasonBefore = typeof olds.rotationReason === "string" ? olds.rotationReason : undefined;
    const at = (t: number) => new Date(t).toISOString();

    // Rotations that happen whatever the schedule says.
    let reason: string | undefined;
    if (targetChanged(olds, news)) reason = CREATED;
    else if (triggerChanged(olds, news)) reason = TRIGGER_CHANGED;

    if (every === undefined) return { rotationReason: reason ?? reasonBefore };
    if (reason) return { nextRotationAt: at(now + every), rotationReason: reason };

    const next = time(olds.nextRotationAt);
    if (next === undefined) {
        // rotateEvery is new on this resource (or state from before schedules): the clock starts now.
        return { nextRotationAt: at(now + every), rotationReason: reasonBefore };
    }
    // A changed interval counts from the same last rotation.
    const everyBefore = parseInterval(olds.rotateEvery);
    const due = everyBefore === undefined ? next : next - everyBefore + every;
    if (now >= due) return { nextRotationAt: at(now + every), rotationReason: `${SCHEDULED}${news.rotateEvery} elapsed: due since ${at(due)}` };
    return { nextRotationAt: at(due), rotationReason: reasonBefore };
}

/** Whether the inputs `check` produced ask for a scheduled rotation (see {@link planSchedule}). */
export function scheduledRotation(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
    const reason = news.rotationReason;
    if (reason === UNKNOWN) return true;
    return typeof reason === "string" && reason.startsWith(SCHEDULED) && reason !== olds.rotationReason;
}
