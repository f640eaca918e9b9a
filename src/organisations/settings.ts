import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { CreditTarget } from '../../connectors/ledger.js';
import type { Database, Writer } from '../db/client.js';
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

export async function saveOrganisationSettings(
  db: Database,
  orgId: string,
  settings: OrganisationSettings,
): Promise<void> {
  await db.update(organisations).set({ settings }).where(eq(organisations.id, orgId));
}

export type { CreditTarget };
