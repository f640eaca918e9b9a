import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { CreditTarget } from '../../connectors/ledger.js';
import type { Writer } from '../db/client.js';
import { organisations } from '../db/schema/index.js';

const creditTargetSchema = z.object({
  /** QuickBooks item id or Xero account code, chosen from the ledger's own. */
  ref: z.string().trim().min(1).max(60),
  description: z.string().trim().min(1).max(200),
});

const httpsUrl = z
  .url({ protocol: /^https$/, error: 'must be an https:// address' })
  .max(500)
  .nullable()
  .default(null);

const summaryAddress = z.email().max(200).toLowerCase();

/** The weekly summary email to the business: when (in the organisation's time zone) and to whom. */
export const weeklySummarySettingsSchema = z.object({
  enabled: z.boolean().default(true),
  /** 1 = Monday … 7 = Sunday. */
  weekday: z.number().int().min(1).max(7).default(1),
  /** Local hour, 0–23: the summary goes at the first run at or after it. */
  hour: z.number().int().min(0).max(23).default(8),
  /** Who gets it; none chosen: the notification address, else the contact address. */
  recipients: z.array(summaryAddress).max(20).default([]),
  /**
   * Addresses that unsubscribed with the link in a summary. Changed only by that link (see
   * reports/weekly-summary-settings.ts): saving the settings keeps the stored list.
   */
  unsubscribed: z.array(summaryAddress).max(500).default([]),
});
export type WeeklySummarySettings = z.infer<typeof weeklySummarySettingsSchema>;

/**
 * The statement of account emailed each month to every debtor who owes something: off unless the
 * organisation turns it on; on `day` of the month (1–28, so every month has it) in its time zone.
 */
export const monthlyStatementSettingsSchema = z.object({
  enabled: z.boolean().default(false),
  day: z.number().int().min(1).max(28).default(1),
});
export type MonthlyStatementSettings = z.infer<typeof monthlyStatementSettingsSchema>;

/** How the organisation presents itself to debtors, and where credits are booked. */
export const organisationSettingsSchema = z.object({
  /** Shown on the portal and in emails: how a debtor reaches a person. */
  contactEmail: z.email().max(200).nullable().default(null),
  contactPhone: z.string().trim().max(40).nullable().default(null),
  /** Shown when an invoice has no online payment link (bank details, cheque address). */
  paymentInstructions: z.string().trim().max(1000).nullable().default(null),
  logoUrl: httpsUrl,
  brandColour: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1a5fb4')
    .default('#1a5fb4'),
  /** Who hears about disputes and plans waiting for approval. */
  notifyEmail: z.email().max(200).nullable().default(null),
  /** The bad-debt account (Xero) or item (QuickBooks) a write-off is credited to. */
  writeOffTarget: creditTargetSchema.nullable().default(null),
  /** Where the forgiven part of a settlement is credited. */
  settlementTarget: creditTargetSchema.nullable().default(null),
  weeklySummary: weeklySummarySettingsSchema.prefault({}),
  monthlyStatement: monthlyStatementSettingsSchema.prefault({}),
  /**
   * The time zone connecting suggested, and where from: the books' own setting (Xero), the company
   * address's state or the country (QuickBooks has no zone). Null: nothing was known (it stayed UTC).
   */
  timeZoneOrigin: z
    .object({ timeZone: z.string().max(64), source: z.enum(['ledger', 'region', 'country']) })
    .nullable()
    .default(null),
  /** The owner confirmed or chose the time zone on the go-live checklist. */
  timeZoneConfirmed: z.boolean().default(false),
});
export type OrganisationSettings = z.infer<typeof organisationSettingsSchema>;

/** An organisation's settings with defaults for anything never set (or no longer valid). */
export function parseOrganisationSettings(stored: unknown): OrganisationSettings {
  const parsed = organisationSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : organisationSettingsSchema.parse({});
}

export interface OrganisationProfile {
  id: string;
  name: string;
  timeZone: string;
  currency: string;
  country: string | null;
  settings: OrganisationSettings;
}

export async function organisationProfile(db: Writer, orgId: string): Promise<OrganisationProfile | null> {
  const [row] = await db
    .select({
      id: organisations.id,
      name: organisations.name,
      timeZone: organisations.timeZone,
      currency: organisations.currency,
      country: organisations.country,
      settings: organisations.settings,
    })
    .from(organisations)
    .where(eq(organisations.id, orgId));
  return row ? { ...row, settings: parseOrganisationSettings(row.settings) } : null;
}

/**
 * Saves the settings as given, except the weekly summary's unsubscribed addresses: those are the
 * recipients' own choice, so a form or API client that round-trips an old list cannot undo them.
 */
export async function saveOrganisationSettings(
  db: Writer,
  orgId: string,
  settings: OrganisationSettings,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [stored] = await tx
      .select({ settings: organisations.settings })
      .from(organisations)
      .where(eq(organisations.id, orgId))
      .for('update');
    if (!stored) return;
    const { unsubscribed } = parseOrganisationSettings(stored.settings).weeklySummary;
    await tx
      .update(organisations)
      .set({ settings: { ...settings, weeklySummary: { ...settings.weeklySummary, unsubscribed } } })
      .where(eq(organisations.id, orgId));
  });
}

/** Sets the organisation's time zone (its business hours, its "today"). */
export async function saveTimeZone(db: Writer, orgId: string, timeZone: string): Promise<void> {
  await db.update(organisations).set({ timeZone }).where(eq(organisations.id, orgId));
}

export type { CreditTarget };
