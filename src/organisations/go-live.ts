import { and, desc, eq } from 'drizzle-orm';
import { type HeldPlan, plannedNow } from '../collections/planned-now.js';
import { policyOf } from '../collections/policy-versions.js';
import { type ConnectionSummary, listConnections } from '../connections/list-connections.js';
import { organisations, outboundMessages, users } from '../db/schema/index.js';
import { addDays, localMoment, startOfLocalDay } from '../domain/local-time.js';
import type { Policy } from '../domain/policy.js';
import { AppError } from '../errors.js';
import { summaryRecipients, verifiedPeople } from '../reports/weekly-summary-settings.js';
import type { ServiceContext } from '../services/context.js';
import { organisationOf } from './organisation-of.js';
import { changeSending, type SendingState } from './sending.js';
import type { OrganisationSettings } from './settings.js';
import { testEmailsPerHour, testEmailTemplate } from './test-email.js';

/** The checklist's items: the first three must be done before going live. */
export type ChecklistKey = 'timeZone' | 'replyTo' | 'disputes' | 'summary' | 'schedule' | 'testEmail';
export const essentialItems: readonly ChecklistKey[] = ['timeZone', 'replyTo', 'disputes'];

export interface ChecklistItem {
  key: ChecklistKey;
  done: boolean;
  essential: boolean;
}

export interface GoLiveChecklist {
  organisationName: string;
  sending: SendingState;
  sendingChangedAt: Date | null;
  timeZone: string;
  timeZoneOrigin: OrganisationSettings['timeZoneOrigin'];
  timeZoneConfirmed: boolean;
  country: string | null;
  replyTo: string | null;
  notifyEmail: string | null;
  /** Who gets the weekly summary now (the chosen recipients, else the fallback), and whether it goes. */
  summaryRecipients: string[];
  summaryEnabled: boolean;
  /** The signed-in person's verified address: offered for each address, and where a test email goes. */
  ownEmail: string | null;
  verifiedPeople: string[];
  policy: Policy;
  testEmail: { lastAt: Date | null; lastTo: string | null; lastStatus: string | null; leftThisHour: number };
  connections: ConnectionSummary[];
  /** What would go out if the organisation were live at `plannedAt` (nothing of it is written). */
  plannedNow: HeldPlan;
  /** Now, within the sending window; else the window's next opening (an hour in), in the organisation's zone. */
  plannedAt: Date;
  items: ChecklistItem[];
  /** Every essential item is done. */
  ready: boolean;
}

function itemsOf(settings: OrganisationSettings, timeZone: string, testEmailSent: boolean): ChecklistItem[] {
  const done: Record<ChecklistKey, boolean> = {
    // Known from the books, their address or country, chosen by someone, or confirmed here.
    timeZone: settings.timeZoneConfirmed || settings.timeZoneOrigin !== null || timeZone !== 'UTC',
    replyTo: settings.contactEmail !== null,
    disputes: settings.notifyEmail !== null,
    summary: settings.weeklySummary.enabled && summaryRecipients(settings).length > 0,
    schedule: true,
    testEmail: testEmailSent,
  };
  return (Object.keys(done) as ChecklistKey[]).map((key) => ({
    key,
    done: done[key],
    essential: essentialItems.includes(key),
  }));
}

/**
 * When the checklist's "what would go" is planned for: now when it is within the sending window in
 * the organisation's zone (the planner sends in business hours only), else an hour after the window
 * next opens, so the list shows a real day's sending rather than nothing at night.
 */
export function nextSendingMoment(now: Date, timeZone: string, window: Policy['sendingWindow']): Date {
  const open = (at: Date) => {
    const local = localMoment(at, timeZone);
    return (
      window.weekdays.includes(local.weekday) && local.hour >= window.startHour && local.hour < window.endHour
    );
  };
  if (open(now)) return now;
  const today = localMoment(now, timeZone).date;
  for (let offset = 0; offset < 8; offset += 1) {
    const at = new Date(
      startOfLocalDay(addDays(today, offset), timeZone).getTime() + (window.startHour + 1) * 3_600_000,
    );
    if (at > now && open(at)) return at;
  }
  return now;
}

async function ownEmailOf(ctx: ServiceContext): Promise<string | null> {
  if (ctx.actor.kind !== 'person' || !ctx.actor.userId) return null;
  const [user] = await ctx.db
    .select({ email: users.email })
    .from(users)
    .where(eq(users.id, ctx.actor.userId));
  return user?.email.toLowerCase() ?? null;
}

/** The go-live checklist: each item with its state, what would be sent now, and the books' sync. */
export async function goLiveChecklist(ctx: ServiceContext): Promise<GoLiveChecklist> {
  const [profile, policy] = await Promise.all([organisationOf(ctx), policyOf(ctx.db, ctx.orgId)]);
  const plannedAt = nextSendingMoment(ctx.now, profile.timeZone, policy.sendingWindow);
  const [sending, connections, verified, ownEmail, tests, planned] = await Promise.all([
    sendingState(ctx),
    listConnections(ctx.db, [ctx.orgId]),
    verifiedPeople(ctx.db, ctx.orgId),
    ownEmailOf(ctx),
    ctx.db
      .select({
        at: outboundMessages.sendAfter,
        to: outboundMessages.to,
        status: outboundMessages.status,
      })
      .from(outboundMessages)
      .where(and(eq(outboundMessages.orgId, ctx.orgId), eq(outboundMessages.template, testEmailTemplate)))
      .orderBy(desc(outboundMessages.sendAfter))
      .limit(testEmailsPerHour),
    plannedNow(ctx.db, ctx.orgId, { now: plannedAt, limit: 8 }),
  ]);
  const { settings } = profile;
  const last = tests[0];
  const hourAgo = ctx.now.getTime() - 3_600_000;
  const items = itemsOf(settings, profile.timeZone, tests.length > 0);
  return {
    organisationName: profile.name,
    sending: sending.state,
    sendingChangedAt: sending.changedAt,
    timeZone: profile.timeZone,
    timeZoneOrigin: settings.timeZoneOrigin,
    timeZoneConfirmed: settings.timeZoneConfirmed,
    country: profile.country,
    replyTo: settings.contactEmail,
    notifyEmail: settings.notifyEmail,
    summaryRecipients: summaryRecipients(settings),
    summaryEnabled: settings.weeklySummary.enabled,
    ownEmail,
    verifiedPeople: verified,
    policy,
    testEmail: {
      lastAt: last?.at ?? null,
      lastTo: last?.to[0]?.email ?? null,
      lastStatus: last?.status ?? null,
      leftThisHour: Math.max(0, testEmailsPerHour - tests.filter((row) => row.at.getTime() > hourAgo).length),
    },
    connections,
    plannedNow: planned,
    plannedAt,
    items,
    ready: items.every((item) => item.done || !item.essential),
  };
}

async function sendingState(ctx: ServiceContext): Promise<{ state: SendingState; changedAt: Date | null }> {
  const [row] = await ctx.db
    .select({ state: organisations.sending, changedAt: organisations.sendingChangedAt })
    .from(organisations)
    .where(eq(organisations.id, ctx.orgId));
  return row ?? { state: 'preview', changedAt: null };
}

/** The essential items not done yet, in the checklist's words. */
const missingWords: Record<ChecklistKey, string> = {
  timeZone: 'your time zone',
  replyTo: 'where customers’ replies go',
  disputes: 'who hears about disputes and promises',
  summary: 'who gets the weekly summary',
  schedule: 'the schedule',
  testEmail: 'a test email',
};

/**
 * "Go live" (from preview) or "Resume" (from paused): refused (409) until the essentials are done.
 * Reminders left waiting from before are taken back and the evaluation asked for plans afresh from
 * now, so nothing stale or piled up goes (see `withdrawWaitingReminders`).
 */
export async function goLive(
  ctx: ServiceContext,
  requests: { evaluate?: (orgId: string) => Promise<void> },
): Promise<{ from: SendingState; withdrawn: number }> {
  const profile = await organisationOf(ctx);
  const missing = itemsOf(profile.settings, profile.timeZone, false).filter(
    (item) => item.essential && !item.done,
  );
  if (missing.length > 0)
    throw new AppError(
      409,
      'checklist_not_done',
      `Before going live, set ${missing.map((item) => missingWords[item.key]).join(', ')}.`,
    );
  const changed = await changeSending(ctx, 'live', ['preview', 'paused']);
  if (changed.from !== 'live') await requests.evaluate?.(ctx.orgId);
  return changed;
}

/** "Pause all emails": nothing more goes to any customer, queued or not, until resumed. */
export async function pauseSending(ctx: ServiceContext): Promise<{ from: SendingState }> {
  const { from } = await changeSending(ctx, 'paused', ['live']);
  return { from };
}
