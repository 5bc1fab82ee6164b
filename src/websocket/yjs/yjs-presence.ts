// A y-websocket connection of a signed-in user is a presence connection in the design system its
// document belongs to (component:<id> → the component's, tokens:<dsId> → that one), so the room
// sees stock providers as it sees Socket.IO members: user-joined, presence-update with `viewing`,
// user-left on close. API keys are automation and do not appear. Kept alive by the hub's heartbeat.
import type { PresenceUser } from '../../services/realtime/presence.service.ts';
import { enterPresence, leavePresence } from '../room-presence.ts';
import type { Hub } from '../types.ts';
import type { YConnection } from './yjs-connection.ts';

interface Member {
  dsId: string;
  user: PresenceUser;
}

/** The y-websocket connections of this node counted in presence. */
export class YjsPresence {
  private readonly hub: Hub;
  /** By connection id: the join under way, then who it is and where (null: not counted). */
  private readonly members = new Map<string, Promise<Member | null>>();

  constructor(hub: Hub) {
    this.hub = hub;
  }

  /** A connection opened. */
  open(conn: YConnection): void {
    if (conn.actor.kind !== 'user') return;
    const actor = conn.actor;
    const joined = (async () => {
      const [{ designSystemId: dsId }, user] = await Promise.all([
        this.hub.services.documents.owner(conn.name),
        this.hub.services.users.profile(actor),
      ]);
      await enterPresence(this.hub, dsId, user, conn.id, [conn.name]);
      return { dsId, user };
    })().catch((err: unknown) => {
      this.hub.logger.warn({ err, document: conn.name }, 'y-websocket presence join failed');
      return null;
    });
    this.members.set(conn.id, joined);
  }

  /** A connection closed (after its join, should that still be under way). */
  close(conn: YConnection): void {
    const joined = this.members.get(conn.id);
    if (!joined) return;
    this.members.delete(conn.id);
    const left = joined
      .then(async (m) => {
        if (m) await leavePresence(this.hub, m.dsId, m.user.id, conn.id);
      })
      .catch(() => undefined);
    const done = left.finally(() => this.hub.cleanups.delete(done));
    this.hub.cleanups.add(done);
  }

  /** Renews every connection's presence (puts it back after a Redis reset); returns the design systems restored. */
  async beat(restore: boolean): Promise<Set<string>> {
    const restored = new Set<string>();
    for (const [id, joined] of this.members) {
      const member = await joined;
      if (!member) continue;
      try {
        if (restore) await this.hub.services.presence.restore(member.dsId, member.user, id);
        else await this.hub.services.presence.heartbeat(member.dsId, member.user, id);
        if (restore) restored.add(member.dsId);
      } catch (err) {
        this.hub.logger.warn({ err }, 'y-websocket presence heartbeat failed');
      }
    }
    return restored;
  }
}
