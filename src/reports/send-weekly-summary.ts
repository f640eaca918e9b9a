import { randomUUID } from 'node:crypto';
import { and, eq, exists, gt, inArray, like, lte, or, sql } from 'drizzle-orm';
import type { Database, Writer } from '../db/client.js';
import { ledgerConnections, organisations, outboundMessages } from '../db/schema/index.js';
import { localMoment } from '../domain/local-time.js';
import { AppError, notFound } from '../errors.js';
import type { Logger } from '../logger.js';
import {
  type RenderedSummary,
  renderWeeklySummary,
  type SummaryEmailLinks,
} from '../messaging/render/weekly-summary-email.js';
import { organisationProfile, parseOrganisationSettings } from '../organisations/settings.js';
import type { WeeklySummaryLinks } from './summary-links.js';
import { summaryWeek } from './week.js';
import { buildWeeklySummary, type WeeklySummary } from './weekly-summary.js';
import {
  sendNowPerHour,
  sendNowRecipients,
  summaryRecipients,
  verifiedPeople,
} from './weekly-summary-settings.js';

/** The settings page of the weekly summary: day, time, recipients, preview (linked from every summary). */
export const weeklySummarySettingsPath = (orgId: string) => `/app/${orgId}/weekly-summary`;

/** How long the one-click link to the review queue works. */
const reviewLinkDays = 60;

export interface SummaryDeps {
  db: Database;
  links: WeeklySummaryLinks;
  /** Asks for delivery at once; without it, the outbox sweep delivers within minutes. */
  deliver?: (messageId: string) => Promise<void>;
  logger?: Logger;
}

/** The links of one recipient's copy (no unsubscribe link in a preview). */
export function summaryEmailLinks(
  links: WeeklySummaryLinks,
  orgId: string,
  recipient: string | null,
  now: Date,
): SummaryEmailLinks {
  const app = `${links.base}/app/${orgId}`;
  return {
    reviewUrl: links.reviewUrl(orgId, new Date(now.getTime() + reviewLinkDays * 86_400_000)),
    unsubscribeUrl: recipient ? links.unsubscribeUrl(orgId, recipient) : null,
    dashboardUrl: app,
    connectionUrl: `${app}/connection`,
    customersUrl: `${app}/customers`,
    settingsUrl: `${links.base}${weeklySummarySettingsPath(orgId)}`,
  };
}

/** The idempotency key of one recipient's summary for one ISO week: at most one each, ever. */
export const weeklySummaryKey = (isoWeek: string, email: string) =>
  `weekly-summary:${isoWeek}:${email.toLowerCase()}`;

/**
 * Writes one message per recipient to the outbox (a `notice` with no customer, rendered now), and
 * asks for their delivery. A key already taken (this week's summary already queued, by this run
 * before a restart or by another worker) is skipped: the ids returned are only those written here.
 */
async function queueSummary(
  deps: SummaryDeps,
  summary: WeeklySummary,
  copies: Array<{ email: string; key: string }>,
  now: Date,
): Promise<string[]> {
  if (copies.length === 0) return [];
  const queued = await insertSummaries(deps.db, deps.links, summary, copies, now);
  for (const id of queued) await deps.deliver?.(id);
  return queued;
}

/** One outbox row per recipient (skipping keys already taken); the ids written. */
async function insertSummaries(
  db: Writer,
  links: WeeklySummaryLinks,
  summary: WeeklySummary,
  copies: Array<{ email: string; key: string }>,
  now: Date,
): Promise<string[]> {
  const orgId = summary.organisation.id;
  const rows = copies.map(({ email, key }) => {
    const rendered = renderWeeklySummary(summary, summaryEmailLinks(links, orgId, email, now));
    return {
      orgId,
      customerId: null,
      purpose: 'notice' as const,
      idempotencyKey: key,
      to: [{ email }],
      subject: rendered.subject,
      template: 'weekly-summary',
      bodyHtml: rendered.html,
      bodyText: rendered.text,
      sendAfter: now,
    };
  });
  const queued = await db
    .insert(outboundMessages)
    .values(rows)
    .onConflictDoNothing({ target: [outboundMessages.orgId, outboundMessages.idempotencyKey] })
    .returning({ id: outboundMessages.id });
  return queued.map(({ id }) => id);
}

/** The summary as it would go now, for the settings page (no unsubscribe link), with its recipients. */
export async function previewWeeklySummary(
  db: Database,
  orgId: string,
  now: Date,
  links: WeeklySummaryLinks,
): Promise<RenderedSummary & { recipients: string[] }> {
  const profile = await organisationProfile(db, orgId);
  if (!profile) throw notFound('organisation');
  const summary = await buildWeeklySummary(db, orgId, { now, timeZone: profile.timeZone });
  return {
    ...renderWeeklySummary(summary, summaryEmailLinks(links, orgId, null, now)),
    recipients: summaryRecipients(profile.settings),
  };
}

/** The key prefix of "send now" copies: `weekly-summary-test:<run>:<email>`. */
const sendNowKeyPrefix = 'weekly-summary-test:';

/**
 * "Send now" for testing: the summary of the last seven days, each copy under a key of its own, so it
 * never takes the place of the week's real summary. It goes only to the organisation's verified
 * people among the recipients (or among `to`), and at most `sendNowPerHour` times an hour per
 * organisation, counted from the outbox (so across processes), under a lock so two clicks at once
 * cannot both pass. 409 when nobody verified is among them, 429 past the limit.
 */
export async function sendWeeklySummaryNow(
  deps: SummaryDeps,
  request: { orgId: string; now: Date; to?: string[] },
): Promise<{ messageIds: string[]; recipients: string[] }> {
  const profile = await organisationProfile(deps.db, request.orgId);
  if (!profile) throw notFound('organisation');
  const verified = await verifiedPeople(deps.db, request.orgId);
  const wanted = request.to
    ? [...new Set(request.to.map((email) => email.toLowerCase()))]
    : summaryRecipients(profile.settings);
  if (wanted.length === 0)
    throw new AppError(409, 'no_recipients', 'Choose who gets the weekly summary first.');
  const recipients = request.to
    ? wanted.filter((email) => verified.includes(email))
    : sendNowRecipients(profile.settings, verified);
  if (recipients.length === 0)
    throw new AppError(
      409,
      'no_verified_recipients',
      `“Send now” goes only to people who sign in to Dunwell for this organisation, and none of ${wanted.join(', ')} does.${verified.length > 0 ? ` Add ${verified.join(' or ')} to the recipients to try it.` : ''}`,
    );
  const summary = await buildWeeklySummary(deps.db, request.orgId, {
    now: request.now,
    timeZone: profile.timeZone,
  });
  const run = randomUUID();
  const messageIds = await deps.db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`weekly-summary-send-now:${request.orgId}`}, 0))`,
    );
    const hourAgo = new Date(request.now.getTime() - 3_600_000);
    const runs = await tx
      .selectDistinct({
        run: sql<string>`split_part(${outboundMessages.idempotencyKey}, ':', 2)`,
        at: outboundMessages.sendAfter,
      })
      .from(outboundMessages)
      .where(
        and(
          eq(outboundMessages.orgId, request.orgId),
          like(outboundMessages.idempotencyKey, `${sendNowKeyPrefix}%`),
          gt(outboundMessages.sendAfter, hourAgo),
          lte(outboundMessages.sendAfter, request.now),
        ),
      );
    const times = [...new Map(runs.map((row) => [row.run, row.at.getTime()])).values()].sort((a, b) => a - b);
    if (times.length >= sendNowPerHour) {
      const retryAt = new Date((times[times.length - sendNowPerHour] ?? request.now.getTime()) + 3_600_000);
      const minutes = Math.max(1, Math.ceil((retryAt.getTime() - request.now.getTime()) / 60_000));
      throw new AppError(
        429,
        'send_now_limit',
        `“Send now” works ${sendNowPerHour} times an hour, and it has been used ${times.length} times in the last hour. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        { retryAfterSeconds: minutes * 60 },
      );
    }
    return insertSummaries(
      tx,
      deps.links,
      summary,
      recipients.map((email) => ({ email, key: `${sendNowKeyPrefix}${run}:${email}` })),
      request.now,
    );
  });
  for (const id of messageIds) await deps.deliver?.(id);
  return { messageIds, recipients };
}

export type DueOutcome =
  | {
      status: 'disabled' | 'not_due' | 'before_organisation' | 'no_recipients' | 'already_sent';
      isoWeek: string;
    }
  | { status: 'queued'; isoWeek: string; messageIds: string[] };

/** An organisation as the weekly summary's round reads it. */
export interface SummaryOrganisation {
  id: string;
  timeZone: string;
  settings: unknown;
  /** When it was created; read from the database when not given. */
  createdAt?: Date;
}

/** The organisation's first local day: no summary covers a week that began before it. */
export async function createdOnOf(db: Database, organisation: SummaryOrganisation): Promise<string> {
  let createdAt = organisation.createdAt;
  if (!createdAt) {
    const [row] = await db
      .select({ createdAt: organisations.createdAt })
      .from(organisations)
      .where(eq(organisations.id, organisation.id));
    createdAt = row?.createdAt ?? new Date(0);
  }
  return localMoment(createdAt, organisation.timeZone).date;
}

/**
 * One organisation's scheduled summary, if it is due now in its own time zone (its day, from its
 * hour; never a week that began before the organisation existed) and some recipient does not have
 * this ISO week's yet. Safe to run any number of times, from any number of workers.
 */
export async function sendDueWeeklySummary(
  deps: SummaryDeps,
  organisation: SummaryOrganisation,
  now: Date,
): Promise<DueOutcome> {
  const settings = parseOrganisationSettings(organisation.settings);
  const schedule = settings.weeklySummary;
  const createdOn = await createdOnOf(deps.db, organisation);
  const week = summaryWeek(now, organisation.timeZone, schedule, createdOn);
  if (!schedule.enabled) return { status: 'disabled', isoWeek: week.isoWeek };
  if (week.beforeOrganisation) return { status: 'before_organisation', isoWeek: week.isoWeek };
  if (!week.due) return { status: 'not_due', isoWeek: week.isoWeek };
  const recipients = summaryRecipients(settings);
  if (recipients.length === 0) return { status: 'no_recipients', isoWeek: week.isoWeek };
  const copies = recipients.map((email) => ({ email, key: weeklySummaryKey(week.isoWeek, email) }));
  const taken = await deps.db
    .select({ key: outboundMessages.idempotencyKey })
    .from(outboundMessages)
    .where(
      and(
        eq(outboundMessages.orgId, organisation.id),
        inArray(
          outboundMessages.idempotencyKey,
          copies.map((copy) => copy.key),
        ),
      ),
    );
  const missing = copies.filter((copy) => !taken.some((row) => row.key === copy.key));
  if (missing.length === 0) return { status: 'already_sent', isoWeek: week.isoWeek };
  const summary = await buildWeeklySummary(deps.db, organisation.id, {
    now,
    timeZone: organisation.timeZone,
    weekEnding: week.to,
    isoWeek: week.isoWeek,
  });
  const messageIds = await queueSummary(deps, summary, missing, now);
  return messageIds.length === 0
    ? { status: 'already_sent', isoWeek: week.isoWeek }
    : { status: 'queued', isoWeek: week.isoWeek, messageIds };
}

/**
 * The hourly round's list: every organisation with a ledger connection (working or not: a broken one
 * is news for the summary) whose summary is due now in its own time zone and is switched on.
 */
export async function dueWeeklySummaryOrganisations(
  db: Database,
  now: Date,
): Promise<Array<Required<SummaryOrganisation>>> {
  const candidates = await summaryCandidates(db);
  const due = candidates.flatMap((organisation) => {
    const settings = parseOrganisationSettings(organisation.settings).weeklySummary;
    const createdOn = localMoment(organisation.createdAt, organisation.timeZone).date;
    const week = summaryWeek(now, organisation.timeZone, settings, createdOn);
    return settings.enabled && week.due ? [{ organisation, isoWeek: week.isoWeek }] : [];
  });
  if (due.length === 0) return [];
  // Once this week's summary has gone, the organisation stays "due" until its day ends: without this,
  // every hour would queue a job that finds nothing to send.
  const sent = await db
    .selectDistinct({ orgId: outboundMessages.orgId, key: outboundMessages.idempotencyKey })
    .from(outboundMessages)
    .where(
      and(
        inArray(
          outboundMessages.orgId,
          due.map(({ organisation }) => organisation.id),
        ),
        or(
          ...due.map(({ isoWeek }) =>
            like(outboundMessages.idempotencyKey, `${weeklySummaryKey(isoWeek, '')}%`),
          ),
        ),
      ),
    );
  return due
    .filter(
      ({ organisation, isoWeek }) =>
        !sent.some(
          (row) => row.orgId === organisation.id && row.key.startsWith(weeklySummaryKey(isoWeek, '')),
        ),
    )
    .map(({ organisation }) => organisation);
}

/** Every organisation with a ledger connection (working or not: a broken one is news for the summary). */
export function summaryCandidates(db: Database): Promise<Array<Required<SummaryOrganisation>>> {
  return db
    .select({
      id: organisations.id,
      timeZone: organisations.timeZone,
      settings: organisations.settings,
      createdAt: organisations.createdAt,
    })
    .from(organisations)
    .where(
      exists(
        db
          .select({ id: ledgerConnections.id })
          .from(ledgerConnections)
          .where(eq(ledgerConnections.orgId, organisations.id)),
      ),
    );
}

/** One organisation's summary, by id, as its own job does it. */
export async function sendDueWeeklySummaryOf(
  deps: SummaryDeps,
  orgId: string,
  now: Date,
): Promise<DueOutcome | null> {
  const [organisation] = await deps.db
    .select({
      id: organisations.id,
      timeZone: organisations.timeZone,
      settings: organisations.settings,
      createdAt: organisations.createdAt,
    })
    .from(organisations)
    .where(eq(organisations.id, orgId));
  return organisation ? sendDueWeeklySummary(deps, organisation, now) : null;
}

/**
 * Every due organisation's summary in one go (tests and small installations). One that fails is
 * logged and retried next hour; the others go meanwhile.
 */
export async function sendDueWeeklySummaries(
  deps: SummaryDeps,
  now: Date,
): Promise<{ organisations: number; queued: number; failed: string[] }> {
  const due = await dueWeeklySummaryOrganisations(deps.db, now);
  let queued = 0;
  const failed: string[] = [];
  for (const organisation of due) {
    try {
      const outcome = await sendDueWeeklySummary(deps, organisation, now);
      if (outcome.status === 'queued') queued += outcome.messageIds.length;
    } catch (error) {
      failed.push(organisation.id);
      deps.logger?.error({ orgId: organisation.id, err: error }, 'could not queue the weekly summary');
    }
  }
  return { organisations: due.length, queued, failed };
}
