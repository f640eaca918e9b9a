import { and, desc, eq, like, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { activityLog, outboundMessages } from '../db/schema/index.js';
import { localMoment } from '../domain/local-time.js';
import { localeOf } from '../domain/locale.js';
import { notFound } from '../errors.js';
import { organisationOf } from '../organisations/organisation-of.js';
import { parseOrganisationSettings } from '../organisations/settings.js';
import type { ServiceContext } from '../services/context.js';
import { summaryCandidates, weeklySummaryKey } from './send-weekly-summary.js';
import { lastScheduledDay } from './week.js';
import { summaryRecipients } from './weekly-summary-settings.js';

/*
 * The summaries the organisation was sent, as they were sent (the outbox keeps each copy's subject
 * and bodies), and the weeks whose summary was missed: its day went by with nothing sent (Dunwell
 * was not running then). A missed summary is not sent late: the next goes on its own day.
 */

const missedKind = 'summary.missed';

/**
 * Marks missed summaries: for each organisation whose summary is on and has someone to go to, the
 * last scheduled day that has ended, when the organisation owed one for it (its whole week was
 * after the organisation's creation) and no copy of that week's was queued. Once per week (the
 * insert checks for its own mark). Returns how many were marked.
 */
export async function markMissedWeeklySummaries(db: Database, now: Date): Promise<number> {
  let marked = 0;
  for (const organisation of await summaryCandidates(db)) {
    const settings = parseOrganisationSettings(organisation.settings);
    if (!settings.weeklySummary.enabled || summaryRecipients(settings).length === 0) continue;
    const createdOn = localMoment(organisation.createdAt, organisation.timeZone).date;
    const last = lastScheduledDay(now, organisation.timeZone, settings.weeklySummary, createdOn);
    if (!last.owed) continue;
    const inserted = await db.execute(sql`
      insert into activity_log (org_id, kind, actor, summary, details, occurred_at)
      select ${organisation.id}, ${missedKind}, 'system', ${`The weekly summary for ${last.scheduledOn} was not sent on its day`},
             ${JSON.stringify({ isoWeek: last.isoWeek, scheduledOn: last.scheduledOn })}::jsonb, ${now}
      where not exists (select 1 from outbound_messages m where m.org_id = ${organisation.id}
                          and m.idempotency_key like ${`${weeklySummaryKey(last.isoWeek, '')}%`})
        and not exists (select 1 from activity_log a where a.org_id = ${organisation.id}
                          and a.kind = ${missedKind} and a.details->>'isoWeek' = ${last.isoWeek})`);
    marked += inserted.rowCount ?? 0;
  }
  return marked;
}

export interface SentSummaryRow {
  /** The message's id (its page), or null for a missed week. */
  id: string | null;
  /** "sent", "queued", "not sent" …, or "missed". */
  status: string;
  /** A test copy from "send now", not the week's summary. */
  test: boolean;
  /** "Week 12, 2026" for a scheduled summary; null for a test copy. */
  week: string | null;
  to: string;
  subject: string | null;
  /** When it went (or was queued, or its day for a missed one), in the organisation's words. */
  when: string;
}

export interface SentSummariesPage {
  rows: SentSummaryRow[];
}

const weekOf = (key: string): string | null => {
  const match = /^weekly-summary:(\d{4})-W(\d{2}):/.exec(key);
  return match ? `Week ${Number(match[2])}, ${match[1]}` : null;
};

/** A moment as the organisation reads it: "Monday 16 March 2026, 08:04". */
function momentText(at: Date, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

function dayText(isoDate: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(`${isoDate}T12:00:00Z`));
}

const statusWords: Record<string, string> = {
  pending: 'queued',
  sending: 'sending',
  sent: 'sent',
  uncertain: 'may or may not have gone',
  failed: 'could not be sent',
  cancelled: 'not sent',
  awaiting_approval: 'waiting for approval',
};

const summaryKeys = or(
  like(outboundMessages.idempotencyKey, 'weekly-summary:%'),
  like(outboundMessages.idempotencyKey, 'weekly-summary-test:%'),
);

/** Every weekly summary sent (and test copy), newest first, with the weeks that were missed. */
export async function sentWeeklySummaries(ctx: ServiceContext, limit = 200): Promise<SentSummariesPage> {
  const profile = await organisationOf(ctx);
  const locale = localeOf(profile.country);
  const [messages, missed] = await Promise.all([
    ctx.db
      .select({
        id: outboundMessages.id,
        key: outboundMessages.idempotencyKey,
        status: outboundMessages.status,
        to: outboundMessages.to,
        subject: outboundMessages.subject,
        at: sql<Date>`coalesce(${outboundMessages.sentAt}, ${outboundMessages.sendAfter})`.mapWith(
          (value: string | Date) => new Date(value),
        ),
      })
      .from(outboundMessages)
      .where(and(eq(outboundMessages.orgId, ctx.orgId), summaryKeys))
      .orderBy(desc(outboundMessages.sendAfter))
      .limit(limit),
    ctx.db
      .select({ details: activityLog.details, at: activityLog.occurredAt })
      .from(activityLog)
      .where(and(eq(activityLog.orgId, ctx.orgId), eq(activityLog.kind, missedKind)))
      .orderBy(desc(activityLog.occurredAt))
      .limit(limit),
  ]);
  const rows: Array<SentSummaryRow & { sortAt: number }> = messages.map((message) => ({
    id: message.id,
    status: statusWords[message.status] ?? message.status.replaceAll('_', ' '),
    test: message.key.startsWith('weekly-summary-test:'),
    week: weekOf(message.key),
    to: message.to.map((entry) => entry.email).join(', '),
    subject: message.subject,
    when: momentText(message.at, profile.timeZone, locale),
    sortAt: message.at.getTime(),
  }));
  for (const entry of missed) {
    const isoWeek = String(entry.details['isoWeek'] ?? '');
    const scheduledOn = String(entry.details['scheduledOn'] ?? '');
    rows.push({
      id: null,
      status: 'missed',
      test: false,
      week: weekOf(`weekly-summary:${isoWeek}:`),
      to: '',
      subject: null,
      when: /^\d{4}-\d{2}-\d{2}$/.test(scheduledOn) ? dayText(scheduledOn, locale) : '',
      sortAt: /^\d{4}-\d{2}-\d{2}$/.test(scheduledOn)
        ? Date.parse(`${scheduledOn}T12:00:00Z`)
        : entry.at.getTime(),
    });
  }
  rows.sort((a, b) => b.sortAt - a.sortAt);
  return { rows: rows.map(({ sortAt: _sortAt, ...row }) => row) };
}

export interface SentSummary {
  id: string;
  status: string;
  test: boolean;
  week: string | null;
  to: string;
  subject: string;
  when: string;
  /** Exactly what was sent: the stored HTML and plain text of that copy. */
  html: string;
  text: string;
}

/** One sent summary as it went (404 for another organisation's message or one that is no summary). */
export async function sentWeeklySummary(ctx: ServiceContext, messageId: string): Promise<SentSummary> {
  const profile = await organisationOf(ctx);
  if (!/^[0-9a-f-]{36}$/i.test(messageId)) throw notFound('summary');
  const [message] = await ctx.db
    .select()
    .from(outboundMessages)
    .where(and(eq(outboundMessages.orgId, ctx.orgId), eq(outboundMessages.id, messageId), summaryKeys));
  if (!message) throw notFound('summary');
  return {
    id: message.id,
    status: statusWords[message.status] ?? message.status.replaceAll('_', ' '),
    test: message.idempotencyKey.startsWith('weekly-summary-test:'),
    week: weekOf(message.idempotencyKey),
    to: message.to.map((entry) => entry.email).join(', '),
    subject: message.subject ?? '',
    when: momentText(message.sentAt ?? message.sendAfter, profile.timeZone, localeOf(profile.country)),
    html: message.bodyHtml ?? '',
    text: message.bodyText ?? '',
  };
}
