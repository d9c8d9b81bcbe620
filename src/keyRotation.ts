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
// serializes functions by value, and everything they capture goes into the state too. There is no
// `delete`: deleting a KeyRotation calls nothing (the keys stay valid), which is what the host does
// for a provider without one, and each forwarder adds ~230 bytes to every resource's state.
const load = () => require(IMPLEMENTATION);
const provider: pulumi.dynamic.ResourceProvider = {
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
};

/**
 * Rotates one key of an Azure resource through Azure Resource Manager and outputs the complete,
 * current key set as secrets. Created → the key is regenerated; `trigger` changed → regenerated
 * again; otherwise nothing is called. Deleting it leaves the keys as they are.
 */
export class KeyRotation extends pulumi.dynamic.Resource {
    /** The ARM id of the target resource. */
    declare readonly resourceId: pulumi.Output<string>;
    /** The target's ARM type, e.g. `Microsoft.SignalRService/signalR`. */
    declare readonly resourceType: pulumi.Output<string>;
    /** The key type this resource rotates, in Azure's spelling. */
    declare readonly keyType: pulumi.Output<string>;
    /** The trigger of the last deployment. */
    declare readonly trigger: pulumi.Output<string | number>;
    /** The api-version override, if one was given. */
    declare readonly apiVersion: pulumi.Output<string | undefined>;
    /** When the last successful regenerate finished (ISO-8601, UTC). */
    declare readonly rotatedAt: pulumi.Output<string>;
    /** Which key the last successful regenerate renewed. */
    declare readonly rotatedKeyType: pulumi.Output<string>;
    /** The current primary key (secret). */
    declare readonly primaryKey: pulumi.Output<string | undefined>;
    /** The current secondary key (secret). */
    declare readonly secondaryKey: pulumi.Output<string | undefined>;
    /** The current primary connection string, where the service has one (secret). */
    declare readonly primaryConnectionString: pulumi.Output<string | undefined>;
    /** The current secondary connection string, where the service has one (secret). */
    declare readonly secondaryConnectionString: pulumi.Output<string | undefined>;
    /** Logic Apps Standard: trigger name → callback URL signed with the current key (secret). */
    declare readonly callbackUrls: pulumi.Output<Record<string, string> | undefined>;

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
