// The realtime hub on the web server's port: Socket.IO (Redis adapter when clustered) with its
// handlers, the y-websocket endpoint, document fan-out, documents' awareness shared by both, broadcasts of domain events, live
// permissions, and a heartbeat that keeps presence, locks and connection counts alive.
import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Server } from 'socket.io';
import type { Config } from '../config/config.ts';
import type { Redis } from '../models/redis.ts';
import type { Services } from '../services/index.ts';
import { bind, updatePayloadBytes } from './bind.ts';
import { startBroadcasts } from './broadcast.ts';
import { CursorBatcher } from './cursor-batcher.ts';
import { startFanout } from './fanout.ts';
import { socketIoBufferedBytes, useDirectFrames, writeAcksDirectly } from './frames.ts';
import { SlowReaders } from './backpressure.ts';
import { awarenessHandlers, startAwarenessFanout } from './handlers/awareness.handler.ts';
import { commentHandlers } from './handlers/comments.handler.ts';
import { DocAwareness } from './doc-awareness.ts';
import { documentHandlers, unsubscribeDocument } from './handlers/documents.handler.ts';
import { editHandlers } from './handlers/edits.handler.ts';
import { lockHandlers } from './handlers/locks.handler.ts';
import { presenceHandlers } from './handlers/presence.handler.ts';
import { leaveDesignSystem, roomHandlers } from './handlers/rooms.handler.ts';
import { typingHandlers } from './handlers/typing.handler.ts';
import { sessionHandlers } from './handlers/session.handler.ts';
import { armExpiry, watchSessions } from './sessions.ts';
import { handshake } from './handshake.ts';
import { startHeartbeat } from './heartbeat.ts';
import { Inflight } from './inflight.ts';
import { createRealtimeMetrics } from './metrics.ts';
import { watchDeletions } from './deletions.ts';
import { watchPermissions } from './permissions.ts';
import type { Hub, HubServer, HubSocket } from './types.ts';
import { attachYjsEndpoint } from './yjs/yjs-endpoint.ts';
import { refuseOtherUpgrades } from './upgrades.ts';
import { YjsPresence } from './yjs/yjs-presence.ts';
import { YjsRooms } from './yjs/yjs-rooms.ts';

/** Every client event and its handler. */
export const HANDLERS = {
  ...sessionHandlers,
  ...roomHandlers,
  ...presenceHandlers,
  ...typingHandlers,
  ...lockHandlers,
  ...editHandlers,
  ...documentHandlers,
  ...awarenessHandlers,
  ...commentHandlers,
};

export interface HubDeps {
  http: HttpServer;
  config: Config;
  services: Services;
  logger: Logger;
  registry: Registry;
  /** Redis connections for the Socket.IO adapter (publisher, subscriber), when clustered. */
  redis: { pub: Redis; sub: Redis } | null;
}

/** Starts the hub; returns its close function. */
export function startHub({ http, config, services, logger, registry, redis }: HubDeps): {
  hub: Hub;
  close: () => Promise<void>;
} {
  useDirectFrames(config.SOCKET_DIRECT_FRAMES);
  const io: HubServer = new Server(http, {
    cors: {
      origin: (origin, cb) =>
        cb(null, !origin || config.CORS_ORIGINS.includes('*') || config.CORS_ORIGINS.includes(origin)),
      credentials: true,
    },
    maxHttpBufferSize: updatePayloadBytes(config.MAX_DOC_UPDATE_BYTES),
    pingInterval: config.SOCKET_PING_INTERVAL_MS,
    pingTimeout: config.SOCKET_PING_TIMEOUT_MS,
    // Upgrades for other paths (the y-websocket endpoint) must be left alone.
    destroyUpgrade: false,
    ...(redis ? { adapter: createAdapter(redis.pub, redis.sub, { key: `${config.REDIS_KEY_PREFIX}socket.io` }) } : {}),
  });
  let yjs: YjsRooms | undefined;
  let slow: SlowReaders | undefined;
  const metrics = createRealtimeMetrics(registry, {
    connections: () => io.of('/').sockets.size,
    rooms: () => io.of('/').adapter.rooms.size,
    documents: () => services.documents.size,
    yjsConnections: () => yjs?.size ?? 0,
    slowReaders: () => (slow?.size ?? 0) + (yjs?.slowReaders ?? 0),
    bufferedBytes: () => {
      let n = yjs?.bufferedBytes ?? 0;
      for (const socket of io.of('/').sockets.values() as Iterable<HubSocket>) n += socketIoBufferedBytes(socket);
      return n;
    },
  });
  const cursors = new CursorBatcher(io, config.CURSOR_TICK_MS, (dsId, userId, cursor) => {
    void services.presence.update(dsId, userId, { cursor }).catch(() => undefined);
  });
  const inflight = new Inflight();
  const awareness = new DocAwareness(services.documents);
  const hub: Hub = {
    io,
    services,
    config,
    logger,
    metrics,
    cursors,
    awareness,
    clustered: Boolean(redis),
    timers: new Map(),
    cleanups: new Set(),
    inflight,
    draining: false,
  };
  slow = new SlowReaders(hub);
  const stopAwarenessFanout = startAwarenessFanout(hub);
  const yjsPresence = new YjsPresence(hub);
  yjs = new YjsRooms(services, logger, {
    awareness,
    presence: yjsPresence,
    pingIntervalMs: config.SOCKET_PING_INTERVAL_MS * 3,
    clustered: Boolean(redis),
    refusalLimit: config.SOCKET_ABUSE_DISCONNECT_AFTER,
    inflight,
    maxBufferedBytes: config.SOCKET_MAX_BUFFERED_BYTES,
    onSlowReader: () => metrics.slowReader('yjs').inc(),
    onDropped: (reason) => metrics.event('yjs-message', reason).inc(),
  });
  const wss = attachYjsEndpoint(http, services, config, yjs);
  refuseOtherUpgrades(http, ['/socket.io/', '/yjs/']);
  const stopFanout = startFanout(hub, yjs, slow);
  startBroadcasts(hub);
  watchPermissions(hub, yjs);
  watchSessions(hub, yjs);
  const stopDeletions = watchDeletions(hub, yjs);

  io.use(handshake(hub));
  io.on('connection', (socket: HubSocket) => {
    void socket.join(socket.data.principal);
    armExpiry(socket);
    writeAcksDirectly(socket);
    bind(socket, hub, HANDLERS as never);
    socket.on('disconnect', () => {
      for (const timer of socket.data.expiry) clearTimeout(timer);
      const done = cleanUp(hub, socket).finally(() => hub.cleanups.delete(done));
      hub.cleanups.add(done);
    });
  });

  const stopHeartbeat = startHeartbeat(hub, yjsPresence);

  /**
   * Shutdown as clients can ride it: refuse what is new, let every owed ack and stored update out
   * (bounded by SHUTDOWN_DRAIN_MS), then close the transports the way a restart looks — Socket.IO
   * clients see `transport close` and y-websocket providers 1012, and both reconnect by themselves
   * (to another node when there is one). Connections leave their rooms while Redis is still there.
   */
  const close = async () => {
    hub.draining = true;
    stopHeartbeat();
    cursors.stop();
    for (const timer of hub.timers.values()) clearTimeout(timer);
    const drained = await inflight.settle(config.SHUTDOWN_DRAIN_MS);
    if (!drained) logger.warn({ inflight: inflight.size }, 'shutdown: events still in progress after the drain period');
    stopFanout();
    slow.stop();
    stopDeletions();
    yjs?.closeAll();
    wss.close();
    await io.close();
    while (hub.cleanups.size) await Promise.allSettled([...hub.cleanups]);
    stopAwarenessFanout();
    awareness.close();
  };
  return { hub, close };
}

async function cleanUp(hub: Hub, socket: HubSocket): Promise<void> {
  try {
    for (const dsId of [...socket.data.designSystems.keys()]) await leaveDesignSystem(socket, hub, dsId);
    for (const name of [...socket.data.docs.keys()]) await unsubscribeDocument(socket, hub, name);
    await hub.services.connections.close(socket.data.principal, socket.id);
  } catch (err) {
    hub.logger.warn({ err }, 'cleaning up a connection failed');
  }
}
