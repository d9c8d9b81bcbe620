/**
 * Contender B' as a Pulumi program declares it: a dynamic resource whose provider forwards each call
 * to floor.ts, as KeyRotation's forwards to the package. Serialized into every resource's state as
 * `__provider` and loaded by Pulumi's dynamic-provider host like any dynamic provider.
 */
import * as pulumi from "@pulumi/pulumi";

/** Where the host loads the floor's methods from: this checkout's compiled floor.ts. */
const FLOOR_MODULE = require.resolve("./floor");

// Captured by value into `__provider`: the forwarders and the module path, nothing else.
const load = () => require(FLOOR_MODULE);
const provider: pulumi.dynamic.ResourceProvider = {
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    update: (id, olds, news) => load().update(id, olds, news),
};

/** Inputs of a {@link FloorRotation}. */
export interface FloorRotationArgs {
    resourceId: string;
    trigger: string;
    /** The rotation's requests (see ../plans.ts), as JSON: one string for the host to carry, not a nested Struct. */
    plan: string;
}

/** One key rotated by the floor provider; outputs the key set the answer held. */
export class FloorRotation extends pulumi.dynamic.Resource {
    constructor(name: string, args: FloorRotationArgs) {
        super(provider, name, { ...args, keys: undefined }, undefined, "bench", "FloorRotation");
    }
}
