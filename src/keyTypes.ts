/**
 * The key types and intervals a program can write, as types: editors complete them and tsc refuses
 * a typo (`"Alternat"`, `"1 month"`). The provider still checks every value at preview, since values
 * also arrive from stack config or other resources' outputs.
 */

/**
 * Every `keyType` the catalog accepts for some service: `Alternate` pairs, key type names, and the
 * services' own spellings. Which of them a given resource takes is checked at preview. A test keeps
 * this list equal to the catalog's.
 */
export const KEY_TYPE_NAMES = [
    // Our vocabulary, the same for every service.
    "Alternate",
    "AlternateReadOnly",
    "Primary",
    "Secondary",
    "PrimaryReadOnly",
    "SecondaryReadOnly",
    // Service extras: SignalR and Web PubSub's token salt, Storage's Kerberos keys, Logic Apps' default.
    "Salt",
    "Kerb1",
    "Kerb2",
    "NotSpecified",
    // The services' own spellings.
    "key1",
    "key2",
    "kerb1",
    "kerb2",
    "Key1",
    "Key2",
    "PrimaryKey",
    "SecondaryKey",
    "primary",
    "secondary",
    "primaryReadonly",
    "secondaryReadonly",
    "PrimaryMasterKey",
    "SecondaryMasterKey",
    "PrimaryReadonlyMasterKey",
    "SecondaryReadonlyMasterKey",
    "Primary Read Only",
    "Secondary Read Only",
    "password",
    "password2",
] as const;

/**
 * A key type a {@link KeyRotationArgs.keyType} can name, e.g. `"Alternate"`, `"Primary"`,
 * `"Secondary"`, `"AlternateReadOnly"` (Cosmos DB, App Configuration), SignalR's `"Salt"`, Logic
 * Apps' `"NotSpecified"`, or a service's own name for a key (`"key1"`, `"PrimaryKey"`, `"password2"`). Which ones a resource takes
 * depends on its service (see the README's table); the provider checks it at preview, ignoring case.
 * A value read at run time (stack config) is a `string`: write `config.require("keyType") as KeyTypeName`.
 */
export type KeyTypeName = (typeof KEY_TYPE_NAMES)[number];

/**
 * A rotation interval: a whole number of hours or days, `"12h"` or `"30d"`, from 1h to 3650d
 * (checked at preview). A value read at run time: `config.require("rotateEvery") as RotationInterval`.
 */
export type RotationInterval = `${number}h` | `${number}d`;
