import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { ownerNotificationSettings } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import type { ServiceContext } from '../services/context.js';
import { organisationProfile } from './settings.js';

/** A Slack incoming webhook: https://hooks.slack.com/services/…, nothing else. */
export const slackWebhookSchema = z
  .url({
    protocol: /^https$/,
    hostname: /^hooks\.slack\.com$/,
    error: 'must be a Slack incoming-webhook address',
  })
  .max(500)
  .refine((url) => new URL(url).pathname.startsWith('/services/'), {
    error: 'must be a Slack incoming-webhook address (https://hooks.slack.com/services/…)',
  });

/** How the organisation hears about what debtors do: who gets the digest, and whether Slack does. */
export async function ownerNotificationsOf(ctx: ServiceContext) {
  const [profile, [slack]] = await Promise.all([
    organisationProfile(ctx.db, ctx.orgId),
    ctx.db
      .select({ url: ownerNotificationSettings.slackWebhookUrl })
      .from(ownerNotificationSettings)
      .where(eq(ownerNotificationSettings.orgId, ctx.orgId)),
  ]);
  return {
    email: profile?.settings.notifyEmail ?? null,
    // The URL is a secret: the page shows that one is set, never the URL.
    slack: Boolean(slack?.url),
  };
}

/** Sets (or, with an empty value, removes) the Slack webhook the owner digest is posted to. */
export async function saveSlackWebhook(ctx: ServiceContext, typed: string): Promise<void> {
  const value = typed.trim();
  let url: string | null = null;
  if (value !== '') {
    const parsed = slackWebhookSchema.safeParse(value);
    if (!parsed.success)
      throw new AppError(
        400,
        'invalid_request',
        'The Slack address must be an incoming-webhook address: https://hooks.slack.com/services/…',
      );
    url = parsed.data;
  }
  await ctx.db
    .insert(ownerNotificationSettings)
    .values({ orgId: ctx.orgId, slackWebhookUrl: url })
    .onConflictDoUpdate({
      target: ownerNotificationSettings.orgId,
      set: { slackWebhookUrl: url, updatedAt: ctx.now },
    });
}
