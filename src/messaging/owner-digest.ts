import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import {
  customers,
  outboundMessages,
  ownerDigests,
  ownerEvents,
  ownerNotificationSettings,
} from '../db/schema/index.js';
import { localeOf } from '../domain/locale.js';
import { organisationProfile } from '../organisations/settings.js';
import { type DigestEvent, renderOwnerDigest, renderSlackDigest } from './render/owner-digest-email.js';

/** At most this many events in one digest; more wait for the next (a flood is never one long email). */
const eventsPerDigest = 100;

export type DigestOutcome =
  | { status: 'sent'; digestId: string; messageId: string | null; slack: boolean; events: number }
  | { status: 'waiting'; until: Date }
  | { status: 'nothing' };

/** Organisations with events no digest has carried yet. */
export async function organisationsWithOwnerEvents(db: Database): Promise<string[]> {
  const rows = await db
    .selectDistinct({ orgId: ownerEvents.orgId })
    .from(ownerEvents)
    .where(isNull(ownerEvents.digestId));
  return rows.map((row) => row.orgId);
}

/**
 * Gathers one organisation's waiting events into a digest, unless its last digest is less than
 * `windowMinutes` old: at most one per window, however many events. In one transaction, under a lock
 * per organisation: the digest, its email in the outbox (to whoever hears about disputes; delivered
 * exactly once by the outbox), its Slack post waiting to be claimed, and the events marked as carried.
 * A crash before the commit leaves the events waiting; after it, nothing is gathered twice.
 */
export async function digestOwnerEvents(
  db: Database,
  request: { orgId: string; now: Date; windowMinutes: number; baseUrl: string },
): Promise<DigestOutcome> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`owner-digest:${request.orgId}`}, 0))`,
    );
    const [last] = await tx
      .select({ at: ownerDigests.createdAt })
      .from(ownerDigests)
      .where(eq(ownerDigests.orgId, request.orgId))
      .orderBy(desc(ownerDigests.createdAt))
      .limit(1);
    const until = last ? new Date(last.at.getTime() + request.windowMinutes * 60_000) : null;
    if (until && until > request.now) return { status: 'waiting', until };
    const events = await tx
      .select({
        id: ownerEvents.id,
        kind: ownerEvents.kind,
        summary: ownerEvents.summary,
        amountMinor: ownerEvents.amountMinor,
        currency: ownerEvents.currency,
        occurredAt: ownerEvents.occurredAt,
        customerName: customers.name,
      })
      .from(ownerEvents)
      .leftJoin(customers, eq(customers.id, ownerEvents.customerId))
      .where(and(eq(ownerEvents.orgId, request.orgId), isNull(ownerEvents.digestId)))
      .orderBy(asc(ownerEvents.occurredAt))
      .limit(eventsPerDigest)
      .for('update', { of: ownerEvents, skipLocked: true });
    if (events.length === 0) return { status: 'nothing' };
    const profile = await organisationProfile(tx, request.orgId);
    if (!profile) return { status: 'nothing' };
    const [slackSetting] = await tx
      .select({ url: ownerNotificationSettings.slackWebhookUrl })
      .from(ownerNotificationSettings)
      .where(eq(ownerNotificationSettings.orgId, request.orgId));
    const organisation = { name: profile.name, locale: localeOf(profile.country) };
    const zone = new Intl.DateTimeFormat('sv-SE', {
      timeZone: profile.timeZone,
      dateStyle: 'short',
      timeStyle: 'short',
    });
    const digestEvents: DigestEvent[] = events.map((event) => ({
      kind: event.kind,
      customerName: event.customerName ?? 'A customer',
      summary: event.summary,
      amount:
        event.amountMinor !== null && event.currency
          ? { amountMinor: event.amountMinor, currency: event.currency }
          : null,
      at: zone.format(event.occurredAt),
    }));
    const app = `${request.baseUrl}/app/${request.orgId}`;
    const links = { reviewUrl: `${app}/review`, activityUrl: `${app}/activity` };
    const digestId = randomUUID();
    const recipient = profile.settings.notifyEmail;
    let messageId: string | null = null;
    if (recipient) {
      const email = renderOwnerDigest(organisation, digestEvents, links);
      const [message] = await tx
        .insert(outboundMessages)
        .values({
          orgId: request.orgId,
          customerId: null,
          purpose: 'notice',
          idempotencyKey: `owner-digest:${digestId}`,
          to: [{ email: recipient }],
          subject: email.subject,
          template: 'owner-digest',
          bodyText: email.text,
          bodyHtml: email.html,
          sendAfter: request.now,
        })
        .returning({ id: outboundMessages.id });
      messageId = message?.id ?? null;
    }
    const slack = Boolean(slackSetting?.url);
    await tx.insert(ownerDigests).values({
      id: digestId,
      orgId: request.orgId,
      events: events.length,
      messageId,
      slackStatus: slack ? 'pending' : 'none',
      slackText: slack ? renderSlackDigest(organisation, digestEvents, links) : null,
      createdAt: request.now,
    });
    await tx
      .update(ownerEvents)
      .set({ digestId })
      .where(
        inArray(
          ownerEvents.id,
          events.map((event) => event.id),
        ),
      );
    return { status: 'sent', digestId, messageId, slack, events: events.length };
  });
}
