/**
 * The value Pulumi's engine puts in place of an input that is not known yet (during preview).
 * Mirrors `@pulumi/pulumi/runtime/rpc` unknownValue; the core does not load the SDK.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The trigger as compared between deployments: 7 and "7" are the same trigger; none is "". */
export function triggerValue(trigger: unknown): string {
    return trigger === undefined || trigger === null ? "" : String(trigger);
}
