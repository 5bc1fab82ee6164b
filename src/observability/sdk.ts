// The OpenTelemetry SDK, loaded by tracing.ts only when an OTLP endpoint is configured: a tracer
// provider with a ratio sampler that follows a sampled parent, batched OTLP/HTTP (JSON) export,
// AsyncLocalStorage context and W3C trace-context propagation, all registered as the API's globals.
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { setGlobalErrorHandler, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Logger } from 'pino';

export interface SdkOptions {
  /** The OTLP base URL; spans are posted to `<endpoint>/v1/traces`. */
  endpoint: string;
  serviceName: string;
  serviceVersion: string;
  /** Share of root traces sampled, 0 to 1. */
  ratio: number;
  logger: Logger;
}

export interface Sdk {
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

/** The standard OTLP/HTTP rule: the traces path is appended to the base endpoint. */
export const tracesUrl = (endpoint: string): string => `${endpoint.replace(/\/+$/, '')}/v1/traces`;

/** Builds the provider and registers it, the context manager and the propagator globally. */
export function startSdk(options: SdkOptions): Sdk {
  const exporter = new OTLPTraceExporter({ url: tracesUrl(options.endpoint) });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_VERSION]: options.serviceVersion,
    }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.ratio) }),
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 1000 })],
  });
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  // A collector that is down must not flood the log: one line per minute says spans are being lost.
  let lastError = 0;
  setGlobalErrorHandler((err) => {
    if (Date.now() - lastError < 60_000) return;
    lastError = Date.now();
    options.logger.warn(
      { err: err instanceof Error ? err.message : String(err) },
      'span export failed (repeats are not logged for 60 s)',
    );
  });
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
