// Cursor traffic is coalesced per user and flushed once per tick: at most 1000/tick updates per
// second per user reach the room, and the latest position always arrives.
import type { HubServer } from './types.ts';
import { dsRoom } from './types.ts';

interface Pending {
  cursor: unknown;
  principal: string;
}

/** Latest cursor per (design system, user), flushed every `tickMs`. */
export class CursorBatcher {
  private readonly io: HubServer;
  private readonly pending = new Map<string, Map<string, Pending>>();
  private readonly timer: NodeJS.Timeout;
  private readonly onFlush: (dsId: string, userId: string, cursor: unknown) => void;

  constructor(io: HubServer, tickMs: number, onFlush: (dsId: string, userId: string, cursor: unknown) => void) {
    this.io = io;
    this.onFlush = onFlush;
    this.timer = setInterval(() => this.flush(), tickMs);
    this.timer.unref();
  }

  /** Records the newest position; older unsent ones are dropped. */
  push(dsId: string, userId: string, principal: string, cursor: unknown): void {
    let room = this.pending.get(dsId);
    if (!room) {
      room = new Map();
      this.pending.set(dsId, room);
    }
    room.set(userId, { cursor, principal });
  }

  /** Sends every pending cursor to its room (not to the user's own connections). */
  flush(): void {
    for (const [dsId, users] of this.pending) {
      for (const [userId, { cursor, principal }] of users) {
        this.io.to(dsRoom(dsId)).except(principal).emit('cursor-update', { userId, cursor, designSystemId: dsId });
        this.onFlush(dsId, userId, cursor);
      }
    }
    this.pending.clear();
  }

  /** Stops the ticker. */
  stop(): void {
    clearInterval(this.timer);
  }
}
