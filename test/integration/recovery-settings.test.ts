import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decideFlag, pendingFlags } from '../../src/collections/decide-flag.js';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { savePolicy } from '../../src/collections/policy-versions.js';
import { recommend } from '../../src/collections/recommendations.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/client.js';
import {
  collectionFlags,
  customers,
  invoices,
  ledgerConnections,
  organisations,
  settlements,
} from '../../src/db/schema/index.js';
import { defaultPolicy, defaultRecoverySettings, type RecoverySettings } from '../../src/domain/policy.js';
import { AppError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { organisationSettingsSchema, saveOrganisationSettings } from '../../src/organisations/settings.js';
import { upsertCustomers, upsertInvoices } from '../../src/sync/mirror.js';
import { seedFinalNotice } from '../helpers/journey.js';

type Arithmetic = {
  recommended: string;
  options: Array<{ choice: string; expected: { amountMinor: number }; explanation: string }>;
};

/** The policy's recovery assumptions drive new flags, pending flags and the settlement offered. */
describe("an organisation's recovery settings", () => {
  let database: DatabaseHandle;
  let orgId: string;
  let version = 0;
  const now = new Date('2026-11-24T10:00:00Z');
  const db = () => database.db;
  const gbp = (amountMinor: number) => ({ amountMinor, currency: 'GBP' });

  const saveRecovery = async (changes: Partial<RecoverySettings>) => {
    const saved = await savePolicy(db(), {
      orgId,
      basedOnVersion: version,
      policy: { ...defaultPolicy, recovery: { ...defaultRecoverySettings, ...changes } },
      actor: 'test',
    });
    version = saved.version;
    return saved.policy.recovery;
  };
  const idOf = async (name: string) =>
    (await db().select({ id: customers.id }).from(customers).where(eq(customers.name, name)))[0]?.id ?? '';
  const invoiceId = async (externalId: string) =>
    (await db().select({ id: invoices.id }).from(invoices).where(eq(invoices.externalId, externalId)))[0]
      ?.id ?? '';
  const raiseSettlementFlag = async (name: string, externalId: string) => {
    // A flag stands only once the final notice has had its grace: approval checks it again.
    await seedFinalNotice(db(), orgId, name, now);
    const [flag] = await db()
      .insert(collectionFlags)
      .values({
        orgId,
        customerId: await idOf(name),
        idempotencyKey: `recovery-test-${externalId}`,
        kinds: ['settlement_offer', 'write_off'],
        invoiceIds: [await invoiceId(externalId)],
        daysOverdue: 125,
        recommendation: { recommended: 'settlement_offer' },
      })
      .returning();
    return flag?.id ?? '';
  };
  const offerTo = async (name: string) =>
    (
      await db()
        .select()
        .from(settlements)
        .where(eq(settlements.customerId, await idOf(name)))
    )[0];

  beforeAll(async () => {
    database = connectDatabase(inject('databaseUrl'), { poolMax: 4, logger: createLogger('silent') });
    const [organisation] = await db()
      .insert(organisations)
      .values({ name: 'Recovery Settings Ltd', currency: 'GBP', timeZone: 'Europe/London' })
      .returning();
    orgId = organisation?.id ?? '';
    const [connection] = await db()
      .insert(ledgerConnections)
      .values({ orgId, vendor: 'xero', tenantId: `recovery-${Date.now()}` })
      .returning();
    const scope = { orgId, connectionId: connection?.id ?? '' };
    const customer = (externalId: string, name: string) => ({
      externalId,
      name,
      active: true,
      currency: 'GBP',
      updatedAt: null,
      contacts: [{ name: null, email: `ap@${externalId}.example`, role: 'billing' as const }],
    });
    await upsertCustomers(db(), scope, [
      customer('old', 'Long Overdue Ltd'),
      customer('s1', 'Settles At The Default'),
      customer('s2', 'Settles At The Limit'),
    ]);
    const invoice = (externalId: string, customerExternalId: string, dueDate: string) => ({
      externalId,
      customerExternalId,
      number: externalId.toUpperCase(),
      currency: 'GBP',
      totalMinor: 100_000,
      balanceMinor: 100_000,
      issueDate: null,
      dueDate,
      status: 'open' as const,
      version: null,
      paymentUrl: null,
      billEmail: null,
      updatedAt: null,
    });
    await upsertInvoices(db(), scope, [
      invoice('old-1', 'old', '2026-07-17'),
      invoice('s1-1', 's1', '2026-07-22'),
      invoice('s2-1', 's2', '2026-07-22'),
    ]);
    await saveOrganisationSettings(
      db(),
      orgId,
      organisationSettingsSchema.parse({
        settlementTarget: { ref: '435', description: 'Discounts allowed' },
      }),
    );
  });
  afterAll(() => database.pool.end());

  it('gives a new flag the recommendation of the settings in force, and a pending flag that of the settings now', async () => {
    // A 10% discount taken 90% of the time beats any other choice for £1,000 at this age.
    const generous = await saveRecovery({
      settlementDiscount: 0.1,
      maxSettlementDiscount: 0.4,
      settlementAcceptance: 0.9,
      agencyFeeShare: 0.6,
    });
    await seedFinalNotice(db(), orgId, 'Long Overdue Ltd', now);
    await evaluateOrganisation(db(), orgId, { now });
    const [raised] = await db()
      .select()
      .from(collectionFlags)
      .where(eq(collectionFlags.customerId, await idOf('Long Overdue Ltd')));
    if (!raised) throw new Error('no flag was raised');
    const ask = (assumptions?: RecoverySettings) =>
      recommend({
        balance: gbp(100_000),
        daysOverdue: raised.daysOverdue,
        ...(assumptions ? { assumptions } : {}),
      });
    // The settings changed the choice the flag stored: the defaults would not have settled.
    expect(raised.recommendation['recommended']).toBe('settlement_offer');
    expect(ask(generous).recommended).toBe('settlement_offer');
    expect(ask().recommended).not.toBe('settlement_offer');

    const listed = async () => {
      const flags = await pendingFlags(db(), [orgId]);
      return flags.find((flag) => flag.id === raised.id)?.recommendation as Arithmetic;
    };
    const pending = await listed();
    expect(pending.recommended).toBe('settlement_offer');
    expect(pending.options.find((option) => option.choice === 'settlement_offer')?.expected.amountMinor).toBe(
      81_000,
    );

    // A cheap agency and a less likely settlement: the same pending flag now recommends the agency.
    const cheapAgency = await saveRecovery({
      settlementDiscount: 0.1,
      maxSettlementDiscount: 0.4,
      settlementAcceptance: 0.5,
      agencyFeeShare: 0.05,
    });
    const relisted = await listed();
    expect(relisted.recommended).toBe('agency_referral');
    expect(relisted.options).toEqual(ask(cheapAgency).options);
    expect(relisted.options.find((option) => option.choice === 'agency_referral')?.explanation).toContain(
      'its 5% fee',
    );
  });

  it("offers a settlement at the policy's discount, or at a person's within the policy's limit", async () => {
    await saveRecovery({ settlementDiscount: 0.15, maxSettlementDiscount: 0.4 });
    const atDefault = await raiseSettlementFlag('Settles At The Default', 's1-1');
    await decideFlag(db(), { orgIds: [orgId], flagId: atDefault, decision: 'approved', actor: 'test', now });
    expect(await offerTo('Settles At The Default')).toMatchObject({
      startBalanceMinor: 100_000,
      offerMinor: 85_000,
    });

    const atLimit = await raiseSettlementFlag('Settles At The Limit', 's2-1');
    const decide = (settlementDiscount: number) =>
      decideFlag(db(), {
        orgIds: [orgId],
        flagId: atLimit,
        decision: 'approved',
        settlementDiscount,
        actor: 'test',
        now,
      });
    // Above the limit: refused, and nothing changes (the flag stays pending, no offer is made).
    const refused = await decide(0.45).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ statusCode: 400, message: expect.stringContaining('40%') });
    expect(
      (await db().select().from(collectionFlags).where(eq(collectionFlags.id, atLimit)))[0]?.status,
    ).toBe('pending');
    expect(await offerTo('Settles At The Limit')).toBeUndefined();
    await decide(0.4);
    expect(await offerTo('Settles At The Limit')).toMatchObject({
      startBalanceMinor: 100_000,
      offerMinor: 60_000,
    });
  });
});
