/**
 * The value Pulumi's engine puts in place of an input that is not known yet (during preview).
 * Mirrors `@pulumi/pulumi/runtime/rpc` unknownValue; the core does not load the SDK.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The trigger as compared between deployments: 7 and "7" are the same trigger; none is "". */
export function triggerValue(trigger: unknown): string {
    return trigger === undefined || trigger === null ? "" : String(trigger);
}

/** Whether the trigger changed between two deployments (an unknown new trigger may have). */
export function triggerChanged(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
    return news.trigger === UNKNOWN || triggerValue(olds.trigger) !== triggerValue(news.trigger);
}
