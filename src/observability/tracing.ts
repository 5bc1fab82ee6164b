// Tracing on or off. With OTEL_EXPORTER_OTLP_ENDPOINT set, the SDK (sdk.ts) is imported and started;
// unset, it is never loaded, `tracingEnabled()` stays false and every hook (HTTP, sockets, jobs,
// database) skips itself, so the code runs as if tracing did not exist.
import { SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';

export interface Tracing {
  enabled: boolean;
  /** Exports the spans still buffered and stops tracing (a no-op when off). */
  shutdown(): Promise<void>;
}

const SCOPE = 'ensemble';
const VERSION = '0.1.0';

let active: Tracer | null = null;

/** Whether spans are being recorded in this process. */
export const tracingEnabled = (): boolean => active !== null;

/** The project's tracer (the API's no-op one when tracing is off). */
export const tracer = (): Tracer => active ?? trace.getTracer(SCOPE, VERSION);

/** Starts tracing when an OTLP endpoint is configured. */
export async function startTracing(config: Config, logger: Logger): Promise<Tracing> {
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return { enabled: false, shutdown: async () => undefined };
  const { startSdk, tracesUrl } = await import('./sdk.ts');
  const sdk = startSdk({
    endpoint,
    serviceName: config.OTEL_SERVICE_NAME,
    serviceVersion: VERSION,
    ratio: config.OTEL_TRACES_SAMPLER_ARG,
    logger,
  });
  active = trace.getTracer(SCOPE, VERSION);
  logger.info(
    { url: tracesUrl(endpoint), service: config.OTEL_SERVICE_NAME, ratio: config.OTEL_TRACES_SAMPLER_ARG },
    'tracing: exporting spans over OTLP/HTTP',
  );
  return {
    enabled: true,
    async shutdown() {
      active = null;
      await sdk.shutdown();
    },
  };
}

/** A pino mixin putting the active span's ids on each log line (installed only when tracing is on). */
export function traceLogFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** The short name of what failed: an error-table or Prisma code, or the error's class. Never its message. */
export const errorType = (err: unknown): string =>
  typeof (err as { code?: unknown })?.code === 'string'
    ? (err as { code: string }).code
    : err instanceof Error
      ? err.name
      : 'unknown';

/** Runs `run` as the span's work: a failure marks the span with its error type; the span ends either way. */
export async function spanned<T>(span: Span, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    span.setAttribute(ATTR_ERROR_TYPE, errorType(err));
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorType(err) });
    throw err;
  } finally {
    span.end();
  }
}
