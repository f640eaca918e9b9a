import { and, eq, inArray } from 'drizzle-orm';
import { vendorIds, vendors } from '../../connectors/vendors.js';
import { policyOf } from '../collections/policy-versions.js';
import { shareOfMinor } from '../collections/rational.js';
import type { Transaction } from '../db/client.js';
import { type collectionFlags, invoices, settlements } from '../db/schema/index.js';
import { addDays, localMoment } from '../domain/local-time.js';
import { formatPlainMoney } from '../domain/money.js';
import type { RecoverySettings } from '../domain/policy.js';
import { AppError } from '../errors.js';
import { queueLedgerWrites } from '../ledger-writes/queue.js';
import { organisationProfile } from '../organisations/settings.js';
import { record } from './arrangement-log.js';
import { invoiceNames, type OpenInvoice, openInvoicesOf } from './debtor-invoices.js';

type Flag = typeof collectionFlags.$inferSelect;

const creditTargetsInWords = vendorIds
  .map((vendor) => `a ${vendors[vendor].name} ${vendors[vendor].creditTargetNoun}`)
  .join(' or ');

const missingTarget = (what: string) =>
  new AppError(
    409,
    'settings_required',
    `Choose the ${what} in settings first (${creditTargetsInWords}), so the credit can be booked.`,
  );

/**
 * What an approved flag sets in motion, in the decision's transaction: a write-off credits each
 * invoice's balance to the bad-debt account and takes it out of the schedule; an agency referral
 * stops chasing and marks the invoices referred; a settlement offer is made for the debtor to accept
 * (its email goes with the next evaluation; the credit follows the payment). A settlement forgives the
 * policy's settlement discount, or the one the person chose, never more than the policy's limit.
 */
export async function carryOutDecision(
  tx: Transaction,
  flag: Flag,
  choice: 'agency_referral' | 'settlement_offer' | 'write_off',
  actor: string,
  now: Date,
  options: { settlementDiscount?: number } = {},
): Promise<void> {
  const organisation = await organisationProfile(tx, flag.orgId);
  if (!organisation) throw new AppError(404, 'not_found', 'No such flag.');
  const owed = (await openInvoicesOf(tx, flag)).filter((invoice) => flag.invoiceIds.includes(invoice.id));
  const scope = { orgId: flag.orgId, customerId: flag.customerId, actor, now };
  if (owed.length === 0) return; // paid or closed since the flag was raised: nothing to carry out

  if (choice === 'settlement_offer') {
    const target = organisation.settings.settlementTarget;
    if (!target) throw missingTarget('account or item for settlement discounts');
    const policy = await policyOf(tx, flag.orgId);
    const discount = settlementDiscountOf(policy.recovery, options.settlementDiscount);
    const today = localMoment(now, organisation.timeZone).date;
    const payBy = addDays(today, policy.arrangements.settlementPayWithinDays);
    for (const group of byCurrency(owed)) {
      const startBalanceMinor = group.reduce((sum, invoice) => sum + invoice.balanceMinor, 0);
      const forgiven = shareOfMinor(startBalanceMinor, discount);
      const currency = group[0]?.currency ?? organisation.currency;
      const [offer] = await tx
        .insert(settlements)
        .values({
          orgId: flag.orgId,
          customerId: flag.customerId,
          flagId: flag.id,
          invoiceIds: group.map((invoice) => invoice.id),
          currency,
          startBalanceMinor,
          offerMinor: startBalanceMinor - forgiven,
          payBy,
          createdAt: now,
        })
        .returning();
      if (!offer) throw new Error('the settlement was not stored');
      const money = (amountMinor: number) => formatPlainMoney({ amountMinor, currency });
      await record(tx, scope, group, {
        kind: 'settlement.offered',
        summary: `Settlement offered for ${invoiceNames(group)}: ${money(offer.offerMinor)} by ${payBy} in full settlement of ${money(startBalanceMinor)} (${money(forgiven)} forgiven on payment)`,
        key: `settlement:${offer.id}:offered`,
        details: { settlementId: offer.id, flagId: flag.id },
      });
    }
    return;
  }

  const target = choice === 'write_off' ? organisation.settings.writeOffTarget : null;
  if (choice === 'write_off' && !target) throw missingTarget('bad-debt account or item for write-offs');
  await tx
    .update(invoices)
    .set({ collectionHold: choice, heldAt: now })
    .where(
      and(
        eq(invoices.orgId, flag.orgId),
        inArray(
          invoices.id,
          owed.map((invoice) => invoice.id),
        ),
      ),
    );
  if (choice === 'agency_referral') {
    await record(tx, scope, owed, {
      kind: 'invoice.referred',
      summary: `Referred ${invoiceNames(owed)} to a collection agency (approved by ${actor}); Dunwell stopped chasing`,
      key: `referral:${flag.id}`,
      details: { flagId: flag.id },
    });
    return;
  }
  await record(tx, scope, owed, {
    kind: 'invoice.written_off',
    summary: `Wrote off ${invoiceNames(owed)} as bad debt to ${target?.description} (approved by ${actor})`,
    key: `writeoff:${flag.id}`,
    details: { flagId: flag.id },
  });
  await queueLedgerWrites(
    tx,
    owed.map((invoice) => ({
      orgId: flag.orgId,
      connectionId: invoice.connectionId,
      invoiceId: invoice.id,
      kind: 'credit' as const,
      idempotencyKey: `writeoff:${flag.id}:credit:${invoice.id}`,
      payload: {
        amountMinor: invoice.balanceMinor,
        currency: invoice.currency,
        target,
        memo: `Bad debt written off ${now.toISOString().slice(0, 10)} (Dunwell, approved by ${actor}).`,
      },
    })),
  );
}

/** The share a settlement forgives: the person's choice when they made one, within the policy's limit. */
function settlementDiscountOf(recovery: RecoverySettings, chosen: number | undefined): number {
  if (chosen === undefined) return recovery.settlementDiscount;
  if (!Number.isFinite(chosen) || chosen < 0 || chosen > recovery.maxSettlementDiscount) {
    const limit = `${Math.round(recovery.maxSettlementDiscount * 10_000) / 100}%`;
    throw new AppError(
      400,
      'invalid_request',
      `A settlement may forgive from 0% to ${limit} of what is owed (the limit in the collection policy).`,
    );
  }
  return chosen;
}

function byCurrency(owed: OpenInvoice[]): OpenInvoice[][] {
  const groups = new Map<string, OpenInvoice[]>();
  for (const invoice of owed)
    groups.set(invoice.currency, [...(groups.get(invoice.currency) ?? []), invoice]);
  return [...groups.values()];
}
