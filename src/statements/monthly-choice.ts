import { journeySoFar } from '../collections/journey-so-far.js';
import { pausedOn } from '../collections/plan.js';
import { replyWait } from '../collections/reply-wait.js';
import { momentIn, windowClosed } from '../collections/sending-window.js';
import type { DebtorSnapshot, SnapshotContact } from '../collections/snapshot.js';
import type { Policy } from '../domain/policy.js';
import type { MonthlyStatementSettings } from '../organisations/settings.js';

/*
 * Who gets the monthly statement, and when: pure, from the debtor's snapshot (as the planner reads
 * it), the policy and the moment; no database, no clock.
 */

const dayMs = 86_400_000;

/** The month a moment falls in (YYYY-MM, the organisation's calendar), and whether its statement day has come. */
export function statementMonth(
  now: Date,
  timeZone: string,
  settings: MonthlyStatementSettings,
): { month: string; due: boolean } {
  const today = momentIn(now, timeZone).date;
  return { month: today.slice(0, 7), due: settings.enabled && Number(today.slice(8, 10)) >= settings.day };
}

/**
 * What the debtor owes per currency once the credits they may still use are counted: the open
 * invoices still chased (not referred to an agency or written off), less those credits.
 */
export function netOwed(snapshot: Pick<DebtorSnapshot, 'invoices' | 'credits'>): Map<string, number> {
  const owed = new Map<string, number>();
  for (const invoice of snapshot.invoices)
    if (invoice.status === 'open')
      owed.set(invoice.currency, (owed.get(invoice.currency) ?? 0) + invoice.balanceMinor);
  for (const credit of snapshot.credits ?? [])
    if (owed.has(credit.currency))
      owed.set(credit.currency, (owed.get(credit.currency) ?? 0) - credit.amountMinor);
  return owed;
}

/** True when something is owed in some currency, credits counted. */
export const owesSomething = (snapshot: Pick<DebtorSnapshot, 'invoices' | 'credits'>) =>
  [...netOwed(snapshot).values()].some((amount) => amount > 0);

export type StatementChoice =
  | { kind: 'send'; to: SnapshotContact[]; invoiceIds: string[] }
  /** Not this month unless something changes: nothing owed, a person's hold, an opt-out, no address. */
  | { kind: 'skip'; why: string }
  /** Not now, maybe later today or this month: the contact cap, the sending window, a contact waiting. */
  | { kind: 'wait'; why: string };

/**
 * Whether this debtor's statement goes now. It is a contact like any reminder: never to a debtor
 * who owes nothing (credits counted), one a person set to do-not-contact, excluded or paused, one
 * who opted out of emails, or to a bounced address; and it keeps the contact cap (counted from the
 * last contact that reached them, as the planner counts it), waits while another contact waits to
 * go or a reply is unread, and goes within the policy's sending window in the debtor's time.
 */
export function chooseStatement(snapshot: DebtorSnapshot, policy: Policy, now: Date): StatementChoice {
  const today = momentIn(now, snapshot.orgTimeZone).date;
  const overrides = snapshot.overrides;
  if (!owesSomething(snapshot)) return { kind: 'skip', why: 'owes nothing, credits counted' };
  if (overrides.doNotContact) return { kind: 'skip', why: 'set to do-not-contact' };
  if (overrides.excluded) return { kind: 'skip', why: 'excluded from automatic chasing' };
  if (pausedOn(overrides, today)) return { kind: 'wait', why: `paused until ${overrides.pausedUntil}` };
  if (snapshot.history.optedOut) return { kind: 'skip', why: 'opted out of emails' };
  const to = recipientsOf(snapshot);
  if (to.length === 0) return { kind: 'skip', why: 'no deliverable email address' };
  const waiting = replyWait(snapshot.history, today);
  if (waiting) return { kind: 'wait', why: waiting.note };
  const soFar = journeySoFar(snapshot.history, null, [], new Map(), new Set());
  if (soFar.waiting) return { kind: 'wait', why: 'another contact is waiting to go' };
  const capEnds = soFar.lastSent ? Date.parse(soFar.lastSent) + policy.minDaysBetweenContacts * dayMs : 0;
  if (now.getTime() < capEnds)
    return {
      kind: 'wait',
      why: `contact cap: the next contact may go from ${new Date(capEnds).toISOString().slice(0, 16)} UTC`,
    };
  const closed = windowClosed(snapshot, policy, now, {});
  if (closed) return { kind: 'wait', why: closed };
  const invoiceIds = snapshot.invoices
    .filter((invoice) => invoice.status === 'open' && invoice.balanceMinor > 0)
    .map((invoice) => invoice.id);
  return { kind: 'send', to, invoiceIds };
}

/**
 * Where the statement goes, as reminders do: the addresses a person chose for this customer, else
 * the open invoices' own bill-to addresses, else the customer's billing contacts; never one that bounced.
 */
export function recipientsOf(snapshot: DebtorSnapshot): SnapshotContact[] {
  const bounced = new Set(
    snapshot.contacts.filter((contact) => contact.bounced).map((contact) => contact.email),
  );
  const known = (email: string): SnapshotContact => ({
    email,
    name: snapshot.contacts.find((contact) => contact.email === email)?.name ?? null,
    role: 'billing',
    bounced: false,
  });
  const chosen = snapshot.overrides.recipients ?? [];
  if (chosen.length > 0) return chosen.filter((email) => !bounced.has(email)).map(known);
  const billTo = [
    ...new Set(snapshot.invoices.flatMap((invoice) => (invoice.billEmail ? [invoice.billEmail] : []))),
  ].filter((email) => !bounced.has(email));
  if (billTo.length > 0) return billTo.map(known);
  return snapshot.contacts.filter((contact) => contact.role === 'billing' && !contact.bounced);
}
