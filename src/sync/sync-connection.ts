import { LedgerError } from '../../connectors/errors.js';
import type { SyncProgress } from '../db/schema/index.js';
import type { LedgerContext } from '../ledger/context.js';
import { openLedgerConnection } from '../ledger/open-connection.js';
import { runFullSync } from './full-sync.js';
import { runIncrementalSync } from './incremental-sync.js';
import { recordFailure } from './progress.js';

export type SyncOutcome =
  | { outcome: 'synced'; progress: SyncProgress }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'needs_reauth'; message: string };

/**
 * Brings one connection's mirror up to date: incremental when it can, full when it must (first sync,
 * cursor too old, too many changes). A grant the vendor no longer honours ends in `needs_reauth`
 * with nothing lost; other failures are recorded and rethrown for the job to retry.
 */
export async function syncConnection(
  ctx: LedgerContext,
  connectionId: string,
  mode: 'full' | 'incremental',
): Promise<SyncOutcome> {
  const opened = await openLedgerConnection(ctx, connectionId);
  if (!opened) return { outcome: 'skipped', reason: 'no such connection' };
  if (opened.row.status !== 'active')
    return { outcome: 'skipped', reason: `connection is ${opened.row.status}` };
  try {
    if (mode === 'incremental') {
      const result = await runIncrementalSync(ctx, opened);
      if (result !== 'needs_full') return { outcome: 'synced', progress: result };
    }
    return { outcome: 'synced', progress: await runFullSync(ctx, opened) };
  } catch (error) {
    // What the connection page shows: the vendor's trouble in words a person can act on, and for
    // anything else (a database error carries its SQL and values) a plain sentence; logs keep detail.
    const message =
      error instanceof LedgerError
        ? error.message
        : 'The sync stopped on an error on our side. It will be tried again; if it keeps failing, contact support.';
    await recordFailure(ctx.db, connectionId, message);
    if (error instanceof LedgerError && error.code === 'reauth_required')
      return { outcome: 'needs_reauth', message };
    throw error;
  }
}
