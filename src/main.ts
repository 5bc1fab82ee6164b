// Entry point: `node src/main.ts [web|worker|all]` (or ENSEMBLE_ROLE). Stops with a readable
// message on bad configuration or a failed start (a busy port, a database that will not start),
// and shuts down cleanly on SIGTERM/SIGINT.
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config/config.ts';
import { startTracing, traceLogFields } from './observability/tracing.ts';
import { startEnsemble } from './server.ts';
import { StartupError } from './utils/startup-error.ts';

const role = process.argv[2];
if (role && !['web', 'worker', 'all'].includes(role)) {
  process.stderr.write(`Unknown role "${role}": use web, worker or all\n`);
  process.exit(2);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(undefined, role ? { ENSEMBLE_ROLE: role } : {});
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

// With tracing on, each log line carries the active span's trace_id and span_id.
const logger = pino({
  level: config.LOG_LEVEL,
  mixin: config.OTEL_EXPORTER_OTLP_ENDPOINT ? traceLogFields : undefined,
});
const tracing = await startTracing(config, logger);
let ensemble: Awaited<ReturnType<typeof startEnsemble>>;
try {
  ensemble = await startEnsemble(config, logger);
} catch (err) {
  // One line with the cause and the fix for what an operator can fix; the whole error otherwise.
  process.stderr.write(
    err instanceof StartupError
      ? `\n  ${err.line}\n\n`
      : `\n  Ensemble could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n\n`,
  );
  process.exit(1);
}
process.stdout.write(`\n  Ensemble is running at ${ensemble.url}  (API docs: ${ensemble.url}/docs)\n\n`);

// A first signal drains and stops (bounded: past the drain period and 15 s more the process exits
// anyway); a second one stops at once.
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown took too long: exiting');
      process.exit(1);
    }, config.SHUTDOWN_DRAIN_MS + 15_000).unref();
    // The spans of the shutdown itself are exported too: tracing stops last.
    ensemble
      .close()
      .then(() => tracing.shutdown())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}
