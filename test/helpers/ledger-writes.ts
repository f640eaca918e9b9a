import { eq } from 'drizzle-orm';
import { ledgerWrites } from '../../src/db/schema/index.js';
import type { LedgerContext } from '../../src/ledger/context.js';
import { deliverLedgerWrite } from '../../src/ledger-writes/deliver-ledger-write.js';

/** Delivers every pending write-back once, in order, as the write-back jobs would; returns how many. */
export async function deliverPendingLedgerWrites(ledger: LedgerContext): Promise<number> {
  const pending = await ledger.db
    .select({ id: ledgerWrites.id })
    .from(ledgerWrites)
    .where(eq(ledgerWrites.status, 'pending'));
  for (const write of pending) await deliverLedgerWrite(ledger, write.id);
  return pending.length;
}
