import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../src/free-port.js';
import { createScratchDatabase } from '../helpers/databases.js';
import { type RunningProcess, runTypeScript } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

async function status(url: string): Promise<number | 'refused'> {
  try {
    return (await fetch(url)).status;
  } catch {
    return 'refused';
  }
}

async function startDunwell(env: NodeJS.ProcessEnv, args: string[] = []) {
  const port = await freePort();
  const dunwell = runTypeScript('src/main.ts', args, { LOG_LEVEL: 'info', PORT: String(port), ...env });
  const base = `http://127.0.0.1:${port}`;
  await Promise.race([
    waitFor(async () => (await status(`${base}/readyz`)) === 200, { timeoutMs: 90_000, what: 'readiness' }),
    dunwell.exited.then(() => {
      throw new Error(`Dunwell exited before it was ready:\n${dunwell.output()}`);
    }),
  ]);
  return { dunwell, base };
}

/** Port and password of the embedded server, read from its data folder as any client would. */
async function embeddedUrl(dataDir: string): Promise<string> {
  const pidLines = (await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n');
  const password = (await readFile(path.join(dataDir, 'postgres-password'), 'utf8')).trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${pidLines[3]}/dunwell`;
}

async function sql<Row extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('the Dunwell process', () => {
  let dataDir: string;
  const started: RunningProcess[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'dunwell-data-'));
    await chmod(dataDir, 0o755); // the embedded server may run as the `postgres` user
  });
  afterEach(async () => {
    for (const process of started) if (process.child.exitCode === null) process.child.kill('SIGKILL');
    const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGINT');
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('with no DATABASE_URL starts an embedded PostgreSQL, gets ready, and stops it on SIGTERM', async () => {
    const { dunwell, base } = await startDunwell({ DATA_DIR: dataDir });
    started.push(dunwell);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true);
    const tables = await sql<{ count: number }>(
      await embeddedUrl(dataDir),
      "select count(*)::int as count from information_schema.tables where table_schema = 'public'",
    );
    expect(tables[0]?.count).toBeGreaterThanOrEqual(18);
    expect(await status(`${base}/healthz`)).toBe(200);
    // With no QuickBooks or Xero app configured, each connect button leads to a local emulator's consent page.
    for (const [vendor, consentPath] of [
      ['quickbooks', '/connect/oauth2'],
      ['xero', '/connect/authorize'],
    ] as const) {
      const connect = await fetch(`${base}/connect/${vendor}`, { redirect: 'manual' });
      expect(connect.status).toBe(302);
      expect(new URL(connect.headers.get('location') ?? '').pathname).toBe(consentPath);
      expect(new URL(connect.headers.get('location') ?? '').hostname).toBe('127.0.0.1');
    }

    dunwell.child.kill('SIGTERM');
    expect(await dunwell.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(dunwell.output()).toContain('embedded PostgreSQL stopped');
  });

  it('after being killed, stops the server it left behind and starts again with the data kept', async () => {
    const first = await startDunwell({ DATA_DIR: dataDir });
    started.push(first.dunwell);
    await sql(
      await embeddedUrl(dataDir),
      "insert into organisations (name, currency) values ('Kept Ltd', 'GBP')",
    );
    first.dunwell.child.kill('SIGKILL');
    await first.dunwell.exited;
    const leftOver = Number(
      (await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0],
    );
    expect(() => process.kill(leftOver, 0)).not.toThrow(); // the orphaned server is still running

    const second = await startDunwell({ DATA_DIR: dataDir });
    started.push(second.dunwell);
    expect(second.dunwell.output()).toContain('left running by an earlier process');
    const names = await sql<{ name: string }>(await embeddedUrl(dataDir), 'select name from organisations');
    expect(names).toEqual([{ name: 'Kept Ltd' }]);

    second.dunwell.child.kill('SIGTERM');
    expect((await second.dunwell.exited).code).toBe(0);
  });

  it('with DATABASE_URL uses that database and starts no embedded server', async () => {
    const scratch = await createScratchDatabase(inject('adminUrl'), 'byurl');
    try {
      const { dunwell } = await startDunwell({ DATA_DIR: dataDir, DATABASE_URL: scratch.url });
      started.push(dunwell);
      const tables = await sql<{ table_name: string }>(
        scratch.url,
        "select table_name from information_schema.tables where table_schema = 'public' and table_name = 'invoices'",
      );
      expect(tables).toHaveLength(1);
      expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
      dunwell.child.kill('SIGTERM');
      expect((await dunwell.exited).code).toBe(0);
    } finally {
      await scratch.drop();
    }
  });

  it('refuses to start with bad settings, naming every problem', async () => {
    const dunwell = runTypeScript('src/main.ts', ['--role', 'chef'], { PORT: 'x', LOG_LEVEL: 'chatty' });
    expect((await dunwell.exited).code).toBe(1);
    expect(dunwell.output()).toMatch(/Invalid configuration:/);
    for (const name of ['PORT', 'LOG_LEVEL', '--role']) expect(dunwell.output()).toContain(`- ${name}:`);
  });

  it('splits into a web process and a worker process that share the database', async () => {
    const scratch = await createScratchDatabase(inject('adminUrl'), 'roles');
    try {
      const env = { DATA_DIR: dataDir, DATABASE_URL: scratch.url };
      const scheduled = async () =>
        (await sql<{ name: string }>(scratch.url, 'select name from pgboss.schedule')).map((row) => row.name);
      const web = await startDunwell(env, ['--role', 'web']);
      started.push(web.dunwell);
      expect(web.dunwell.output()).toContain('"role":"web"');
      expect(await scheduled()).toEqual([]); // a web process queues jobs but runs none, nor cron

      const worker = await startDunwell(env, ['--role', 'worker']);
      started.push(worker.dunwell);
      expect(worker.dunwell.output()).toContain('"role":"worker"');
      expect((await scheduled()).sort()).toEqual([
        'collections.evaluate-all',
        'collections.sweep-outbox',
        'ledger.reconcile',
        'notifications.owner-digests',
        'organisations.erase-disconnected',
        'replies.process',
        'reports.weekly-summaries',
        'sms.process-inbound',
        'statements.monthly',
        'webhook-inbox.prune',
      ]);
      for (const process of [web, worker]) {
        process.dunwell.child.kill('SIGTERM');
        expect((await process.dunwell.exited).code).toBe(0);
      }
    } finally {
      await scratch.drop();
    }
  });
});
