// Binds a map of event → handler to a socket: size cap, per-class rate limit (with a disconnect on
// repeated abuse), zod validation, the handler, and the ack `{ ok, data }` / `{ ok: false, error }`
// built from the one error table. A map of handlers, never a switch over event names.
import type { z } from 'zod';
import { AppError } from '../utils/errors.ts';
import { MAX_PAYLOAD_DEPTH, measurePayload } from '../utils/payload-shape.ts';
import { sessionExpired } from './sessions.ts';
import { toPublicError, zodDetails } from '../utils/error-mapper.ts';
import { endEventSpan, inEventSpan, startEventSpan } from '../observability/socket-spans.ts';
import { tracingEnabled } from '../observability/tracing.ts';
import type { AckResponse, Hub, HubSocket } from './types.ts';

export type LimitClass = 'cursor' | 'edit' | 'default';

export interface EventDef<S extends z.ZodType> {
  schema: S;
  limit: LimitClass;
  /** Largest payload in bytes (binary parts counted by length); `update` for the document-update limit. */
  maxBytes: number | 'update';
  handle: (input: z.output<S>, socket: HubSocket, hub: Hub) => unknown;
}

/** Declares a handler with its types inferred from the schema. */
export function on<S extends z.ZodType>(def: EventDef<S>): EventDef<S> {
  return def;
}

/**
 * The largest payload carrying a document update. Updates up to twice the update limit are let
 * through so that the document service can refuse them *and* revert them for the sender (an update
 * stopped at the transport could not be compensated); base64 takes 4/3 of the bytes.
 */
export const updatePayloadBytes = (maxUpdateBytes: number): number =>
  Math.ceil((maxUpdateBytes * 2 * 4) / 3) + 64 * 1024;

/** Events per second allowed for each limit class. */
function rateOf(hub: Hub, limit: LimitClass): number {
  if (limit === 'cursor') return hub.config.SOCKET_CURSOR_RATE_PER_SECOND;
  if (limit === 'edit') return hub.config.SOCKET_RATE_LIMIT_PER_SECOND;
  return Math.max(10, Math.floor(hub.config.SOCKET_RATE_LIMIT_PER_SECOND / 2));
}

function allow(socket: HubSocket, hub: Hub, limit: LimitClass): boolean {
  const rate = rateOf(hub, limit);
  const now = performance.now();
  let bucket = socket.data.buckets.get(limit);
  if (!bucket) socket.data.buckets.set(limit, (bucket = { tokens: rate * 2, at: now }));
  bucket.tokens = Math.min(rate * 2, bucket.tokens + ((now - bucket.at) / 1000) * rate);
  bucket.at = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

/** Counts a refused event; past the threshold within 10 s the connection is dropped. */
function strike(socket: HubSocket, hub: Hub): void {
  const now = Date.now();
  socket.data.violations = socket.data.violations.filter((t) => now - t < 10_000);
  socket.data.violations.push(now);
  if (socket.data.violations.length >= hub.config.SOCKET_ABUSE_DISCONNECT_AFTER) {
    socket.emit('error', { code: 'rate_limited', message: 'Too many refused events; disconnecting' });
    socket.disconnect(true);
  }
}

const fail = (err: unknown): AckResponse => {
  const e = toPublicError(err);
  return {
    ok: false,
    error: { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) },
  };
};

/**
 * Size and depth first (measured without recursion), then the rate, the schema and the handler.
 * Refusals are answered synchronously, so their acks leave before a strike's disconnect.
 */
function run(
  event: string,
  def: EventDef<z.ZodType>,
  payload: unknown,
  socket: HubSocket,
  hub: Hub,
): AckResponse | Promise<AckResponse> {
  if (hub.draining)
    return fail(new AppError('service_unavailable', 'The server is restarting; send it again once reconnected'));
  // Past its token's expiry a connection may only renew it (the close is on its way).
  if (event !== 'reauth' && sessionExpired(socket.data.session))
    return fail(new AppError('invalid_token', 'The access token expired; send reauth with a fresh one'));
  const maxBytes = def.maxBytes === 'update' ? updatePayloadBytes(hub.config.MAX_DOC_UPDATE_BYTES) : def.maxBytes;
  const shape = measurePayload(payload, { maxBytes, maxDepth: MAX_PAYLOAD_DEPTH });
  if (shape.exceeded === 'bytes') {
    strike(socket, hub);
    return fail(new AppError('payload_too_large', `${event} payloads are limited to ${maxBytes} bytes`));
  }
  if (shape.exceeded === 'depth') {
    strike(socket, hub);
    return fail(
      new AppError('validation_failed', `${event} payloads may nest at most ${MAX_PAYLOAD_DEPTH} levels`, [
        { path: '', code: 'too_deep', message: `nested deeper than ${MAX_PAYLOAD_DEPTH} levels` },
      ]),
    );
  }
  if (!allow(socket, hub, def.limit)) {
    strike(socket, hub);
    return fail(new AppError('rate_limited', `Too many ${event} events`));
  }
  const parsed = def.schema.safeParse(payload);
  if (!parsed.success) return fail(new AppError('validation_failed', undefined, zodDetails(parsed.error)));
  return (async () => {
    try {
      const data = await def.handle(parsed.data, socket, hub);
      return data === undefined ? { ok: true } : { ok: true, data };
    } catch (err) {
      if (toPublicError(err).status >= 500) hub.logger.error({ err, event }, 'socket handler failed');
      return fail(err);
    }
  })();
}

/** Registers every handler of `defs` on the socket. Each event is tracked until its ack has left. */
export function bind(socket: HubSocket, hub: Hub, defs: Record<string, EventDef<z.ZodType>>): void {
  for (const [event, def] of Object.entries(defs)) {
    socket.on(event, (...args: unknown[]) => {
      const ack = typeof args.at(-1) === 'function' ? (args.pop() as (r: AckResponse) => void) : () => undefined;
      void answer(event, def, args[0], socket, hub, ack);
    });
  }
}

async function answer(
  event: string,
  def: EventDef<z.ZodType>,
  payload: unknown,
  socket: HubSocket,
  hub: Hub,
  ack: (r: AckResponse) => void,
): Promise<void> {
  hub.inflight.begin();
  const started = performance.now();
  // Cursor traffic is not traced: dozens of events a second per user would bury everything else.
  const span = def.limit !== 'cursor' && tracingEnabled() ? startEventSpan(event, socket) : undefined;
  let response: AckResponse;
  try {
    const outcome = span
      ? inEventSpan(span, () => run(event, def, payload, socket, hub))
      : run(event, def, payload, socket, hub);
    response = outcome instanceof Promise ? await outcome : outcome;
  } catch (err) {
    // Nothing a client sends may end the process: whatever escaped becomes the ack.
    hub.logger.error({ err, event }, 'socket handler failed');
    response = fail(err);
  }
  try {
    hub.metrics.event(event, response.ok ? 'ok' : response.error.code).inc();
    hub.metrics.handler(event).observe((performance.now() - started) / 1000);
    if (span) endEventSpan(span, response);
    ack(response);
  } finally {
    hub.inflight.end();
  }
}
