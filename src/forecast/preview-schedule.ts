import { checkSchedule, type ScheduleChange } from '../collections/save-schedule.js';
import { type PolicyEdit, type SchedulePage, schedulePage } from '../collections/schedule-page.js';
import { localeOf } from '../domain/locale.js';
import { notFound } from '../errors.js';
import type { ServiceContext } from '../services/context.js';
import { type ForecastDifference, forecastDifference } from './difference.js';
import { forecastDays, forecastOf, loadForecastInputs } from './forecast.js';

export type SchedulePreview =
  | {
      ok: true;
      days: number;
      debtors: number;
      timeZone: string;
      currency: string;
      /** How the organisation writes dates and money. */
      locale: string;
      /** How many steps each forecast holds. */
      before: number;
      after: number;
      difference: ForecastDifference;
    }
  | { ok: false; problems: Map<string, string[]> };

/**
 * What a change of the schedule would change over the next 30 days, before it is saved: the forecast
 * under the policy in force and under the one submitted (with its time zone), over the same debtors
 * read once, and the steps added, removed and moved. Nothing is saved; a change that would not save
 * gives its problems instead.
 */
export async function previewScheduleChange(
  ctx: ServiceContext,
  change: Omit<ScheduleChange, 'basedOnVersion'>,
): Promise<SchedulePreview> {
  const checked = await checkSchedule(ctx, change);
  if (!checked.ok) return checked;
  const inputs = await loadForecastInputs(ctx.db, ctx.orgId, { now: ctx.now });
  if (!inputs) throw notFound('organisation');
  const before = forecastOf(inputs, { from: ctx.now });
  const after = forecastOf(inputs, { from: ctx.now, policy: checked.policy, timeZone: change.timeZone });
  return {
    ok: true,
    days: forecastDays,
    debtors: inputs.snapshots.length,
    timeZone: change.timeZone,
    currency: inputs.org.currency,
    locale: localeOf(checked.profile.country),
    before: before.entries.length,
    after: after.entries.length,
    difference: forecastDifference(before.entries, after.entries),
  };
}

/** The schedule page redrawn with the submitted change, and what that change would do (nothing saved). */
export async function schedulePreviewPage(
  ctx: ServiceContext,
  change: Omit<ScheduleChange, 'basedOnVersion' | 'edit'> & { edit: PolicyEdit },
): Promise<{ page: SchedulePage; preview: SchedulePreview }> {
  const [page, preview] = await Promise.all([
    schedulePage(ctx, change.edit),
    previewScheduleChange(ctx, change),
  ]);
  return { page, preview };
}
