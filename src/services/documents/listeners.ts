// A set of listeners of one kind: `add` returns the unsubscribe function; `emit` calls each in turn.
// With `onError`, a listener that throws is reported and the others still run; without, it throws.

export class Listeners<Args extends unknown[]> {
  private readonly set = new Set<(...args: Args) => void>();
  private readonly onError: ((err: unknown, args: Args) => void) | undefined;

  constructor(onError?: (err: unknown, args: Args) => void) {
    this.onError = onError;
  }

  get size(): number {
    return this.set.size;
  }

  add(listener: (...args: Args) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(...args: Args): void {
    for (const listener of this.set) {
      if (!this.onError) {
        listener(...args);
        continue;
      }
      try {
        listener(...args);
      } catch (err) {
        this.onError(err, args);
      }
    }
  }
}
