// Holds reads and writes of a document on this node while a change is integrated over several
// event-loop turns (DocumentService.applyInParts), so that no one sees it half-applied. Other nodes
// receive the change only once it is whole, as one update.

/** Per-document gates: `hold` closes one until its release; `pass` waits for it to open. */
export class WriteGate {
  private readonly held = new Map<string, Promise<void>>();

  /** Resolves once no change is being integrated into `name` (at once, with no tick, when none is). */
  pass(name: string): Promise<void> | undefined {
    if (!this.held.has(name)) return undefined;
    return (async () => {
      for (let gate = this.held.get(name); gate; gate = this.held.get(name)) await gate;
    })();
  }

  /** Closes the gate of `name` (which must be open: `await pass(name)` first, with no await between); returns the release. */
  hold(name: string): () => void {
    let release!: () => void;
    this.held.set(
      name,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    return () => {
      this.held.delete(name);
      release();
    };
  }
}
