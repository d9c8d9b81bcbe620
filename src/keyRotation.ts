import * as pulumi from "@pulumi/pulumi";
import { PLAIN_VALUE_OUTPUTS, SECRET_OUTPUTS } from "./catalog/types";
import type { KeyTypeName, RotationInterval } from "./keyTypes";

/** Inputs of a {@link KeyRotation}. */
export interface KeyRotationArgs {
    /**
     * ARM id of the resource whose key is rotated; the service is inferred from it. Changing it
     * replaces the KeyRotation (the new target's key is rotated).
     */
    resourceId: pulumi.Input<string>;
    /**
     * Which key each rotation regenerates, case-insensitive.
     *
     * `Alternate` (the default where the service has a primary/secondary pair): each rotation
     * regenerates the key that is not active and makes it active; the key that was active stays
     * valid until the next rotation. Wire consumers to {@link KeyRotation.activeKey} or
     * {@link KeyRotation.activeConnectionString} and no consumer ever holds a revoked key.
     * `AlternateReadOnly` (Cosmos DB, App Configuration) does the same for the read-only pair. Logic
     * Apps Standard cannot alternate (its callback URLs are always signed with the primary key) and
     * needs an explicit key type.
     *
     * `Primary` or `Secondary`, or the service's own name for them (`key1`, `Key1`, `PrimaryKey`,
     * `Primary Key`, `password`, `password2`, …); Cosmos DB and App Configuration also
     * `PrimaryReadOnly` / `SecondaryReadOnly`, SignalR and Web PubSub `Salt`, Storage `Kerb1` /
     * `Kerb2`, Logic Apps `NotSpecified`: always regenerate that key. Consumers using it fail until
     * they get the new one.
     *
     * Changing it alone rotates nothing; the next trigger or scheduled rotation does. Typed as the
     * names the catalog accepts, so a typo does not compile; the provider checks the value again at
     * preview (case-insensitively), as values can come from config: `value as KeyTypeName`.
     */
    keyType?: pulumi.Input<KeyTypeName>;
    /**
     * Any string or number. Change it and run `pulumi up` to rotate the key again. Optional: without
     * it, the key is rotated when the KeyRotation is created and then only by `rotateEvery`.
     */
    trigger?: pulumi.Input<string | number>;
    /**
     * Rotate on a schedule: a whole number of hours or days, e.g. `"12h"` or `"30d"`. A deployment
     * that runs when this long has passed since the last rotation rotates again (preview shows it,
     * as a change of `nextRotationAt` and `rotationReason`). Deployments inside the interval do
     * nothing; a late deployment rotates once, and the next rotation is a full interval after it.
     * A new `trigger` still rotates at once, and restarts the interval. Typed so that `"1 month"`
     * does not compile; the range (1h to 3650d) is checked at preview.
     */
    rotateEvery?: pulumi.Input<RotationInterval>;
    /** ARM api-version to call instead of the service's default (YYYY-MM-DD[-preview]). */
    apiVersion?: pulumi.Input<string>;
    /**
     * Prove each new key works before consumers move to it: after the regenerate, one read-only
     * data-plane request signed with the new key, repeated with back-off until the service accepts
     * it (a new key takes a while to reach every region and gateway) or `verifyTimeout` passes. If it
     * never does, the deployment fails, the rotation is recorded, and `activeKey` stays on the key
     * that still works; the next `pulumi up` proves it again. On by default where the service has a
     * probe (see the README's table); `true` is refused in `check` where it has none. Set `false` when
     * the data plane is out of reach from where `pulumi up` runs (private endpoints, firewalls).
     */
    verify?: pulumi.Input<boolean>;
    /** How long verification may take: `"90s"`, `"5m"` (10 s to 60 min; default 5 min). */
    verifyTimeout?: pulumi.Input<string>;
    /**
     * Deliver each proven key to a Key Vault secret: after the new key is proven and becomes
     * active, it is written as a new version of the secret, so consumers that read the secret by
     * its versionless URI (App Service and Functions Key Vault references, Container Apps
     * `keyVaultUrl`, AKS's CSI driver) pick it up without a redeploy. With `Alternate`, the version
     * before holds the previous key, which stays valid until the next rotation.
     */
    keyVault?: pulumi.Input<KeyVaultSecretArgs>;
    /**
     * Whether keys, connection strings and callback URLs are outputs (and so in the state,
     * encrypted as secrets). Default `true`. With `false` no key or other secret value is output or
     * stored in any form; deliver the key through {@link KeyRotationArgs.keyVault} instead. The state
     * keeps short one-way digests of the keys, so `pulumi refresh` still notices a key regenerated
     * behind the KeyRotation's back.
     */
    outputKeys?: pulumi.Input<boolean>;
}

/** Where a {@link KeyRotation} writes each proven key: one Key Vault secret, a new version per rotation. */
export interface KeyVaultSecretArgs {
    /**
     * The vault's URI, `https://{vault}.vault.azure.net/` (or the US Government and China suffixes,
     * `vault.usgovcloudapi.net` and `vault.azure.cn`): e.g. `vault.properties.vaultUri`.
     */
    vaultUri: pulumi.Input<string>;
    /** The secret's name: 1 to 127 letters, digits and hyphens. Created on the first write. */
    secretName: pulumi.Input<string>;
    /**
     * What the secret holds: `"connectionString"` (the active key's connection string; the default
     * where the service has one) or `"key"` (the active key itself; the default elsewhere).
     */
    content?: pulumi.Input<"connectionString" | "key">;
    /**
     * When each version expires (its `attributes.exp`), counted from the write: a whole number of
     * hours or days, e.g. `"90d"`. Make it longer than `rotateEvery`: with `Alternate`, the version
     * before stays in use for a full interval after the next one is written.
     */
    expiresAfter?: pulumi.Input<RotationInterval>;
    /**
     * Tags for each version, beside the provider's own (`keyType`, `resourceId`, `rotatedAt`): a tag of
     * yours with one of those names is refused by check, and so are more than 12 tags (Key Vault takes
     * 15 on a version), a name over 512 or a value over 256 characters.
     */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The package entry the provider host loads; a name, so `__provider` is small and stable across versions. */
const IMPLEMENTATION = "pulumi-azure-key-rotation/provider";

// Serialized into every resource's state as `__provider`. Keep it to these forwarding calls: Pulumi
// serializes functions by value, and everything they capture goes into the state too. There is no
// `delete`: deleting a KeyRotation calls nothing (the keys stay valid), which is what the host does
// for a provider without one, and each forwarder adds ~230 bytes to every resource's state.
const load = () => require(IMPLEMENTATION);
const provider: pulumi.dynamic.ResourceProvider = {
    // The host passes the whole stack config here once per process: azure-native's settings.
    configure: (req) => load().configure(req),
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
};

/**
 * Rotates one key of an Azure resource through Azure Resource Manager and outputs the complete,
 * current key set as secrets. Created → a key is regenerated; `trigger` changed, or `rotateEvery`
 * elapsed → regenerated again; otherwise nothing is called. Deleting it leaves the keys as they are.
 */
export class KeyRotation extends pulumi.dynamic.Resource {
    /** The ARM id of the target resource. */
    declare readonly resourceId: pulumi.Output<string>;
    /** The target's ARM type, e.g. `Microsoft.SignalRService/signalR`. */
    declare readonly resourceType: pulumi.Output<string>;
    /** The key type this resource rotates, in Azure's spelling. */
    declare readonly keyType: pulumi.Output<string>;
    /** The trigger of the last deployment. */
    declare readonly trigger: pulumi.Output<string | number | undefined>;
    /** The api-version override, if one was given. */
    declare readonly apiVersion: pulumi.Output<string | undefined>;
    /** When the last successful regenerate finished (ISO-8601, UTC). */
    declare readonly rotatedAt: pulumi.Output<string>;
    /** Which key the last successful regenerate renewed. */
    declare readonly rotatedKeyType: pulumi.Output<string>;
    /** The schedule, if one was given. */
    declare readonly rotateEvery: pulumi.Output<string | undefined>;
    /** With `rotateEvery`: the earliest time a deployment rotates on schedule (ISO-8601, UTC). */
    declare readonly nextRotationAt: pulumi.Output<string | undefined>;
    /** Why the last rotation happened: `created`, `trigger changed`, or the schedule that was due. */
    declare readonly rotationReason: pulumi.Output<string | undefined>;
    /**
     * The key type consumers should use: with `Alternate`, the key the last rotation regenerated;
     * with a fixed key type, that key type. Absent for key types that are not consumer keys (Salt,
     * Kerb1, NotSpecified).
     */
    declare readonly activeKeyType: pulumi.Output<string | undefined>;
    /** `Alternate`: the key type that was active before the last rotation; it stays valid until the next one. */
    declare readonly previousKeyType: pulumi.Output<string | undefined>;
    /** The key of {@link activeKeyType} (secret). Wire consumers to this. */
    declare readonly activeKey: pulumi.Output<string | undefined>;
    /** The connection string of {@link activeKeyType}, where the service has one (secret). */
    declare readonly activeConnectionString: pulumi.Output<string | undefined>;
    /** The current primary key (secret). */
    declare readonly primaryKey: pulumi.Output<string | undefined>;
    /** The current secondary key (secret). */
    declare readonly secondaryKey: pulumi.Output<string | undefined>;
    /** The current primary connection string, where the service has one (secret). */
    declare readonly primaryConnectionString: pulumi.Output<string | undefined>;
    /** The current secondary connection string, where the service has one (secret). */
    declare readonly secondaryConnectionString: pulumi.Output<string | undefined>;
    /** Cosmos DB and App Configuration: the current primary read-only key (secret). */
    declare readonly primaryReadOnlyKey: pulumi.Output<string | undefined>;
    /** Cosmos DB and App Configuration: the current secondary read-only key (secret). */
    declare readonly secondaryReadOnlyKey: pulumi.Output<string | undefined>;
    /** Cosmos DB and App Configuration: the primary read-only key's connection string (secret). */
    declare readonly primaryReadOnlyConnectionString: pulumi.Output<string | undefined>;
    /** Cosmos DB and App Configuration: the secondary read-only key's connection string (secret). */
    declare readonly secondaryReadOnlyConnectionString: pulumi.Output<string | undefined>;
    /** Event Hubs and Service Bus namespaces paired with a Geo-DR alias: the alias's connection string of the active key (secret). */
    declare readonly activeAliasConnectionString: pulumi.Output<string | undefined>;
    /** Event Hubs and Service Bus with a Geo-DR alias: the alias's primary connection string (secret). */
    declare readonly primaryAliasConnectionString: pulumi.Output<string | undefined>;
    /** Event Hubs and Service Bus with a Geo-DR alias: the alias's secondary connection string (secret). */
    declare readonly secondaryAliasConnectionString: pulumi.Output<string | undefined>;
    /** Logic Apps Standard: trigger name → callback URL signed with the current key (secret). */
    declare readonly callbackUrls: pulumi.Output<Record<string, string> | undefined>;
    /** Logic Apps Consumption: the workflow's callback URL, signed with {@link activeKeyType} (secret). */
    declare readonly callbackUrl: pulumi.Output<string | undefined>;
    /** Container Registry: the admin user's name, for `docker login` with the key. */
    declare readonly username: pulumi.Output<string | undefined>;
    /**
     * The endpoint consumers call, where the service has one that the key goes with (AI Search, Web
     * PubSub, Azure OpenAI, App Configuration, Cosmos DB, Batch, Event Grid, a registry's login server, Redis' host).
     */
    declare readonly endpoint: pulumi.Output<string | undefined>;
    /** Whether new keys are proven before consumers move to them, as given. */
    declare readonly verify: pulumi.Output<boolean | undefined>;
    /** How long verification may take, as given. */
    declare readonly verifyTimeout: pulumi.Output<string | undefined>;
    /** When the active key was last proven to work on the service's data plane (ISO-8601, UTC). */
    declare readonly verifiedAt: pulumi.Output<string | undefined>;
    /**
     * A rotation that did not finish: the key it regenerated (or may have), not yet given to
     * consumers. The next `pulumi up` resumes it from {@link pendingStep}.
     */
    declare readonly pendingKeyType: pulumi.Output<string | undefined>;
    /** Where the next `pulumi up` resumes an unfinished rotation: `regenerate`, `readBack`, `verify` or `store`. */
    declare readonly pendingStep: pulumi.Output<string | undefined>;
    /** The Key Vault delivery, as given. */
    declare readonly keyVault: pulumi.Output<KeyVaultSecretArgs | undefined>;
    /** Whether keys are outputs, as given. */
    declare readonly outputKeys: pulumi.Output<boolean | undefined>;
    /** With {@link KeyRotationArgs.keyVault}: the id of the secret version that holds the active key (`https://{vault}/secrets/{name}/{version}`). */
    declare readonly keyVaultSecretId: pulumi.Output<string | undefined>;
    /**
     * With {@link KeyRotationArgs.keyVault}: the secret's versionless URI (`https://{vault}/secrets/{name}`), which
     * always reads the latest version. Give consumers this one, e.g. `@Microsoft.KeyVault(SecretUri=…)`.
     */
    declare readonly keyVaultSecretUri: pulumi.Output<string | undefined>;
    /** With {@link KeyRotationArgs.keyVault}: the version that holds the active key. */
    declare readonly keyVaultSecretVersion: pulumi.Output<string | undefined>;
    /**
     * One-way digests of the keys this KeyRotation owns, by key type (the first 16 hex digits of a
     * SHA-256 over the resource, key type and key): how a later deployment or `pulumi refresh`
     * tells that a key changed, without the state holding it.
     */
    declare readonly keyDigests: pulumi.Output<Record<string, string> | undefined>;
    /**
     * What the last `pulumi refresh` found changed outside this KeyRotation, e.g. that the active key
     * was regenerated by someone else (consumers then hold a revoked key until the next deployment
     * hands them the current one). Absent when nothing was.
     */
    declare readonly externalChange: pulumi.Output<string | undefined>;

    /**
     * Declares a KeyRotation; the key is rotated when the deployment creates it.
     *
     * @param name The unique name of the resource.
     * @param args The target and how to rotate its key.
     * @param opts Resource options; `additionalSecretOutputs` given here are added to the key outputs.
     */
    constructor(name: string, args: KeyRotationArgs, opts?: pulumi.CustomResourceOptions) {
        // Every argument is passed on, not only the known ones: check refuses one it does not know
        // (a misspelt `keyVualt` from JavaScript or config), instead of it being dropped here.
        const props: pulumi.Inputs = {
            ...(args as unknown as pulumi.Inputs),
            resourceId: args.resourceId,
            keyType: args.keyType,
            trigger: args.trigger,
            apiVersion: args.apiVersion,
            rotateEvery: args.rotateEvery,
            verify: args.verify,
            verifyTimeout: args.verifyTimeout,
            keyVault: args.keyVault,
            outputKeys: args.outputKeys,
        };
        const outputs = [
            "resourceType",
            "rotatedAt",
            "rotatedKeyType",
            "nextRotationAt",
            "rotationReason",
            "activeKeyType",
            "previousKeyType",
            "verifiedAt",
            "pendingKeyType",
            "pendingStep",
            "keyVaultSecretId",
            "keyVaultSecretUri",
            "keyVaultSecretVersion",
            "keyDigests",
            "externalChange",
        ];
        for (const output of outputs) props[output] = undefined;
        for (const secret of SECRET_OUTPUTS) props[secret] = undefined;
        for (const value of PLAIN_VALUE_OUTPUTS) props[value] = undefined;
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
