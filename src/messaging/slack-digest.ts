import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { ownerDigests, ownerNotificationSettings } from '../db/schema/index.js';
import type { Logger } from '../logger.js';

/** The only place Slack incoming webhooks live. */
export const slackOrigin = 'https://hooks.slack.com';

export interface SlackDeps {
  db: Database;
  /** Where Slack's webhooks are reached: Slack itself, or a stand-in (as the vendor emulators are). */
  slackBaseUrl?: string;
  timeoutMs?: number;
  logger?: Logger;
}

/** A post whose fate a crash left unknown: after this long it is not retried (never posted twice). */
const inFlightMs = 120_000;
const maxAttempts = 5;

/**
 * Posts the digests waiting for Slack: each one claimed first (`sending`, with the moment), posted, and
 * recorded `sent`; a refusal or a timeout is `failed` and retried on the next run, up to five times
 * (4xx other than 429 are final: the hook is gone or wrong). Slack's webhooks take no idempotency key,
 * so a post a crash caught mid-way is marked `uncertain`, never sent again. The webhook URL is a secret:
 * it is never logged nor kept in an error.
 */
export async function postSlackDigests(
  deps: SlackDeps,
  now: Date,
): Promise<{ sent: number; failed: number; uncertain: number }> {
  const { db } = deps;
  const lost = await db
    .update(ownerDigests)
    .set({ slackStatus: 'uncertain', slackError: 'the post was under way when its worker stopped' })
    .where(
      and(
        eq(ownerDigests.slackStatus, 'sending'),
        lt(ownerDigests.slackSentAt, new Date(now.getTime() - inFlightMs)),
      ),
    )
    .returning({ id: ownerDigests.id });
  const claimed = await db
    .update(ownerDigests)
    .set({ slackStatus: 'sending', slackAttempts: sql`${ownerDigests.slackAttempts} + 1`, slackSentAt: now })
    .where(
      inArray(
        ownerDigests.id,
        db
          .select({ id: ownerDigests.id })
          .from(ownerDigests)
          .where(
            and(
              inArray(ownerDigests.slackStatus, ['pending', 'failed']),
              lt(ownerDigests.slackAttempts, maxAttempts),
            ),
          )
          .limit(50)
          .for('update', { skipLocked: true }),
      ),
    )
    .returning({ id: ownerDigests.id, orgId: ownerDigests.orgId, text: ownerDigests.slackText });
  let sent = 0;
  let failed = 0;
  for (const digest of claimed) {
    const [setting] = await db
      .select({ url: ownerNotificationSettings.slackWebhookUrl })
      .from(ownerNotificationSettings)
      .where(eq(ownerNotificationSettings.orgId, digest.orgId));
    const outcome = setting?.url
      ? await post(deps, setting.url, digest.text ?? '')
      : { ok: false as const, final: true, error: 'no Slack webhook is set any more' };
    await db
      .update(ownerDigests)
      .set(
        outcome.ok
          ? { slackStatus: 'sent', slackSentAt: new Date(), slackError: null }
          : {
              slackStatus: 'failed',
              slackError: outcome.error,
              ...(outcome.final ? { slackAttempts: maxAttempts } : {}),
            },
      )
      .where(eq(ownerDigests.id, digest.id));
    if (outcome.ok) sent++;
    else {
      failed++;
      deps.logger?.warn(
        { orgId: digest.orgId, digestId: digest.id, problem: outcome.error },
        'Slack digest not posted',
      );
    }
  }
  return { sent, failed, uncertain: lost.length };
}

type PostOutcome = { ok: true } | { ok: false; final: boolean; error: string };

async function post(deps: SlackDeps, webhookUrl: string, text: string): Promise<PostOutcome> {
  const stored = new URL(webhookUrl);
  const target = new URL(`${stored.pathname}${stored.search}`, deps.slackBaseUrl ?? slackOrigin);
  try {
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
    });
    await response.body?.cancel();
    if (response.ok) return { ok: true };
    return {
      ok: false,
      final: response.status >= 400 && response.status < 500 && response.status !== 429,
      error: `Slack answered ${response.status}`,
    };
  } catch (error) {
    // Only the kind of failure: the error's text may hold the URL.
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return {
      ok: false,
      final: false,
      error: timedOut ? 'Slack did not answer in time' : 'Slack could not be reached',
    };
  }
}
