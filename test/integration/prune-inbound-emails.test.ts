import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { type InboundEmailStatus, inboundEmails } from '../../src/db/schema/index.js';
import { createLogger } from '../../src/logger.js';
import { pruneInboundEmails } from '../../src/replies/prune-inbound-emails.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/databases.js';

const dayMs = 86_400_000;

describe('pruning the inbound emails', () => {
  let scratch: ScratchDatabase;
  let database: DatabaseHandle;

  beforeAll(async () => {
    scratch = await createScratchDatabase(inject('adminUrl'), 'prune_inbound');
    await runMigrations(scratch.url);
    database = connectDatabase(scratch.url, { poolMax: 2, logger: createLogger('silent') });
  }, 60_000);
  afterAll(async () => {
    await database?.pool.end();
    await scratch?.drop();
  });

  it('deletes what was dealt with before the cut-off, and keeps what still waits or is recent', async () => {
    const now = Date.now();
    const statuses: InboundEmailStatus[] = ['received', 'matched', 'unmatched', 'duplicate'];
    const rows = statuses.flatMap((status) =>
      [40, 10].map((daysAgo) => ({
        toAddress: `${status}-${daysAgo}@in.example`,
        fromAddress: 'ap@debtor.example',
        size: 100,
        status,
        receivedAt: new Date(now - daysAgo * dayMs),
      })),
    );
    await database.db.insert(inboundEmails).values(rows);
    expect(await pruneInboundEmails(database.db, new Date(now - 30 * dayMs))).toBe(3);
    const left = (await database.db.select({ to: inboundEmails.toAddress }).from(inboundEmails))
      .map((row) => row.to)
      .sort();
    expect(left).toEqual(
      [
        'received-40@in.example',
        'received-10@in.example',
        'matched-10@in.example',
        'unmatched-10@in.example',
        'duplicate-10@in.example',
      ].sort(),
    );
  });
});
