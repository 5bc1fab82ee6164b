// A connection that does not read what it is sent must not hold the node's memory. Once more than
// SOCKET_MAX_BUFFERED_BYTES wait to be sent to a Socket.IO connection, it stops getting document
// updates (nothing more is queued for it); when it has read its buffer down to a quarter of that,
// it is told `doc-resync` for each document it fell behind on, and the SDK brings the document
// back in step. A connection that never reads again is dropped by the ping timeout. The buffer is
// looked at every 1/16 of the cap written, so the hot path costs an addition. y-websocket
// connections do the same in YjsRooms.
import { socketIoBufferedBytes } from './frames.ts';
import type { Hub, HubSocket } from './types.ts';

const CHECK_EVERY_MS = 250;

/** The Socket.IO connections that fell behind, and the documents each missed updates of. */
export class SlowReaders {
  private readonly hub: Hub;
  private readonly behind = new Map<HubSocket, Set<string>>();
  private timer: NodeJS.Timeout | null = null;
  /** The buffer is looked at after this many bytes were written since the last look. */
  private readonly checkEvery: number;

  constructor(hub: Hub) {
    this.hub = hub;
    this.checkEvery = hub.config.SOCKET_MAX_BUFFERED_BYTES / 16;
  }

  /** Whether an update of `name` (`bytes` long) must be held back from `socket`: it is, or just fell, behind. */
  holdBack(socket: HubSocket, name: string, bytes: number): boolean {
    const data = socket.data;
    if (data.behind?.has(name)) return true;
    data.unchecked += bytes;
    if (data.unchecked < this.checkEvery) return false;
    data.unchecked = 0;
    if (socketIoBufferedBytes(socket) <= this.hub.config.SOCKET_MAX_BUFFERED_BYTES) return false;
    if (data.behind) data.behind.add(name);
    else this.behind.set(socket, (data.behind = new Set([name])));
    this.hub.metrics.slowReader('socket.io').inc();
    this.timer ??= setInterval(() => this.check(), CHECK_EVERY_MS);
    this.timer.unref();
    return true;
  }

  /** Connections currently held back. */
  get size(): number {
    return this.behind.size;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.behind.clear();
  }

  private check(): void {
    const resume = this.hub.config.SOCKET_MAX_BUFFERED_BYTES / 4;
    for (const [socket, docs] of this.behind) {
      if (!socket.connected) {
        this.behind.delete(socket);
        continue;
      }
      if (socketIoBufferedBytes(socket) > resume) continue;
      this.behind.delete(socket);
      socket.data.behind = null;
      for (const docName of docs)
        if (socket.data.docs.has(docName)) socket.emit('doc-resync', { docName, reason: 'behind' });
    }
    if (!this.behind.size && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
