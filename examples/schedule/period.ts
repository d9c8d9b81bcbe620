/** How often the key turns over. */
export type Cadence = "monthly" | "quarterly";

/**
 * The calendar period `date` falls in, in UTC: "2026-11" monthly, "2026-Q4" quarterly. Used as
 * KeyRotation's trigger, it changes once per period, so the first deployment of each period
 * rotates the key and every other deployment in it does nothing.
 */
export function rotationPeriod(date: Date, cadence: Cadence): string {
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    if (cadence === "quarterly") return `${year}-Q${Math.ceil(month / 3)}`;
    return `${year}-${String(month).padStart(2, "0")}`;
}

export function parseCadence(value: string | undefined): Cadence {
    if (value === undefined || value === "monthly" || value === "quarterly") return value ?? "monthly";
    throw new Error(`config "cadence" must be monthly or quarterly, got "${value}"`);
}
