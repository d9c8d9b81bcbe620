/**
 * Which KeyRotation holds which keys of a resource, in this provider process. Pulumi runs one
 * dynamic-provider process per deployment and sends it every KeyRotation of the program: two that
 * regenerate the same key pair would each revoke the key the other handed to consumers, so the
 * second one to claim a key is refused before it regenerates anything.
 */

import { pairOf } from "../catalog/lookup";
import type { TargetResource } from "./resourceId";

/** One KeyRotation's hold on a resource's keys. */
export interface Claim {
    /** The KeyRotation's id (its Pulumi resource id). */
    id: string;
    /** The key types it regenerates or hands out (both keys of an Alternate pair). */
    keyTypes: readonly string[];
    /** Its keyType as given, for messages. */
    keyType: string;
}

/** One KeyRotation's hold on a Key Vault secret it writes. */
export interface SecretClaim {
    id: string;
    /** Its target, for messages. */
    resourceId: string;
}

/** The claims of one process, by target (a lower-cased ARM id), and on Key Vault secrets. */
export class Claims {
    private readonly byTarget = new Map<string, Claim[]>();
    private readonly bySecret = new Map<string, SecretClaim>();

    /**
     * Records that `claim` holds its keys of `target`, and returns a claim by another KeyRotation on
     * any of the same keys, if there is one (the claim is then not recorded). Claiming again with the
     * same id replaces the earlier claim.
     */
    claim(target: string, claim: Claim): Claim | undefined {
        const held = (this.byTarget.get(target) ?? []).filter((c) => c.id !== claim.id);
        const conflict = held.find((c) => c.keyTypes.some((k) => claim.keyTypes.includes(k)));
        if (conflict) return conflict;
        this.byTarget.set(target, [...held, claim]);
        return undefined;
    }

    /**
     * Records that `claim` writes the secret `secretUri` (`https://{vault}/secrets/{name}`, compared
     * ignoring case, as Key Vault names are), and returns the claim of another KeyRotation on it, if
     * any (then nothing is recorded). A KeyRotation writes one secret: its claim on another is let go.
     */
    claimSecret(secretUri: string, claim: SecretClaim): SecretClaim | undefined {
        const key = secretUri.toLowerCase();
        const held = this.bySecret.get(key);
        if (held && held.id !== claim.id) return held;
        for (const [uri, c] of this.bySecret) if (c.id === claim.id) this.bySecret.delete(uri);
        this.bySecret.set(key, claim);
        return undefined;
    }

    /** Forgets every claim (tests). */
    clear(): void {
        this.byTarget.clear();
        this.bySecret.clear();
    }
}

/** The claims of this process: one provider process serves one deployment. */
export const claims = new Claims();

/**
 * The key types a KeyRotation of `keyType` holds in this deployment: the pair it alternates, or its
 * one key; and, while a new keyType moves its consumers off it, the key they hold (`held`, the last
 * deployment's activeKeyType), which another KeyRotation must not regenerate before they have moved.
 */
export function claimedKeyTypes(target: TargetResource, keyType: string, held?: unknown): string[] {
    const keyTypes = [...(pairOf(target.entry, keyType) ?? [keyType])];
    if (typeof held === "string" && held !== "" && !keyTypes.includes(held)) keyTypes.push(held);
    return keyTypes;
}

/** The message for two KeyRotations of one deployment on the same keys. */
export function conflictMessage(target: TargetResource, mine: Claim, other: Claim): string {
    const shared = mine.keyTypes.filter((k) => other.keyTypes.includes(k));
    const leaving = (c: Claim) => shared.some((k) => !(pairOf(target.entry, c.keyType) ?? [c.keyType]).includes(k));
    const moving = [other, mine].find(leaving);
    return (
        `another KeyRotation in this deployment (keyType ${other.keyType}, id ${other.id}) manages the ${shared.join(" and ")} ` +
        `${shared.length === 1 ? "key" : "keys"} of ${target.resourceId}: each would regenerate the key the other hands to consumers. ` +
        `${moving ? `(The KeyRotation${moving === mine ? "" : ` ${moving.id}`} moving to keyType ${moving.keyType} still hands its consumers that key until this deployment moves them: change its keyType in one deployment, and add or change the other in the next.) ` : ""}` +
        "Nothing was regenerated. Keep one KeyRotation per key pair (Primary and Secondary KeyRotations on one resource are fine), and give consumers its outputs."
    );
}

/** The message for two KeyRotations of one deployment writing the same Key Vault secret. */
export function secretConflictMessage(secretUri: string, other: SecretClaim): string {
    return (
        `another KeyRotation in this deployment (id ${other.id}, resource ${other.resourceId}) writes the Key Vault secret ${secretUri}: ` +
        "each would overwrite the key the other delivers, and consumers would read either. Nothing was regenerated. " +
        "Give each KeyRotation its own keyVault.secretName."
    );
}
