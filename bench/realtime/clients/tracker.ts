// Delivery and latency accounting shared by all clients of a run (they share one clock: one
// process). Every edit inserts EDIT_LENGTH characters and nothing else, so edit k of a Yjs client
// owns clocks [k*EDIT_LENGTH, (k+1)*EDIT_LENGTH): a received update is matched to the edits it
// carries by decoding its structs, which also works when a server merges several edits into one
// message (Hocuspocus) or echoes them to their sender.
import * as Y from 'yjs';

export const EDIT_LENGTH = 8;

export class DeliveryTracker {
  private readonly sendTimes = new Map<number, Float64Array>();
  /** Which server node each client is connected to (scale-out runs). */
  private readonly nodeOf = new Map<number, number>();
  private latencies: Float64Array;
  latencyCount = 0;
  /** Latencies of deliveries whose sender and receiver are on different nodes. */
  private crossLatencies = new Float64Array(1024);
  crossCount = 0;
  /** (edit, receiver) pairs seen by a client other than the edit's author. */
  delivered = 0;
  /** Edits a server sent back to their own author (not counted as deliveries). */
  echoes = 0;
  /** Items that matched no recorded edit (should stay 0). */
  unmatched = 0;
  /** Set to false to stop recording (e.g. during the final state read-back). */
  recording = true;

  constructor(expectedDeliveries: number) {
    this.latencies = new Float64Array(Math.max(1024, expectedDeliveries));
  }

  register(clientId: number, maxEdits: number): void {
    this.sendTimes.set(clientId, new Float64Array(maxEdits));
  }

  /** Records the server node a client is connected to. */
  placeOn(clientId: number, node: number): void {
    this.nodeOf.set(clientId, node);
  }

  recordSend(clientId: number, editIndex: number, now: number): void {
    const times = this.sendTimes.get(clientId);
    if (times) times[editIndex] = now;
  }

  /** Decodes (never applies) `update` and records every edit of another client it carries. */
  recordReceive(receiverId: number, update: Uint8Array, now: number): void {
    for (const struct of Y.decodeUpdate(update).structs) {
      if (!(struct instanceof Y.Item)) continue;
      const first = Math.floor(struct.id.clock / EDIT_LENGTH);
      const end = Math.ceil((struct.id.clock + struct.length) / EDIT_LENGTH);
      if (struct.id.client === receiverId) {
        this.echoes += end - first;
        continue;
      }
      if (!this.recording) continue;
      const times = this.sendTimes.get(struct.id.client);
      const cross = this.nodeOf.get(struct.id.client) !== this.nodeOf.get(receiverId);
      for (let k = first; k < end; k++) {
        const sentAt = times?.[k];
        if (sentAt === undefined || sentAt === 0) {
          this.unmatched++;
          continue;
        }
        this.delivered++;
        this.pushLatency(now - sentAt);
        if (cross) this.pushCross(now - sentAt);
      }
    }
  }

  latencySamples(): { values: Float64Array; count: number } {
    return { values: this.latencies, count: this.latencyCount };
  }

  crossSamples(): { values: Float64Array; count: number } {
    return { values: this.crossLatencies, count: this.crossCount };
  }

  private pushCross(ms: number): void {
    if (this.crossCount === this.crossLatencies.length) {
      const grown = new Float64Array(this.crossLatencies.length * 2);
      grown.set(this.crossLatencies);
      this.crossLatencies = grown;
    }
    this.crossLatencies[this.crossCount++] = ms;
  }

  private pushLatency(ms: number): void {
    if (this.latencyCount === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.latencyCount++] = ms;
  }
}
