import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrganisationSeed } from '../../emulators/xero/index.js';
import { invoices, ledgerConnections, ledgerWrites } from '../../src/db/schema/index.js';
import { deliverLedgerWrite } from '../../src/ledger-writes/deliver-ledger-write.js';
import { startXeroHarness, type XeroHarness } from '../helpers/xero-harness.js';

const owner = { email: 'accounts@larch.example', firstName: 'Ffion', lastName: 'Hughes' };
const contactId = '66666666-6666-4666-8666-666666666666';
const invoiceId = 'c0000000-0000-4000-8000-000000000001';
const seed: OrganisationSeed = {
  name: 'Larch Kitchens',
  baseCurrency: 'GBP',
  countryCode: 'GB',
  user: owner,
  contacts: [{ id: contactId, name: 'Bryn Fitters', emailAddress: 'ap@bryn.example' }],
  invoices: [{ id: invoiceId, contactId, total: 80_000, dueDate: '2026-10-30' }],
};
// Past the emulator's (and integrators' reported) six minutes for which Xero replays an Idempotency-Key.
const pastKeyWindowMs = 7 * 60_000;

describe('Xero collection notes retried after the Idempotency-Key is forgotten', () => {
  let xero: XeroHarness;
  let connectionId: string;
  const db = () => xero.runtime.database.db;
  const history = () =>
    xero.emulator
      .organisation(xero.tenantIds[0] ?? '')
      .history(invoiceId)
      .map((record) => String(record['Details']));

  beforeAll(async () => {
    xero = await startXeroHarness(inject('adminUrl'), [seed]);
    ({ connectionId } = await xero.connect(owner.email));
    await xero.waitForSync(connectionId, (connection) => connection.syncProgress?.phase === 'done');
  }, 120_000);
  afterAll(() => xero?.stop());

  const queueNote = async (key: string, text: string) => {
    const [connection] = await db()
      .select()
      .from(ledgerConnections)
      .where(eq(ledgerConnections.id, connectionId));
    const [invoice] = await db().select().from(invoices).where(eq(invoices.externalId, invoiceId));
    const [write] = await db()
      .insert(ledgerWrites)
      .values({
        orgId: connection?.orgId ?? '',
        connectionId,
        invoiceId: invoice?.id ?? null,
        kind: 'note',
        idempotencyKey: key,
        payload: { text },
      })
      .returning();
    return write?.id ?? '';
  };

  it('adds the note once when its first answer was lost and the retry comes after the key expired', async () => {
    const text = 'Dunwell 2026-11-24: emailed "Second reminder" to ap@bryn.example.';
    const id = await queueNote('note:retry:1', text);
    expect(await deliverLedgerWrite(xero.runtime.ledger, id)).toBe('done');
    // The answer was lost (the row never became done), and the retry runs after Xero forgot the key.
    await db().update(ledgerWrites).set({ status: 'pending' }).where(eq(ledgerWrites.id, id));
    xero.advance(pastKeyWindowMs);
    expect(await deliverLedgerWrite(xero.runtime.ledger, id)).toBe('done');
    expect(history().filter((details) => details === text)).toHaveLength(1);
  });

  it('a first attempt writes without reading first, and the same words in a new note are added', async () => {
    const text = 'Dunwell 2026-11-25: emailed "Final notice" to ap@bryn.example.';
    const first = await queueNote('note:fresh:1', text);
    expect(await deliverLedgerWrite(xero.runtime.ledger, first)).toBe('done');
    // A different write (its own first attempt) with the same words is a new note, not a repeat.
    const second = await queueNote('note:fresh:2', text);
    expect(await deliverLedgerWrite(xero.runtime.ledger, second)).toBe('done');
    expect(history().filter((details) => details === text)).toHaveLength(2);
  });
});
