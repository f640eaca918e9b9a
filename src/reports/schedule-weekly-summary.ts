import { z } from 'zod';
import type { ServiceContext } from '../services/context.js';
import { saveWeeklySummarySchedule } from './weekly-summary-settings.js';

export interface SummarySchedule {
  enabled: boolean;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Local hour, 0–23; NaN when what was typed is not a whole number. */
  hour: number;
  recipients: string[];
}

/** When the weekly summary goes and to whom; every problem in words, and nothing saved, when refused. */
export async function scheduleWeeklySummary(
  ctx: ServiceContext,
  schedule: SummarySchedule,
): Promise<{ ok: true } | { ok: false; problems: string[] }> {
  try {
    await saveWeeklySummarySchedule(ctx.db, ctx.orgId, schedule);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    const problems = error.issues.map((issue) => {
      const [field, index] = issue.path;
      if (field === 'recipients' && typeof index === 'number')
        return `Recipient ${index + 1} is not an email address.`;
      if (field === 'hour') return 'The hour is a whole number from 0 to 23.';
      if (field === 'recipients') return 'At most 20 recipients.';
      return `${String(field)}: ${issue.message}`;
    });
    return { ok: false, problems };
  }
}
