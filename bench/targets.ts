/**
 * The resources the benchmark rotates: a mix of catalog services, each with a share of the targets.
 * A service joins the mix with one row below (and its Azure SDK call in contenders/azureSdk.ts);
 * everything else (the request plans of B and B', the request table, the emulator's resources)
 * follows from the catalog.
 */
import { findService, type ServiceEntry } from "../src/catalog";

/** A catalog service id (`ServiceEntry.service`) in the benchmark's mix. */
export type BenchService = string;

export interface BenchTarget {
    id: string;
    service: BenchService;
}

const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

/** One service of the mix: its resource id for target `i`. */
interface MixRow {
    service: BenchService;
    id: (rg: string, i: number) => string;
}

const communication: MixRow = { service: "communication", id: (rg, i) => `${rg}/Microsoft.Communication/communicationServices/bench-acs-${i}` };
const apimSubscription: MixRow = {
    service: "apim-subscription",
    id: (rg, i) => `${rg}/Microsoft.ApiManagement/service/bench-apim/subscriptions/bench-sub-${i}`,
};
const signalr: MixRow = { service: "signalr", id: (rg, i) => `${rg}/Microsoft.SignalRService/signalR/bench-signalr-${i}` };
const storage: MixRow = { service: "storage", id: (rg, i) => `${rg}/Microsoft.Storage/storageAccounts/benchst${i}` };
const serviceBus: MixRow = {
    service: "servicebus-namespace",
    id: (rg, i) => `${rg}/Microsoft.ServiceBus/namespaces/bench-sb-${i}/authorizationRules/RootManageSharedAccessKey`,
};

/**
 * The mix, as a cycle: target `i` is `CYCLE[i % CYCLE.length]`. One in ten is a SignalR (a
 * long-running regenerate); Storage accounts and Service Bus rules answer their regenerate with the
 * full key set (one ARM request where a regenerate-then-list script makes two); Communication
 * Services and APIM subscriptions need the read-back.
 */
const CYCLE: readonly MixRow[] = [
    communication,
    apimSubscription,
    storage,
    communication,
    serviceBus,
    apimSubscription,
    communication,
    storage,
    serviceBus,
    signalr,
];

/** The services of the mix, in the order they first appear, each with its catalog entry. */
export const BENCH_SERVICES: ReadonlyArray<{ service: BenchService; entry: ServiceEntry }> = [...new Set(CYCLE)].map((row) => {
    const entry = findService(resourceTypeOf(row.id("/subscriptions/s/resourceGroups/g/providers", 0)));
    if (!entry || entry.service !== row.service) throw new Error(`the bench mix names ${row.service}, which the catalog does not have`);
    return { service: row.service, entry };
});

/** The ARM type of a resource id (`Microsoft.ApiManagement/service/subscriptions`). */
function resourceTypeOf(id: string): string {
    const segments = id.split("/providers/")[1].split("/");
    return [segments[0], ...segments.slice(1).filter((_, k) => k % 2 === 0)].join("/");
}

/**
 * `n` distinct targets in the mix. The same `i` always gives the same id, so smaller runs rotate a
 * prefix of the larger pool.
 */
export function benchTargets(n: number, resourceGroup = "bench-rg"): BenchTarget[] {
    const rg = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${resourceGroup}/providers`;
    return Array.from({ length: n }, (_, i): BenchTarget => {
        const row = CYCLE[i % CYCLE.length];
        return { service: row.service, id: row.id(rg, i) };
    });
}

/** How many targets of each service of the mix. */
export function countBy(targets: readonly BenchTarget[]): Record<BenchService, number> {
    const counts: Record<BenchService, number> = Object.fromEntries(BENCH_SERVICES.map((s) => [s.service, 0]));
    for (const t of targets) counts[t.service]++;
    return counts;
}

/** ARM provider namespace → bench service: status polls name only the namespace, so each service of the mix needs its own. */
const BY_NAMESPACE = new Map(BENCH_SERVICES.map((s) => [s.entry.resourceType.split("/")[0].toLowerCase(), s.service]));
if (BY_NAMESPACE.size !== BENCH_SERVICES.length)
    throw new Error("two services of the bench mix share an ARM namespace; their requests could not be told apart");

/** Which bench service an ARM request path belongs to (status polls under the namespace included). */
export function serviceOfPath(path: string): BenchService | undefined {
    const m = /\/providers\/([^/]+)\//i.exec(path);
    return m ? BY_NAMESPACE.get(m[1].toLowerCase()) : undefined;
}

/** Runs `work` over `items` with at most `concurrency` in flight. */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            await work(items[i], i);
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
