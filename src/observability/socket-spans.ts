// One span per Socket.IO event, started by the dispatcher (src/websocket/bind.ts) only when tracing is
// on. Each event is the root of its own trace (a connection lives for hours; one trace per connection
// would be useless), with the event name, the connection's principal and the ack's outcome.
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { ERRORS } from '../utils/errors.ts';
import { tracer } from './tracing.ts';

export const ATTR_SOCKET_EVENT = 'socket.io.event';
export const ATTR_SOCKET_ID = 'socket.io.socket_id';
export const ATTR_PRINCIPAL = 'ensemble.principal';

interface EventSocket {
  id: string;
  data: { principal?: string };
}

/** Starts the span of one received event. */
export function startEventSpan(event: string, socket: EventSocket): Span {
  const attributes: Record<string, string> = { [ATTR_SOCKET_EVENT]: event, [ATTR_SOCKET_ID]: socket.id };
  if (socket.data.principal) attributes[ATTR_PRINCIPAL] = socket.data.principal;
  return tracer().startSpan(`socket.io ${event}`, { kind: SpanKind.SERVER, attributes }, ROOT_CONTEXT);
}

/** Runs the handler with the event's span active, so its database calls and jobs are its children. */
export function inEventSpan<T>(span: Span, fn: () => T): T {
  return context.with(trace.setSpan(ROOT_CONTEXT, span), fn);
}

/** Ends the span with the ack's outcome: a refusal's code as error type, an error only for a 5xx one. */
export function endEventSpan(span: Span, response: { ok: true } | { ok: false; error: { code: string } }): void {
  if (!response.ok) {
    const { code } = response.error;
    span.setAttribute(ATTR_ERROR_TYPE, code);
    const status = (ERRORS as Record<string, { status: number } | undefined>)[code]?.status ?? 500;
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: code });
  }
  span.end();
}
