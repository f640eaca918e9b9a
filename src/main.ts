import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig } from './config.js';
import { createLogger, logDestination } from './logger.js';
import { startRuntime } from './runtime.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const logger = createLogger(
    config.logLevel,
    logDestination({ environment: config.environment, output: process.stdout }),
  );
  let runtime: Awaited<ReturnType<typeof startRuntime>>;
  try {
    runtime = await startRuntime(config, logger);
  } catch (error) {
    // A setting that only shows itself at start (a data folder the database cannot use).
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }

  // SIGTERM/SIGINT (and an uncaught error) stop the process in order; a second signal, or a stop
  // that takes longer than the job grace period plus a margin, ends it at once.
  closeWithGrace({ delay: config.shutdownTimeoutMs + 5_000 }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'stopping after an uncaught error');
    else logger.info({ signal }, 'stopping');
    await runtime.stop();
    logger.info('stopped');
  });
}

await main();
