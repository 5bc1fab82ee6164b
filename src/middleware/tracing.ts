// One server span per HTTP request, installed only when tracing is on (src/observability/tracing.ts).
// It continues an incoming W3C `traceparent`, is named by the matched route pattern (never the raw
// URL), and carries the status, the error table's code and the request id (`X-Request-Id`).
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { tracer } from '../observability/tracing.ts';

/** The request id the request logger assigned: the correlation id between logs and traces. */
export const ATTR_REQUEST_ID = 'ensemble.request_id';

// Probes and scrapes every few seconds would drown the traces that matter.
const UNTRACED = new Set(['/health', '/ready', '/metrics']);

const errorCode = (body: unknown): string | undefined => {
  const error = (body as { error?: { code?: unknown } } | null)?.error;
  return typeof error?.code === 'string' ? error.code : undefined;
};

/** Starts the request's span, makes it the active one for everything the request runs, ends it on close. */
export function httpTracing(): RequestHandler {
  return (req, res, next) => {
    if (UNTRACED.has(req.path)) return next();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer().startSpan(
      req.method,
      { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method, [ATTR_URL_PATH]: req.path } },
      parent,
    );
    const ctx = trace.setSpan(parent, span);
    // Body parsers, multer and pino-http run from the socket's stream events: bound to the request's
    // context, their callbacks (and so the routes after them) still see this span as the active one.
    context.bind(ctx, req);
    context.bind(ctx, res);
    // The error handler answers `{ error: { code } }`: that code is the span's error type.
    const json = res.json.bind(res);
    res.json = ((body: unknown) => {
      const code = res.statusCode >= 400 ? errorCode(body) : undefined;
      if (code) span.setAttribute(ATTR_ERROR_TYPE, code);
      return json(body);
    }) as typeof res.json;
    res.once('close', () => {
      const route = res.locals.route;
      if (route) span.updateName(`${req.method} ${route}`).setAttribute(ATTR_HTTP_ROUTE, route);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
      if (req.id !== undefined) span.setAttribute(ATTR_REQUEST_ID, String(req.id));
      if (!res.writableFinished) span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
      // Client errors are the client's; a server span is an error only for 5xx (semantic conventions).
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${res.statusCode}` });
      span.end();
    });
    context.with(ctx, next);
  };
}
