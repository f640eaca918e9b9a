import { and, eq, like, sql } from 'drizzle-orm';
import { debtorIdsOf, loadOrganisationContext, loadSnapshots } from '../collections/load-snapshots.js';
import { policyOf } from '../collections/policy-versions.js';
import type { Database } from '../db/client.js';
import {
  activityLog,
  collectionSteps,
  organisations,
  outboundMessages,
  type RenderInputs,
} from '../db/schema/index.js';
import type { Logger } from '../logger.js';
import { organisationProfile, parseOrganisationSettings } from '../organisations/settings.js';
import { chooseStatement, statementMonth } from './monthly-choice.js';
import { monthlyStatementKey, monthlyStatementStepKey, monthlyStatementTemplate } from './monthly-keys.js';

/*
 * The monthly statement of account: on the organisation's day of the month (in its time zone), each
 * debtor who owes something gets their statement by email, once that month.
 *
 * It goes through the outbox as a `reminder`, not a `notice`: like a reminder it asks for money, so
 * delivery re-reads the debtor's balances from the ledger first and cancels it if nothing it lists is
 * owed any more; it carries the debtor's one-click opt-out; a pause or going live takes it back with
 * the other reminders; and its steps (one per open invoice, step key `monthly_statement`) make it a
 * contact in the debtor's history, which is what the planner's contact cap counts from. A notice
 * (a dispute passed on, a settlement offer) does none of that.
 */

/** Debtors read per batch of snapshots. */
const batchSize = 500;

export interface MonthlyStatementDeps {
  db: Database;
  /** Asks for a delivery run of the organisation's due messages; without it, the outbox sweep sends them. */
  deliverDue?: (orgId: string) => Promise<void>;
  logger?: Logger;
}

export type MonthlyOutcome =
  | { status: 'gone' | 'not_live' | 'disabled' | 'not_due'; month: string | null }
  | { status: 'done'; month: string; queued: number; waiting: number; skipped: number };

/**
 * One organisation's statements for the month `now` falls in, once its day has come: each debtor
 * `chooseStatement` lets go now is queued (the outbox's unique key per debtor and month keeps it at
 * one, whatever runs again); one held by the contact cap or the sending window waits for a later run
 * of the same month; a debtor who already has this month's is not looked at again.
 */
export async function sendMonthlyStatements(
  deps: MonthlyStatementDeps,
  orgId: string,
  now: Date,
): Promise<MonthlyOutcome> {
  const [profile, organisation] = await Promise.all([
    organisationProfile(deps.db, orgId),
    deps.db.select({ sending: organisations.sending }).from(organisations).where(eq(organisations.id, orgId)),
  ]);
  if (!profile) return { status: 'gone', month: null };
  const settings = profile.settings.monthlyStatement;
  const { month, due } = statementMonth(now, profile.timeZone, settings);
  if (!settings.enabled) return { status: 'disabled', month };
  if (organisation[0]?.sending !== 'live') return { status: 'not_live', month };
  if (!due) return { status: 'not_due', month };
  const [org, policy, debtors, done] = await Promise.all([
    loadOrganisationContext(deps.db, orgId),
    policyOf(deps.db, orgId),
    debtorIdsOf(deps.db, orgId),
    statementedThisMonth(deps.db, orgId, month),
  ]);
  if (!org) return { status: 'gone', month: null };
  const outcome = { status: 'done' as const, month, queued: 0, waiting: 0, skipped: 0 };
  const left = debtors.filter((id) => !done.has(id));
  for (let start = 0; start < left.length; start += batchSize) {
    const snapshots = await loadSnapshots(deps.db, org, {
      customerIds: left.slice(start, start + batchSize),
      now,
    });
    const statements = [];
    for (const snapshot of snapshots) {
      const choice = chooseStatement(snapshot, policy, now);
      if (choice.kind === 'send')
        statements.push({ customerId: snapshot.customerId, to: choice.to, invoiceIds: choice.invoiceIds });
      else if (choice.kind === 'wait') outcome.waiting += 1;
      else outcome.skipped += 1;
    }
    outcome.queued += await queueStatements(deps.db, orgId, month, statements, now, settings.day);
  }
  if (outcome.queued > 0) await deps.deliverDue?.(orgId);
  return outcome;
}

/** The debtors whose statement of `month` is in the outbox already (in any state). */
async function statementedThisMonth(db: Database, orgId: string, month: string): Promise<Set<string>> {
  const rows = await db
    .select({ customerId: outboundMessages.customerId })
    .from(outboundMessages)
    .where(
      and(
        eq(outboundMessages.orgId, orgId),
        eq(outboundMessages.template, monthlyStatementTemplate),
        like(outboundMessages.idempotencyKey, `%:${monthlyStatementStepKey}:${month}`),
      ),
    );
  return new Set(rows.flatMap((row) => (row.customerId ? [row.customerId] : [])));
}

const renderInputs: RenderInputs = {
  stepKey: monthlyStatementStepKey,
  tone: 'neutral',
  template: monthlyStatementTemplate,
  lateFeeNotice: false,
  brokenPromise: null,
  rung: null,
  attachStatement: true,
};

/**
 * Writes the statements in one transaction: each message (skipped when its key is taken), and for
 * each one written its steps and the log line that announces it, as the planner writes a reminder's.
 */
async function queueStatements(
  db: Database,
  orgId: string,
  month: string,
  statements: Array<{
    customerId: string;
    to: Array<{ email: string; name: string | null }>;
    invoiceIds: string[];
  }>,
  now: Date,
  day: number,
): Promise<number> {
  if (statements.length === 0) return 0;
  return db.transaction(async (tx) => {
    const written = await tx
      .insert(outboundMessages)
      .values(
        statements.map((statement) => ({
          orgId,
          customerId: statement.customerId,
          idempotencyKey: monthlyStatementKey(statement.customerId, month),
          purpose: 'reminder' as const,
          to: statement.to.map((contact) => ({
            email: contact.email,
            ...(contact.name ? { name: contact.name } : {}),
          })),
          template: monthlyStatementTemplate,
          renderInputs,
          sendAfter: now,
        })),
      )
      .onConflictDoNothing({ target: [outboundMessages.orgId, outboundMessages.idempotencyKey] })
      .returning({ customerId: outboundMessages.customerId, key: outboundMessages.idempotencyKey });
    const keys = new Map(written.map((row) => [row.customerId, row.key]));
    const queued = statements.flatMap((statement) => {
      const key = keys.get(statement.customerId);
      return key ? [{ ...statement, key }] : [];
    });
    if (queued.length === 0) return 0;
    await tx.insert(collectionSteps).values(
      queued.flatMap((statement) =>
        statement.invoiceIds.map((invoiceId) => ({
          orgId,
          customerId: statement.customerId,
          invoiceId,
          stepKey: monthlyStatementStepKey,
          kind: 'email' as const,
          effectKey: statement.key,
          takenAt: now,
        })),
      ),
    );
    await tx.insert(activityLog).values(
      queued.map((statement) => ({
        orgId,
        customerId: statement.customerId,
        kind: 'reminder.planned',
        actor: 'system',
        summary: `the monthly statement of account (sent on day ${day} of each month to every customer who owes something)`,
        details: { stepKey: monthlyStatementStepKey, invoiceIds: statement.invoiceIds, key: statement.key },
        occurredAt: now,
      })),
    );
    return queued.length;
  });
}

/**
 * The organisations whose monthly statements may be due now: live, with statements switched on, and
 * their day come in their own time zone this month. Whether each debtor's went is the run's to say.
 */
export async function dueStatementOrganisations(db: Database, now: Date): Promise<string[]> {
  const rows = await db
    .select({ id: organisations.id, timeZone: organisations.timeZone, settings: organisations.settings })
    .from(organisations)
    .where(
      and(
        eq(organisations.sending, 'live'),
        sql`${organisations.settings}->'monthlyStatement'->>'enabled' = 'true'`,
      ),
    );
  return rows
    .filter(
      (row) =>
        statementMonth(now, row.timeZone, parseOrganisationSettings(row.settings).monthlyStatement).due,
    )
    .map((row) => row.id);
}
