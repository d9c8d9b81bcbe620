import { randomBytes } from "node:crypto";

/** A trigger of an emulated Logic Apps Standard workflow. */
export interface EmulatedTrigger {
    name: string;
    /** Only request triggers have callback URLs. */
    kind: "Request" | "Recurrence";
}

/** One emulated Azure resource with keys. */
export interface EmulatedResource {
    /** The resource id as created (lookups are case-insensitive). */
    id: string;
    /** The catalog service id, e.g. "signalr". */
    service: string;
    /** Key type (canonical spelling) → current key. */
    keys: Record<string, string>;
    triggers?: EmulatedTrigger[];
    /** A regenerate is running: another one on this resource gets 409. */
    busy: boolean;
    /** How many times each key was regenerated. */
    generations: Record<string, number>;
}

/** Where the emulator keeps resources. In memory here; behind an interface so it can be swapped. */
export interface ResourceStore {
    get(id: string): EmulatedResource | undefined;
    put(resource: EmulatedResource): void;
    delete(id: string): boolean;
    list(): EmulatedResource[];
}

export class InMemoryStore implements ResourceStore {
    private readonly resources = new Map<string, EmulatedResource>();
    get(id: string) {
        return this.resources.get(normalise(id));
    }
    put(resource: EmulatedResource) {
        this.resources.set(normalise(resource.id), resource);
    }
    delete(id: string) {
        return this.resources.delete(normalise(id));
    }
    list() {
        return [...this.resources.values()];
    }
}

function normalise(id: string): string {
    return id.replace(/\/+$/, "").toLowerCase();
}

/** Key material in the service's usual format. */
export function newKey(format: "base64" | "hex"): string {
    return format === "hex" ? randomBytes(16).toString("hex") : randomBytes(32).toString("base64");
}
