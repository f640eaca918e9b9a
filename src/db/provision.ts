import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded.js';

export interface ProvisionedDatabase {
  url: string;
  /** Present in zero-setup mode: the server this process started and must stop. */
  embedded: EmbeddedDatabase | undefined;
}

/** DATABASE_URL when set; otherwise a real PostgreSQL started from the data folder. */
export async function provisionDatabase(config: Config, logger: Logger): Promise<ProvisionedDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: undefined };
  logger.info({ dataDir: config.dataDir }, 'DATABASE_URL is not set: starting the embedded PostgreSQL');
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
  return { url: embedded.url, embedded };
}
