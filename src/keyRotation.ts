import * as pulumi from "@pulumi/pulumi";
import { SECRET_OUTPUTS } from "./catalog/types";

/** Inputs of a {@link KeyRotation}. */
export interface KeyRotationArgs {
    /**
     * ARM id of the resource whose key is rotated; the service is inferred from it. Changing it
     * replaces the KeyRotation (the new target's key is rotated).
     */
    resourceId: pulumi.Input<string>;
    /**
     * The key to regenerate, case-insensitive: `Primary` or `Secondary` (SignalR also `Salt`,
     * Logic Apps also `NotSpecified`). Changing it alone rotates nothing; the next trigger does.
     */
    keyType: pulumi.Input<string>;
    /** Any string or number. Change it and run `pulumi up` to rotate the key again. */
    trigger: pulumi.Input<string | number>;
    /** ARM api-version to call instead of the service's default (YYYY-MM-DD[-preview]). */
    apiVersion?: pulumi.Input<string>;
}

/** The package entry the provider host loads; a name, so `__provider` is small and stable across versions. */
const IMPLEMENTATION = "pulumi-azure-key-rotation/provider";

// Serialized into every resource's state as `__provider`. Keep it to these forwarding calls: Pulumi
// serializes functions by value, and everything they capture goes into the state too.
const load = () => require(IMPLEMENTATION);
const provider: pulumi.dynamic.ResourceProvider = {
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
};

/**
 * Rotates one key of an Azure resource through Azure Resource Manager and outputs the complete,
 * current key set as secrets. Created → the key is regenerated; `trigger` changed → regenerated
 * again; otherwise nothing is called. Deleting it leaves the keys as they are.
 */
export class KeyRotation extends pulumi.dynamic.Resource {
    /** The ARM id of the target resource. */
    public readonly resourceId!: pulumi.Output<string>;
    /** The target's ARM type, e.g. `Microsoft.SignalRService/signalR`. */
    public readonly resourceType!: pulumi.Output<string>;
    /** The key type this resource rotates, in Azure's spelling. */
    public readonly keyType!: pulumi.Output<string>;
    /** The trigger of the last deployment. */
    public readonly trigger!: pulumi.Output<string | number>;
    /** The api-version override, if one was given. */
    public readonly apiVersion!: pulumi.Output<string | undefined>;
    /** When the last successful regenerate finished (ISO-8601, UTC). */
    public readonly rotatedAt!: pulumi.Output<string>;
    /** Which key the last successful regenerate renewed. */
    public readonly rotatedKeyType!: pulumi.Output<string>;
    /** The current primary key (secret). */
    public readonly primaryKey!: pulumi.Output<string | undefined>;
    /** The current secondary key (secret). */
    public readonly secondaryKey!: pulumi.Output<string | undefined>;
    /** The current primary connection string, where the service has one (secret). */
    public readonly primaryConnectionString!: pulumi.Output<string | undefined>;
    /** The current secondary connection string, where the service has one (secret). */
    public readonly secondaryConnectionString!: pulumi.Output<string | undefined>;
    /** Logic Apps Standard: trigger name → callback URL signed with the current key (secret). */
    public readonly callbackUrls!: pulumi.Output<Record<string, string> | undefined>;

    constructor(name: string, args: KeyRotationArgs, opts?: pulumi.CustomResourceOptions) {
        const props: pulumi.Inputs = {
            resourceId: args.resourceId,
            keyType: args.keyType,
            trigger: args.trigger,
            apiVersion: args.apiVersion,
            resourceType: undefined,
            rotatedAt: undefined,
            rotatedKeyType: undefined,
        };
        for (const secret of SECRET_OUTPUTS) props[secret] = undefined;
        super(
            provider,
            name,
            props,
            { ...opts, additionalSecretOutputs: [...SECRET_OUTPUTS, ...(opts?.additionalSecretOutputs ?? [])] },
            "keyRotation",
            "KeyRotation",
        );
    }
}
