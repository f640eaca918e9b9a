import { organisationOf } from '../organisations/organisation-of.js';
import { organisationSettingsSchema, saveOrganisationSettings } from '../organisations/settings.js';
import type { ServiceContext } from '../services/context.js';
import { problemsInWords } from '../words/problems.js';
import { settingsFieldWords } from '../words/settings-fields.js';

/** The monthly statement as the settings form sends it: a tick and the day as typed. */
export interface MonthlyStatementForm {
  enabled: boolean;
  day: string;
}

/** The day as typed, as a number; NaN when it is not a whole number (the check then says so). */
const dayOf = (typed: string) => (/^\s*\d{1,3}\s*$/.test(typed) ? Number(typed) : Number.NaN);

/**
 * Turns the monthly statement on or off and sets its day, on top of the other settings. Every problem
 * by field ("monthlyStatement.day"), and nothing saved, when refused. The day is checked even when
 * statements are off, so what is shown is what is kept.
 */
export async function saveMonthlyStatement(
  ctx: ServiceContext,
  form: MonthlyStatementForm,
): Promise<{ ok: true } | { ok: false; problems: Map<string, string[]> }> {
  const profile = await organisationOf(ctx);
  const parsed = organisationSettingsSchema.safeParse({
    ...profile.settings,
    monthlyStatement: { enabled: form.enabled, day: dayOf(form.day) },
  });
  if (!parsed.success)
    return { ok: false, problems: problemsInWords(parsed.error.issues, settingsFieldWords) };
  await saveOrganisationSettings(ctx.db, ctx.orgId, parsed.data);
  return { ok: true };
}
