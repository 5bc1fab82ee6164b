// Jobs carry the trace that enqueued them: the W3C `traceparent` of the active span is written into
// the job's data at enqueue, and each attempt runs in a consumer span that is its child, in whatever
// process (a BullMQ worker elsewhere, or this one in single-node mode). Nothing happens when off.
import { context, propagation, ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { spanned, tracer, tracingEnabled } from './tracing.ts';

/** The key of the trace headers in a job's data. */
export const TRACE_KEY = '_trace';

export type TraceCarrier = Record<string, string>;

// Messaging attributes are still "incubating" in the semantic conventions: copied here, as advised.
const ATTR_MESSAGING_SYSTEM = 'messaging.system';
const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
export const ATTR_JOB_ATTEMPT = 'ensemble.job.attempt';

/** The active span's trace headers, or undefined (tracing off, or no span to continue). */
export function captureTrace(): TraceCarrier | undefined {
  if (!tracingEnabled()) return undefined;
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** Job data with the active trace's headers added (the data itself when there are none). */
export function withTrace<T extends object>(data: T): T {
  const carrier = captureTrace();
  return carrier ? { ...data, [TRACE_KEY]: carrier } : data;
}

/** Separates the trace headers from a job's data before the processor sees it. */
export function splitTrace<T extends object>(data: T): { data: T; carrier: TraceCarrier | undefined } {
  if (!(TRACE_KEY in data)) return { data, carrier: undefined };
  const { [TRACE_KEY]: carrier, ...rest } = data as T & { [TRACE_KEY]: TraceCarrier };
  return { data: rest as T, carrier };
}

export interface JobRun {
  name: string;
  queue: string;
  system: 'bullmq' | 'in-process';
  id?: string;
  attempt: number;
}

/** Runs one attempt in a consumer span, child of the enqueuer's span when the job carried one. */
export function inJobSpan<T>(job: JobRun, carrier: TraceCarrier | undefined, fn: () => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return fn();
  const parent = carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
  const attributes: Record<string, string | number> = {
    [ATTR_MESSAGING_SYSTEM]: job.system,
    [ATTR_MESSAGING_OPERATION_TYPE]: 'process',
    [ATTR_MESSAGING_DESTINATION_NAME]: job.queue,
    [ATTR_JOB_ATTEMPT]: job.attempt,
  };
  if (job.id) attributes[ATTR_MESSAGING_MESSAGE_ID] = job.id;
  return tracer().startActiveSpan(`process ${job.name}`, { kind: SpanKind.CONSUMER, attributes }, parent, (span) =>
    spanned(span, fn),
  );
}
