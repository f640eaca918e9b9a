import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { queueReminders } from '../../bench/support/queue-reminders.js';
import type { LedgerConnector } from '../../connectors/ledger.js';
import type { OrganisationSeed } from '../../emulators/xero/index.js';
import { ledgerConnections, organisations } from '../../src/db/schema/index.js';
import { deliverDue } from '../../src/messaging/delivery/delivery-run.js';
import { createLocalTransport } from '../../src/messaging/transport/local.js';
import { portalClient } from '../helpers/portal.js';
import { waitFor } from '../helpers/wait.js';
import { startXeroHarness, type XeroHarness } from '../helpers/xero-harness.js';

const dayFromToday = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const owner = { email: 'owner@runs.example', firstName: 'Ana', lastName: 'Runs' };
const contacts = 60;
/** A uuid per number, the same every run. */
const uuid = (prefix: string, n: number) => `${prefix}${String(n).padStart(12, '0')}`;
const paidInvoice = uuid('c0000000-0000-4000-8000-', 0);

const seed: OrganisationSeed = {
  name: 'Runs Xero Ltd',
  baseCurrency: 'NZD',
  countryCode: 'NZ',
  user: owner,
  contacts: Array.from({ length: contacts }, (_, n) => ({
    id: uuid('a0000000-0000-4000-8000-', n),
    name: `Contact ${n}`,
    emailAddress: `ap${n}@contact.example`,
  })),
  invoices: Array.from({ length: contacts }, (_, n) => [
    { id: uuid('c0000000-0000-4000-8000-', 2 * n), total: 10_000 + n },
    { id: uuid('c0000000-0000-4000-8000-', 2 * n + 1), total: 20_000 + n },
  ])
    .flat()
    .map((invoice, index) => ({
      ...invoice,
      contactId: uuid('a0000000-0000-4000-8000-', Math.floor(index / 2)),
      dueDate: dayFromToday(-10),
    })),
};

describe('a delivery run on Xero', () => {
  let xero: XeroHarness;
  let orgId: string;
  const db = () => xero.runtime.database.db;

  beforeAll(async () => {
    xero = await startXeroHarness(inject('adminUrl'), [seed]);
    // In preview until its reminders are queued: going live through the page, or the first sync,
    // would plan its own reminders at the wall clock whenever New Zealand's sending window is open.
    const { connectionId } = await xero.connect(owner.email, undefined, { preview: true });
    const connection = await waitFor(async () => {
      const [row] = await db().select().from(ledgerConnections).where(eq(ledgerConnections.id, connectionId));
      return row?.syncProgress?.phase === 'done' ? row : null;
    });
    orgId = connection.orgId;
  }, 120_000);
  afterAll(() => xero?.stop());

  it('re-reads with the IDs filter 50 invoices a call (Xero refuses past about 52)', async () => {
    expect(await queueReminders(xero.runtime.database.pool, orgId)).toBe(contacts);
    // Live now: an evaluation from here on finds these reminders waiting and plans nothing more.
    await db().update(organisations).set({ sending: 'live' }).where(eq(organisations.id, orgId));
    // Paid in Xero after the sync: the run finds out and drops that invoice from its reminder.
    xero.emulator.changes(xero.tenantIds[0] ?? '').receivePayment({ invoiceId: paidInvoice, amount: 10_000 });

    const reads: number[] = [];
    const ledger = xero.runtime.ledger;
    const connector = ledger.connectors.xero as LedgerConnector;
    const transport = createLocalTransport();
    const result = await deliverDue(
      {
        db: db(),
        ledger: {
          ...ledger,
          connectors: {
            ...ledger.connectors,
            xero: {
              ...connector,
              fetchInvoices: (handle, ids) => {
                reads.push(ids.length);
                return connector.fetchInvoices(handle, ids);
              },
            },
          },
        },
        transport,
        from: { email: 'reminders@dunwell.example', name: 'Runs Xero Ltd' },
        links: portalClient(xero).links,
        unsubscribeUrl: ({ id }) => `https://dunwell.example/opt-out/${id}`,
        now: () => new Date(),
      },
      orgId,
    );
    expect(reads).toEqual([50, 50, 20]);
    expect(result).toMatchObject({ messages: contacts, sent: contacts, ledgerReads: 3, invoicesRead: 120 });
    const first = transport
      .sent()
      .find((email) => email.to[0]?.email === 'debtor-a0000000-0000-4000-8000-000000000000@example.com');
    // It lists what is still owed, not the invoice paid a moment ago.
    expect(first?.text).toContain('INV-0002');
    expect(first?.text).not.toContain('INV-0001');
  });
});
