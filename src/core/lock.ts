/**
 * Runs tasks one at a time per key. Azure refuses to regenerate a resource's primary and secondary
 * keys at the same time, so every rotation of one target goes through here.
 */
export class KeyedMutex {
    private readonly tails = new Map<string, Promise<unknown>>();

    async run<T>(key: string, task: () => Promise<T>): Promise<T> {
        const previous = this.tails.get(key) ?? Promise.resolve();
        const result = previous.then(task, task);
        const tail = result.catch(() => undefined);
        this.tails.set(key, tail);
        try {
            return await result;
        } finally {
            // Forget the key once nothing queued after us, so the map does not grow with every target.
            if (this.tails.get(key) === tail) this.tails.delete(key);
        }
    }
}
