import { localeOf } from '../domain/locale.js';
import { organisationOf } from '../organisations/organisation-of.js';
import { ownerNotificationsOf } from '../organisations/owner-notifications.js';
import type { ServiceContext } from '../services/context.js';
import { type ActivityFilter, type ActivityPage, activityFeed } from './activity-feed.js';

export interface ActivityPageData {
  feed: ActivityPage;
  filter: ActivityFilter;
  locale: string;
  timeZone: string;
  /** How the owner hears of what debtors do: the digest's email address, and whether Slack is set. */
  hearing: { email: string | null; slack: boolean };
}

/** The activity feed page: one page of the organisation's activity, and how the owner hears of it. */
export async function activityPage(
  ctx: ServiceContext,
  request: { filter: ActivityFilter; before?: string },
): Promise<ActivityPageData> {
  const [feed, profile, hearing] = await Promise.all([
    activityFeed(ctx.db, {
      orgId: ctx.orgId,
      filter: request.filter,
      ...(request.before ? { before: request.before } : {}),
    }),
    organisationOf(ctx),
    ownerNotificationsOf(ctx),
  ]);
  return {
    feed,
    filter: request.filter,
    locale: localeOf(profile.country),
    timeZone: profile.timeZone,
    hearing,
  };
}
