// Entry point: `node src/main.ts [web|worker|all]` (or ENSEMBLE_ROLE). Stops with a readable
// message on bad configuration, and shuts down cleanly on SIGTERM/SIGINT.
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config/config.ts';
import { startEnsemble } from './server.ts';

const role = process.argv[2];
if (role && !['web', 'worker', 'all'].includes(role)) {
  process.stderr.write(`Unknown role "${role}": use web, worker or all\n`);
  process.exit(2);
}

let config;
try {
  config = loadConfig(undefined, role ? { ENSEMBLE_ROLE: role } : {});
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

const logger = pino({ level: config.LOG_LEVEL });
const ensemble = await startEnsemble(config, logger);
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
    ensemble.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
