import { organisationOf } from '../organisations/organisation-of.js';
import type { WeeklySummarySettings } from '../organisations/settings.js';
import type { ServiceContext } from '../services/context.js';
import { previewWeeklySummary } from './send-weekly-summary.js';
import type { WeeklySummaryLinks } from './summary-links.js';
import {
  sendNowPerHour,
  sendNowRecipients,
  summaryRecipients,
  verifiedPeople,
} from './weekly-summary-settings.js';

export interface WeeklySummaryPage {
  settings: WeeklySummarySettings;
  /** Who gets it now: the chosen recipients, else the notify or contact address. */
  audience: string[];
  /** "Send now": who gets a copy (the verified people among the audience), who could, and how often. */
  sendNow: { to: string[]; verified: string[]; perHour: number };
  timeZone: string;
  preview: { subject: string; html: string; text: string };
}

/** The weekly summary's settings page: when and to whom, this week's as it would go now, and send-now. */
export async function weeklySummaryPage(
  ctx: ServiceContext,
  links: WeeklySummaryLinks,
): Promise<WeeklySummaryPage> {
  const [profile, preview, verified] = await Promise.all([
    organisationOf(ctx),
    previewWeeklySummary(ctx.db, ctx.orgId, ctx.now, links),
    verifiedPeople(ctx.db, ctx.orgId),
  ]);
  return {
    settings: profile.settings.weeklySummary,
    audience: summaryRecipients(profile.settings),
    sendNow: { to: sendNowRecipients(profile.settings, verified), verified, perHour: sendNowPerHour },
    timeZone: profile.timeZone,
    preview,
  };
}
