// A Cosmos DB account: rotate its read-write keys and its read-only keys, each pair on its own.
//
// Cosmos DB has two key pairs, so two KeyRotations: `Alternate` moves the writers between the
// primary and secondary keys, `AlternateReadOnly` moves the readers between the read-only ones.
// Each regenerates only the key of its pair that nobody uses. Regenerating a Cosmos DB key is a
// long-running operation; KeyRotation follows it and reads the keys back. The connection strings
// are the NoSQL API's (`AccountEndpoint=…;AccountKey=…;`).
//
//   pulumi up                                         # creates the account, rotates both secondaries
//   pulumi config set rotation 2027-01 && pulumi up   # rotates both primaries
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { KeyRotation } from "pulumi-azure-key-rotation";
import { keyVault, rotatedSecret } from "../shared/keyVault";

const config = new pulumi.Config();
const group = new azure.resources.ResourceGroup("catalog");
const location = config.get("cosmosLocation") ?? "westeurope";

const account = new azure.cosmosdb.DatabaseAccount("catalog", {
    resourceGroupName: group.name,
    databaseAccountOfferType: azure.cosmosdb.DatabaseAccountOfferType.Standard,
    locations: [{ locationName: location, failoverPriority: 0 }],
    consistencyPolicy: { defaultConsistencyLevel: azure.cosmosdb.DefaultConsistencyLevel.Session },
    // Keys work only while local (key) authentication is allowed.
    disableLocalAuth: false,
});

const trigger = config.get("rotation") ?? "2026-11";
const writers = new KeyRotation("catalog-keys", { resourceId: account.id, trigger });
const readers = new KeyRotation("catalog-read-only-keys", { resourceId: account.id, keyType: "AlternateReadOnly", trigger });

const vault = keyVault("catalog", group.name);
const writerSecret = rotatedSecret("cosmos-connection-string", {
    vault,
    resourceGroupName: group.name,
    value: writers.activeConnectionString,
    keyType: writers.activeKeyType,
    rotatedAt: writers.rotatedAt,
});
const readerSecret = rotatedSecret("cosmos-read-only-connection-string", {
    vault,
    resourceGroupName: group.name,
    value: readers.activeConnectionString,
    keyType: readers.activeKeyType,
    rotatedAt: readers.rotatedAt,
});

export const endpoint = writers.endpoint;
export const secretUri = writerSecret.properties.secretUriWithVersion;
export const readOnlySecretUri = readerSecret.properties.secretUriWithVersion;
export const connectionString = writers.activeConnectionString; // secrets: `pulumi stack output --show-secrets`
export const readOnlyConnectionString = readers.activeConnectionString;
