import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { runMigrations } from './migrate.js';
import { provisionDatabase } from './provision.js';

// `npm run db:migrate` and the deployment's release command: apply migrations, then exit.
const config = loadConfig(process.env, process.argv.slice(2));
const logger = createLogger(config.logLevel);
const database = await provisionDatabase(config, logger);
try {
  await runMigrations(database.url);
  logger.info('migrations applied');
} finally {
  await database.embedded?.stop();
}
