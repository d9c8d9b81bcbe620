/**
 * The shape of a catalog entry: everything the provider and the emulator need to know about one
 * target service, as data. Adding a service is one entry (see CONTRIBUTING.md, "Adding a service").
 */

/** What one output of a key type holds: its key, its connection string, its Geo-DR alias connection string. */
export const KEY_ROLES = ["Key", "ConnectionString", "AliasConnectionString"] as const;
/** See {@link KEY_ROLES}. */
export type KeyRole = (typeof KEY_ROLES)[number];

/** Outputs that hold a secret. Every one of them is listed in `additionalSecretOutputs`. */
export const SECRET_OUTPUTS = [
    "primaryKey",
    "secondaryKey",
    "primaryReadOnlyKey",
    "secondaryReadOnlyKey",
    "activeKey",
    "primaryConnectionString",
    "secondaryConnectionString",
    "primaryReadOnlyConnectionString",
    "secondaryReadOnlyConnectionString",
    "activeConnectionString",
    // Event Hubs and Service Bus namespaces with a Geo-DR alias.
    "primaryAliasConnectionString",
    "secondaryAliasConnectionString",
    "activeAliasConnectionString",
    "callbackUrls",
    "callbackUrl",
] as const;

/** The name of a secret output of {@link KeyRotation}: a key, connection string or callback URLs. */
export type SecretOutputName = (typeof SECRET_OUTPUTS)[number];

/** Outputs read from a service that are not secrets: what a consumer needs besides the key. */
export const PLAIN_VALUE_OUTPUTS = ["username", "endpoint"] as const;
/** See {@link PLAIN_VALUE_OUTPUTS}. */
export type PlainValueOutputName = (typeof PLAIN_VALUE_OUTPUTS)[number];

/** Any value a service's key set can hold. */
export type KeySetOutputName = SecretOutputName | PlainValueOutputName;

/**
 * A rule for one `{name}` segment of a resource id template, from ARM's naming rules for the
 * resource. The `rule` text is what a failing check says.
 */
export interface NameRule {
    /** Allowed values, compared case-insensitively; the canonical spelling is used in requests. */
    readonly oneOf?: readonly string[];
    readonly pattern?: RegExp;
    readonly minLength?: number;
    readonly maxLength?: number;
    /** The rule in words, e.g. "3 to 24 lower-case letters and digits". */
    readonly rule: string;
}

/** One key a service can regenerate. */
export interface KeyTypeSpec {
    /**
     * The name users write and outputs report, the same for every service: `Primary`, `Secondary`,
     * `PrimaryReadOnly`, `SecondaryReadOnly`, or a service's own extra (`Salt`, `Kerb1`, ...).
     */
    readonly name: string;
    /** What ARM takes for it, in the body or the path (`key1`, `PrimaryKey`, `primaryReadonly`); defaults to `name`. */
    readonly wire?: string;
    /** The service's other spellings, accepted in `keyType` (compared ignoring case, spaces, `-` and `_`). */
    readonly aliases?: readonly string[];
    /**
     * Whether applications hold this key, so it has outputs (`primaryKey`, ...) and can be active.
     * False for SignalR's `Salt`, Storage's Kerberos keys, Logic Apps' `NotSpecified`.
     */
    readonly consumer: boolean;
}

/**
 * Where a value sits in an ARM answer: dot-separated property names, where `name[field=value]`
 * picks the array element whose `field` equals `value` (case-insensitively), e.g.
 * `keys[keyName=key1].value` or `value[name=Primary Read Only].connectionString`.
 */
export type Selector = string;

/** How the current keys are read (listKeys, listSecrets, listCredentials, ...). */
export interface ListKeysRead {
    readonly kind: "listKeys";
    readonly operation: string;
    readonly method: "POST";
    /** Appended to the operations path, e.g. `/listKeys`. */
    readonly path: string;
    /** The answer is a page of `value[]` with a `nextLink` (App Configuration). */
    readonly paged?: boolean;
    /** Output → where the answer has it. Every one is required, of its kind (a key, a connection string holding that key, a value). */
    readonly fields: Readonly<Partial<Record<KeySetOutputName, Selector>>>;
    /** Outputs the answer has only sometimes (Geo-DR alias connection strings exist only with an alias). */
    readonly optionalFields?: Readonly<Partial<Record<KeySetOutputName, Selector>>>;
    /** Key type name → where its id is, for services that regenerate a key by id (App Configuration). */
    readonly keyIds?: Readonly<Record<string, Selector>>;
    /**
     * What an answer without any of the keys means for this service, added to the error (App
     * Configuration lists no keys at all once access keys are disabled).
     */
    readonly emptyMeans?: string;
}

/**
 * Logic Apps: the access key is never returned; it shows up as the `sig` of each request trigger's
 * callback URL. List the triggers (paged), then ask each for its callback URL.
 */
export interface CallbackUrlsRead {
    readonly kind: "callbackUrls";
    readonly listOperation: string;
    readonly callbackOperation: string;
}

/**
 * Logic Apps Consumption: the workflow's callback URL, asked for with the key that must sign it
 * (`{ keyType }` in the body), so consumers can be moved from one access key to the other.
 */
export interface WorkflowCallbackUrlRead {
    readonly kind: "workflowCallbackUrl";
    readonly operation: string;
    /** Appended to the operations path, e.g. `/listCallbackUrl`. */
    readonly path: string;
}

/** How the keys are read back after a regenerate and on refresh. */
export type ReadKeysSpec = ListKeysRead | CallbackUrlsRead | WorkflowCallbackUrlRead;

/**
 * What a successful regenerate answers: the body of its 200, or of the 202 that starts a
 * long-running one (read only once the operation has succeeded).
 */
export type RegenerateAnswer =
    /** The complete current key set, in the read-back's shape: used instead of a read-back when it validates. */
    | "keySet"
    /**
     * Only the regenerated key, in the read-back's shape (or, with `answerItem`, as one element of
     * the read-back's array): merged with a read made earlier in the same rotation, if any.
     */
    | "regeneratedKey"
    /** Nothing usable: the keys are read back. */
    | "nothing";

/** The regenerate operation. */
export interface RegenerateSpec {
    /** ARM operation id, or one per key type name where the key type is in the path. */
    readonly operation: string | Readonly<Record<string, string>>;
    /** Appended to the operations path; `{keyType}` stands for the key type's wire name (AI Search). */
    readonly path: string | Readonly<Record<string, string>>;
    /**
     * The body `{ <field>: <value> }`: the key type's wire name, or its id from a read made first
     * (`keyId`). Absent: no body.
     */
    readonly body?: { readonly field: string; readonly value: "wire" | "keyId" };
    readonly successStatus: readonly number[];
    /** A 201/202 answer is followed through Azure-AsyncOperation / Location until it ends. */
    readonly longRunning: boolean;
    readonly answer: RegenerateAnswer;
    /** With `regeneratedKey`: the array of the read-back that the answer is one element of (`value`). */
    readonly answerItem?: string;
}

/**
 * The cloud-specific host name suffixes a connection string or endpoint is built with, by the
 * name used in templates as `{cloud:<name>}`.
 */
export type CloudSuffixName =
    | "storage"
    | "serviceBus"
    | "redis"
    | "cosmos"
    | "search"
    | "signalr"
    | "webPubSub"
    | "appConfiguration"
    | "containerRegistry"
    | "apiManagement"
    | "maps";

/**
 * A template over the resource id's names (`{accountName}`), the key (`{key}`), the endpoint
 * (`{endpoint}`, for connection strings) and cloud suffixes (`{cloud:storage}`).
 */
export type Template = string;

/** The data-plane authentication schemes a probe can use; each has one small signer (src/probe/signers.ts). */
export type ProbeScheme =
    | "jwt"
    | "acsHmac"
    | "appConfigHmac"
    | "apimSas"
    | "storageSharedKey"
    | "batchSharedKey"
    | "sbSas"
    | "cosmosMaster"
    | "apiKey"
    | "basic"
    | "redisAuth";

/** One read-only request a probe sends. */
export interface ProbeRequest {
    readonly method: "GET" | "HEAD" | "POST";
    /**
     * A template over the names, the cloud's suffixes and the key set's values: `{endpoint}` (no
     * trailing slash), `{username}`, and `{cs:Name}` for a part of the active connection string.
     * `rediss://host:port` for Redis.
     */
    readonly url: Template;
    /** Statuses that prove the key works. */
    readonly accepts: readonly number[];
    /**
     * Refusals that still prove the key: the service checked the signature, then refused for lack of
     * rights (a Service Bus rule without Manage: 401 "claim(s) are required").
     */
    readonly acceptsRefusal?: { readonly status: number; readonly body: RegExp };
}

/**
 * How to prove a key works before consumers move to it: one cheap, read-only data-plane request
 * with the service's own authentication (the next one is tried when one answers 404).
 */
export interface ProbeSpec {
    readonly scheme: ProbeScheme;
    readonly requests: readonly ProbeRequest[];
    /** The scheme's parameters, as templates like the URL: `account`, `rule`, `resource`, `uid`, `id`, `header`, `username`, `audience`. */
    readonly params?: Readonly<Record<string, Template>>;
    /** What one probe costs, for the README: absent when free. */
    readonly cost?: string;
    /** Verification is off unless asked for, and why (APIM tenant access: Azure retired the API that takes the key). */
    readonly offByDefault?: string;
    /**
     * How the data plane answers a valid key when shared keys are turned off on the resource
     * (Storage: 403 `KeyBasedAuthenticationNotPermitted`): such an answer ends verification at once,
     * naming the setting, since waiting cannot change it.
     */
    readonly sharedKeysOff?: RegExp;
}

/**
 * How a resource says that its shared keys are turned off (a policy often does it): then no key
 * works on its data plane, so a new one can never be proven, and consumers could not use it.
 */
export interface SharedKeysSetting {
    /** Where the GET answer has the setting. */
    readonly selector: Selector;
    /**
     * The value that means off (`false` for `allowSharedKeyAccess`, `true` for `disableLocalAuth`,
     * `"Disabled"`), or, for a list of allowed modes, the mode it lacks (`SharedKey`). Absent means on.
     */
    readonly off: { readonly equals: boolean | string } | { readonly lacks: string };
    /** The setting as users write it, for messages: `allowSharedKeyAccess: false`. */
    readonly setting: string;
    /** What turns shared keys back on, in words: `set allowSharedKeyAccess to true`. */
    readonly enable: string;
}

/** Storage's endpoints, one per service, as the account's GET lists them (`properties.primaryEndpoints`). */
export interface EndpointsRead {
    readonly selector: Selector;
    /** The name a connection string gives each endpoint, by its name in the answer: `blob` → `BlobEndpoint`. */
    readonly connectionStringNames: Readonly<Record<string, string>>;
    /**
     * Where an endpoint is on the standard host names (`https://{accountName}.{service}.{cloud:storage}/`):
     * endpoints elsewhere (Azure DNS zone endpoints, `{account}.z12.blob.storage.azure.net`) are
     * written into connection strings, so the SDKs reach the account's real hosts.
     */
    readonly standard: Template;
}

/** One GET of the target (or of a resource it belongs to) and what the provider takes from its answer. */
export interface ResourceRead {
    /** The resource to GET, as an id template (a rule's namespace, a database's cluster); the target by default. */
    readonly resource?: string;
    /** The operation, for errors: `StorageAccounts_GetProperties`. */
    readonly operation: string;
    /** An api-version for this GET, where the setting needs a newer one than the key operations (Communication Services). */
    readonly apiVersion?: string;
    /** The endpoint consumers call (`properties.endpoint`, a host name or a URL). */
    readonly endpoint?: Selector;
    readonly endpoints?: EndpointsRead;
    readonly sharedKeys?: SharedKeysSetting;
}

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
    /** ARM's naming rule for each `{name}` of the id template. */
    readonly nameRules: Readonly<Record<string, NameRule>>;
    /**
     * Where the key operations live, when not under the resource id itself
     * (Logic Apps Standard's host-runtime path). Defaults to `idTemplate`.
     */
    readonly operationsTemplate?: string;
    readonly defaultApiVersion: string;
    readonly keyTypes: readonly KeyTypeSpec[];
    /**
     * Users can set the keys themselves (API Management's subscriptions, a SAS rule's `key` on
     * regenerate), so a key this KeyRotation did not just regenerate may be short: 13 characters are
     * seen in Azure's own tests. The key just regenerated is still checked as one the service made.
     */
    readonly userSetKeys?: true;
    readonly regenerate: RegenerateSpec;
    readonly readKeys: ReadKeysSpec;
    /**
     * `keyType: "Alternate"` (and `AlternateReadOnly` where there is a read-only pair): the two key
     * types each alternates between, the first one assumed in use before the first rotation (so the
     * first rotation regenerates the second). Or, where the service cannot alternate, why not:
     * check refuses Alternate with this reason.
     */
    readonly alternate: { readonly pairs: Readonly<Record<string, readonly [string, string]>> } | { readonly refused: string };
    /**
     * Connection strings the service does not return but its SDKs take, built from the key:
     * e.g. Storage's `DefaultEndpointsProtocol=https;AccountName={accountName};AccountKey={key};EndpointSuffix={cloud:storage}`.
     */
    readonly connectionString?: Template;
    /**
     * The service endpoint consumers call, where the names give it (a template). Where it depends on
     * the region or a custom domain, {@link reads} takes it from the resource's own GET instead.
     */
    readonly endpoint?: Template;
    /**
     * What the resource's own GET tells (its endpoint, Storage's endpoints, whether shared keys are
     * turned off): read once, before the first regenerate, kept in the state, read again on refresh.
     * One entry per resource read (the target, or a parent that holds the setting).
     */
    readonly reads?: readonly ResourceRead[];
    /**
     * How a new key is proven to work before consumers move to it (`verify`), or why it cannot be:
     * the service has no read-only data-plane call its keys authenticate (a request that runs a
     * workflow or publishes an event is not a probe). Check refuses `verify: true` with the reason.
     */
    readonly verify: ProbeSpec | { readonly refused: string };
}
