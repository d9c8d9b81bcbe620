/** The resources the benchmark rotates: distinct Communication Services and APIM subscriptions, plus a SignalR share. */

export type BenchService = "communication" | "apim-subscription" | "signalr";

export interface BenchTarget {
    id: string;
    service: BenchService;
}

const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

/**
 * `n` distinct targets: one in ten is a SignalR (long-running regenerate), the rest alternate
 * between Communication Services and APIM subscriptions. The same `i` always gives the same id,
 * so smaller runs rotate a prefix of the larger pool.
 */
export function benchTargets(n: number, resourceGroup = "bench-rg"): BenchTarget[] {
    const rg = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${resourceGroup}/providers`;
    return Array.from({ length: n }, (_, i): BenchTarget => {
        if (i % 10 === 9) return { service: "signalr", id: `${rg}/Microsoft.SignalRService/signalR/bench-signalr-${i}` };
        if (i % 2 === 0) return { service: "communication", id: `${rg}/Microsoft.Communication/communicationServices/bench-acs-${i}` };
        return { service: "apim-subscription", id: `${rg}/Microsoft.ApiManagement/service/bench-apim/subscriptions/bench-sub-${i}` };
    });
}

/** Which bench service an ARM request path belongs to (status polls included). */
export function serviceOfPath(path: string): BenchService | undefined {
    const p = path.toLowerCase();
    if (p.includes("/microsoft.signalrservice/")) return "signalr";
    if (p.includes("/microsoft.communication/")) return "communication";
    if (p.includes("/microsoft.apimanagement/")) return "apim-subscription";
    return undefined;
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
