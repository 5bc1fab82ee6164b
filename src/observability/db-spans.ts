// One client span per Prisma query, from the client extension in src/models/db.ts (installed only when
// tracing is on): named `<operation> <model>`, with the operation and model and never the arguments,
// which hold user data. A query outside any traced work (sweepers, flushes) makes no span of its own.
import { SpanKind, trace } from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';
import { spanned, tracer } from './tracing.ts';

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
    (span) => spanned(span, run),
  );
}
