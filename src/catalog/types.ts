/** Outputs that hold a secret. Every one of them is listed in `additionalSecretOutputs`. */
export const SECRET_OUTPUTS = [
    "primaryKey",
    "secondaryKey",
    "primaryConnectionString",
    "secondaryConnectionString",
    "callbackUrls",
    "activeKey",
    "activeConnectionString",
] as const;

/** The name of a secret output of {@link KeyRotation}: a key, connection string or callback URLs. */
export type SecretOutputName = (typeof SECRET_OUTPUTS)[number];

/** A rule for one `{name}` segment of a resource id template. */
export interface NameRule {
    /** Allowed values, compared case-insensitively; the canonical spelling is used in requests. */
    readonly oneOf?: readonly string[];
    readonly pattern?: RegExp;
    readonly maxLength?: number;
}

/** How the keys are read back after a regenerate (and on refresh). */
export type ReadKeysSpec =
    | {
          /** A POST that returns the key set, e.g. `listKeys` or `listSecrets`. */
          readonly kind: "post";
          readonly operation: string;
          readonly pathSuffix: string;
          /** ARM response field → output name. */
          readonly fields: Readonly<Partial<Record<string, SecretOutputName>>>;
      }
    | {
          /**
           * Logic Apps Standard: the access key is never returned; it shows up as the `sig` of each
           * trigger's callback URL. List the triggers (paged), then POST listCallbackUrl for each.
           */
          readonly kind: "workflowTriggerCallbackUrls";
          readonly listOperation: string;
          readonly callbackOperation: string;
      };

/**
 * One supported target service. Adding a service is one of these, an emulator handler and tests.
 *
 * Templates use `{name}` placeholders and are relative to
 * `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/`.
 */
export interface ServiceEntry {
    /** Stable short id, used in logs, the emulator and tests. */
    readonly service: string;
    readonly title: string;
    /** The ARM resource type, e.g. `Microsoft.SignalRService/signalR`. */
    readonly resourceType: string;
    /** The resource id after `providers/`, e.g. `Microsoft.SignalRService/signalR/{resourceName}`. */
    readonly idTemplate: string;
    readonly nameRules?: Readonly<Record<string, NameRule>>;
    /**
     * Where the key operations live, when not under the resource id itself
     * (Logic Apps Standard's host-runtime path). Defaults to `idTemplate`.
     */
    readonly operationsTemplate?: string;
    readonly defaultApiVersion: string;
    /** Key types in their canonical spelling. Input is matched case-insensitively. */
    readonly keyTypes: readonly string[];
    readonly regenerate: {
        /** ARM operation id, per key type where the key type is in the path. */
        readonly operation: string | Readonly<Record<string, string>>;
        readonly pathSuffix: string | Readonly<Record<string, string>>;
        /** `keyType`: the body is `{ "keyType": "<type>" }`; `none`: no body. */
        readonly body: "keyType" | "none";
        readonly successStatus: readonly number[];
        /** A 201/202 answer is followed through Azure-AsyncOperation / Location until it ends. */
        readonly longRunning: boolean;
    };
    readonly readKeys: ReadKeysSpec;
    /**
     * `keyType: "Alternate"`: the two key types it alternates between, the first one the key that is
     * assumed in use before the first rotation (so the first rotation regenerates the second). Or,
     * where the service cannot alternate, why not: check refuses Alternate with this reason.
     */
    readonly alternate: { readonly between: readonly [string, string] } | { readonly refused: string };
    /** The secret outputs this service fills. */
    readonly outputs: readonly SecretOutputName[];
}
