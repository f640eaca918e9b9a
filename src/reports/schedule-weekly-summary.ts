import { z } from 'zod';
import type { ServiceContext } from '../services/context.js';
import { problemsInWords } from '../words/problems.js';
import { settingsFieldWords } from '../words/settings-fields.js';
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
    const problems = [...problemsInWords(error.issues, settingsFieldWords).values()].flat();
    return { ok: false, problems };
  }
}
