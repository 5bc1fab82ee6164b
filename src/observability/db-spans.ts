// One client span per Prisma query, from the client extension in src/models/db.ts (installed only when
// tracing is on): named `<operation> <model>`, with the operation and model and never the arguments,
// which hold user data. A query outside any traced work (sweepers, flushes) makes no span of its own.
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';
import { tracer } from './tracing.ts';

/** Prisma's error code (`P2002`…) or the error's class: the type of a failure, never its message. */
const errorType = (err: unknown): string =>
  typeof (err as { code?: unknown })?.code === 'string'
    ? (err as { code: string }).code
    : err instanceof Error
      ? err.name
      : 'unknown';

/** Runs one query in a span that is a child of the active one. */
export function traceQuery<T>(model: string | undefined, operation: string, run: () => Promise<T>): Promise<T> {
  if (!trace.getActiveSpan()) return run();
  const attributes: Record<string, string> = {
    [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
    [ATTR_DB_OPERATION_NAME]: operation,
  };
  if (model) attributes[ATTR_DB_COLLECTION_NAME] = model;
  return tracer().startActiveSpan(
    model ? `${operation} ${model}` : operation,
    { kind: SpanKind.CLIENT, attributes },
    async (span) => {
      try {
        return await run();
      } catch (err) {
        span.setAttribute(ATTR_ERROR_TYPE, errorType(err));
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorType(err) });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}
