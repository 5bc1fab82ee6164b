// Work a shutdown waits for: client events whose acks are owed and y-websocket updates being
// stored. Closing the transports before these settle would leave a client with an edit it cannot
// know the fate of; waiting on them, bounded, lets every ack out first — for a short grace period
// at least, since what clients sent just before may still be on its way in (what arrives while
// draining is answered at once with `service_unavailable`). A counter, not a set of promises: this
// is on the path of every event.

/** Work in progress, awaited (with a deadline) when the node shuts down. */
export class Inflight {
  private running = 0;
  private idle: (() => void) | null = null;

  /** Counts `work` until it settles; returns it. */
  track<T>(work: Promise<T>): Promise<T> {
    this.begin();
    void work.finally(() => this.end()).catch(() => undefined);
    return work;
  }

  /** One piece of work started; call `end` when it is done. */
  begin(): void {
    this.running++;
  }

  end(): void {
    this.running--;
    if (this.running === 0 && this.idle) this.idle();
  }

  get size(): number {
    return this.running;
  }

  /**
   * Resolves (true) once `graceMs` have passed and nothing is in progress, or (false) after
   * `timeoutMs`.
   */
  async settle(timeoutMs: number, graceMs = 200): Promise<boolean> {
    const grace = Math.min(graceMs, timeoutMs);
    const started = performance.now();
    for (;;) {
      const elapsed = performance.now() - started;
      if (this.running === 0 && elapsed >= grace) return true;
      if (elapsed >= timeoutMs) return false;
      const wait = (this.running === 0 ? grace : timeoutMs) - elapsed;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((ok) => (this.idle = ok)),
        new Promise<void>((ok) => (timer = setTimeout(ok, Math.max(1, wait)))),
      ]);
      clearTimeout(timer);
      this.idle = null;
    }
  }
}
