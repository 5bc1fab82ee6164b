// Holds reads and writes of a document on this node while a change is integrated over several
// event-loop turns (DocumentService.applyInParts), so that no one sees it half-applied. Other nodes
// receive the change only once it is whole, as one update.
//
// Callers wait with `while (gate.held(name)) await gate.released(name);` and then act without an
// await in between: a wait that resolves gives way to whatever else was waiting, which may hold the
// gate again, so only a synchronous check says it is open.

/** Per-document gates. */
export class WriteGate {
  private readonly holds = new Map<string, Promise<void>>();

  /** Whether a change is being integrated into `name` now. */
  held(name: string): boolean {
    return this.holds.has(name);
  }

  /** Resolves when the current hold of `name` (if any) is released. */
  released(name: string): Promise<void> {
    return this.holds.get(name) ?? Promise.resolve();
  }

  /** Closes the gate of `name`, which must be open (checked with `held` just before); returns the release. */
  hold(name: string): () => void {
    if (this.holds.has(name)) throw new Error(`the write gate of ${name} is already held`);
    let release!: () => void;
    this.holds.set(
      name,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    return () => {
      this.holds.delete(name);
      release();
    };
  }
}
