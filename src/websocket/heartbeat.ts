// Keeps what this node's connections hold alive in the shared store: connection entries, presence
// (of Socket.IO members and of y-websocket connections) and locks, renewed well before they expire. When Redis comes back without its data the same walk
// puts everything back (presence with its status and cursor, locks with their original claim) and
// tells the rooms; a lock that could not be kept is announced, never dropped silently.
import type { Hub, HubSocket } from './types.ts';
import { dsRoom } from './types.ts';
import type { YjsPresence } from './yjs/yjs-presence.ts';

/** One pass over this node's connections; `restore` after a Redis reset. */
export async function beat(hub: Hub, restore = false, yjs?: YjsPresence): Promise<void> {
  const { presence, connections, collaboration } = hub.services;
  const restored = yjs ? await yjs.beat(restore) : new Set<string>();
  for (const socket of hub.io.of('/').sockets.values() as Iterable<HubSocket>) {
    try {
      await connections.heartbeat(socket.data.principal, socket.id);
      for (const dsId of socket.data.designSystems.keys()) {
        if (restore) {
          await presence.restore(dsId, socket.data.user, socket.id);
          restored.add(dsId);
        } else {
          await presence.heartbeat(dsId, socket.data.user, socket.id);
        }
      }
      for (const [componentId, dsId] of [...socket.data.locks]) {
        const teamId = socket.data.designSystems.get(dsId) ?? '';
        const lock = {
          componentId,
          designSystemId: dsId,
          teamId,
          userId: socket.data.user.id,
          userName: socket.data.user.name,
          connectionId: socket.id,
        };
        if (!(await collaboration.keepLock(socket.data.actor, lock, restore))) socket.data.locks.delete(componentId);
      }
    } catch (err) {
      hub.logger.warn({ err }, 'realtime heartbeat failed');
    }
  }
  for (const dsId of restored)
    hub.io.to(dsRoom(dsId)).emit('presence-update', { users: await presence.list(dsId), designSystemId: dsId });
}

/** Starts the heartbeat (a third of the shortest TTL) and the restore after a Redis reset; returns the stop function. */
export function startHeartbeat(hub: Hub, yjs?: YjsPresence): () => void {
  const { config } = hub;
  const timer = setInterval(
    () => void beat(hub, false, yjs),
    (Math.min(config.PRESENCE_TTL_SECONDS, config.LOCK_TTL_SECONDS) * 1000) / 3,
  );
  timer.unref();
  let stopped = false;
  hub.services.onRealtimeReset(() => {
    if (stopped) return;
    hub.logger.warn('Redis came back without its data: restoring presence and locks held here');
    void beat(hub, true, yjs);
  });
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
