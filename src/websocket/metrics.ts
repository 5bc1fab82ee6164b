// Realtime metrics: connections, rooms, live documents, events by name and outcome, handler time
// and fan-out latency (from an update reaching the server to its broadcast), slow readers and the
// bytes waiting for them.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Creates the hub's metrics in `registry`; gauges read their value when scraped. */
export function createRealtimeMetrics(
  registry: Registry,
  read: {
    connections: () => number;
    rooms: () => number;
    documents: () => number;
    yjsConnections: () => number;
    slowReaders: () => number;
    bufferedBytes: () => number;
  },
) {
  new Gauge({
    name: 'realtime_connections',
    help: 'Open Socket.IO connections on this node',
    registers: [registry],
    collect() {
      this.set(read.connections());
    },
  });
  new Gauge({
    name: 'realtime_yjs_connections',
    help: 'Open y-websocket connections on this node',
    registers: [registry],
    collect() {
      this.set(read.yjsConnections());
    },
  });
  new Gauge({
    name: 'realtime_rooms',
    help: 'Socket.IO rooms on this node',
    registers: [registry],
    collect() {
      this.set(read.rooms());
    },
  });
  new Gauge({
    name: 'live_documents',
    help: 'Yjs documents held in memory on this node',
    registers: [registry],
    collect() {
      this.set(read.documents());
    },
  });
  new Gauge({
    name: 'realtime_slow_readers',
    help: 'Connections held back because they do not read what they are sent',
    registers: [registry],
    collect() {
      this.set(read.slowReaders());
    },
  });
  new Gauge({
    name: 'realtime_buffered_bytes',
    help: "Bytes written to this node's connections that they have not read yet",
    registers: [registry],
    collect() {
      this.set(read.bufferedBytes());
    },
  });
  const slowReaders = new Counter({
    name: 'realtime_slow_reader_total',
    help: 'Times a connection fell more than SOCKET_MAX_BUFFERED_BYTES behind',
    labelNames: ['transport'] as const,
    registers: [registry],
  });
  const events = new Counter({
    name: 'realtime_events_total',
    help: 'Client events by name and outcome',
    labelNames: ['event', 'outcome'] as const,
    registers: [registry],
  });
  const handlerSeconds = new Histogram({
    name: 'realtime_handler_seconds',
    help: 'Time to handle a client event',
    labelNames: ['event'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const fanoutSeconds = new Histogram({
    name: 'realtime_fanout_seconds',
    help: 'From an update reaching the server to its broadcast',
    labelNames: ['transport'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  // Labelled children are looked up once: these are on the hot path of every edit.
  const memo = <T>(make: (key: string) => T) => {
    const cache = new Map<string, T>();
    return (key: string) => {
      let child = cache.get(key);
      if (!child) cache.set(key, (child = make(key)));
      return child;
    };
  };
  const eventChildren = memo((key) => {
    const [event = '', outcome = ''] = key.split('|');
    return events.labels(event, outcome);
  });
  return {
    event: (event: string, outcome: string) => eventChildren(`${event}|${outcome}`),
    handler: memo((event) => handlerSeconds.labels(event)),
    fanout: memo((transport) => fanoutSeconds.labels(transport)),
    slowReader: memo((transport) => slowReaders.labels(transport)),
  };
}

export type RealtimeMetrics = ReturnType<typeof createRealtimeMetrics>;
