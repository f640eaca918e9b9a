import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LedgerError } from '../../connectors/errors.js';
import { demoCompanySeed } from '../../emulators/quickbooks/demo.js';
import { demoOrganisationSeed } from '../../emulators/xero/demo.js';
import { ledgerConnections, organisations } from '../../src/db/schema/index.js';
import { AppError } from '../../src/errors.js';
import { creditTargetsOf } from '../../src/organisations/credit-targets.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { startXeroHarness, type XeroHarness } from '../helpers/xero-harness.js';

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

/** What a person chooses write-off and settlement targets from: read live from the ledger, through the connectors. */
describe('credit targets from QuickBooks', () => {
  let qbo: QuickBooksHarness;
  let orgId: string;

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), demoCompanySeed(Date.now()));
    ({ orgId } = await qbo.connectAndSync());
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('lists the active service and non-inventory items, by name, in one query', async () => {
    const before = qbo.emulator.counters().byKind.query;
    expect(await creditTargetsOf(qbo.runtime.ledger, orgId)).toEqual([
      { ref: '3', name: 'Bad debts', kind: 'Service' },
      { ref: '5', name: 'Design', kind: 'NonInventory' },
      { ref: '2', name: 'Hours', kind: 'Service' },
      { ref: '1', name: 'Services', kind: 'Service' },
      { ref: '4', name: 'Settlement discounts', kind: 'Service' },
    ]);
    // Stock (Garden lights), a bundle, a category and the inactive item are not offered.
    expect(qbo.emulator.counters().byKind.query - before).toBe(1);
  });

  it('says to connect when the organisation has no connection', async () => {
    const [lonely] = await qbo.runtime.database.db
      .insert(organisations)
      .values({ name: 'Not Connected Ltd', currency: 'USD' })
      .returning();
    const error = await refusal(creditTargetsOf(qbo.runtime.ledger, lonely?.id ?? ''));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      statusCode: 409,
      code: 'ledger_not_connected',
      message: expect.stringMatching(/^Connect QuickBooks or Xero first/),
    });
  });

  it('says to reconnect once QuickBooks has stopped accepting the connection', async () => {
    qbo.emulator.revokeRealm(qbo.realmId);
    const failed = await refusal(creditTargetsOf(qbo.runtime.ledger, orgId));
    expect(failed).toBeInstanceOf(LedgerError);
    expect(failed).toMatchObject({ code: 'reauth_required' });
    const [connection] = await qbo.runtime.database.db
      .select({ status: ledgerConnections.status })
      .from(ledgerConnections)
      .where(eq(ledgerConnections.orgId, orgId));
    expect(connection?.status).toBe('needs_reauth');
    expect(await refusal(creditTargetsOf(qbo.runtime.ledger, orgId))).toMatchObject({
      statusCode: 409,
      message: expect.stringMatching(/^Reconnect QuickBooks in Settings/),
    });
  });
});

describe('credit targets from Xero', () => {
  const owner = { email: 'owner@credit-targets.example', firstName: 'Cora', lastName: 'Codes' };
  let xero: XeroHarness;
  let orgId: string;

  beforeAll(async () => {
    xero = await startXeroHarness(inject('adminUrl'), [{ ...demoOrganisationSeed(Date.now()), user: owner }]);
    const { connectionId } = await xero.connect(owner.email);
    // The first sync runs in the background; once done, nothing else calls Xero behind the test's back.
    await xero.waitForSync(connectionId, (connection) => connection.syncProgress?.phase === 'done');
    const [connection] = await xero.runtime.database.db
      .select({ orgId: ledgerConnections.orgId })
      .from(ledgerConnections)
      .where(eq(ledgerConnections.id, connectionId));
    orgId = connection?.orgId ?? '';
  }, 120_000);
  afterAll(() => xero?.stop());

  it('lists the active income and expense accounts that have a code, by name, not bank or system ones', async () => {
    expect(await creditTargetsOf(xero.runtime.ledger, orgId)).toEqual([
      { ref: '400', name: 'Advertising', kind: 'EXPENSE' },
      { ref: '480', name: 'Bad Debts', kind: 'EXPENSE' },
      { ref: '404', name: 'Bank Fees', kind: 'EXPENSE' },
      { ref: '310', name: 'Cost of Goods Sold', kind: 'DIRECTCOSTS' },
      { ref: '429', name: 'General Expenses', kind: 'EXPENSE' },
      { ref: '270', name: 'Interest Income', kind: 'REVENUE' },
      { ref: '260', name: 'Other Revenue', kind: 'REVENUE' },
      { ref: '200', name: 'Sales', kind: 'REVENUE' },
      { ref: '265', name: 'Settlement Discounts', kind: 'REVENUE' },
    ]);
  });

  it('says to reconnect once the organisation has removed the app in Xero', async () => {
    xero.emulator.disconnectTenant(xero.tenantIds[0] ?? '');
    expect(await refusal(creditTargetsOf(xero.runtime.ledger, orgId))).toMatchObject({
      code: 'reauth_required',
    });
    expect(await refusal(creditTargetsOf(xero.runtime.ledger, orgId))).toMatchObject({
      statusCode: 409,
      message: expect.stringMatching(/^Reconnect Xero in Settings/),
    });
  });
});
