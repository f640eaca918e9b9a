import { z } from 'zod';
import { isCurrencyCode, type Money } from '../../domain/money.js';
import { tones } from '../../domain/policy.js';
import { type TemplateContext, TemplateError } from './types.js';

const isoDatePattern = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'https:' || protocol === 'http:';
}

/** A valid BCP 47 tag the platform can format in, else plain English (never a crash at send time). */
export function resolveLocale(tag: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (canonical && Intl.NumberFormat.supportedLocalesOf(canonical).length > 0) return canonical;
  } catch {
    // An invalid tag falls through to the default.
  }
  return 'en';
}

const text = (max: number) => z.string().max(max);
const money = z.object({
  amountMinor: z.number().int().refine(Number.isSafeInteger, 'too large'),
  currency: z.string().refine(isCurrencyCode, 'not an ISO 4217 currency code'),
});
const isoDate = z.string().regex(isoDatePattern, 'an ISO date such as 2026-11-03');

/**
 * What Liquid sees: exactly the documented fields (unknown keys are dropped, so nothing else leaks
 * into a template), with pay links that are not http(s) removed and the locale resolved.
 */
const scopeSchema = z.object({
  organisation: z.object({
    name: text(300),
    email: text(320).nullable(),
    phone: text(60).nullable(),
    locale: text(35).transform(resolveLocale),
    paymentInstructions: text(2000).nullable(),
    // The frame's brand (see `layout.ts`), not merge fields: anything but a plain colour or an
    // https image is left out rather than stop an email.
    brandColour: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/)
      .nullish()
      .transform((value) => value ?? null)
      .catch(null),
    logoUrl: text(2000)
      .refine((url) => URL.canParse(url) && new URL(url).protocol === 'https:')
      .nullish()
      .transform((value) => value ?? null)
      .catch(null),
  }),
  debtor: z.object({ name: text(300) }),
  contact: z.object({ name: text(300).nullable(), email: text(320) }),
  invoices: z
    .array(
      z.object({
        number: text(60).nullable(),
        dueDate: isoDate,
        daysOverdue: z.number().int(),
        balance: money,
        total: money,
        // Ledger data: a link that is not http(s) (javascript:, data:) is dropped, and the
        // templates fall back to the portal link.
        payUrl: text(2000)
          .nullable()
          .transform((url) => (url !== null && isHttpUrl(url) ? url : null)),
      }),
    )
    .min(1)
    .max(2000),
  totals: z.array(money).min(1).max(50),
  maxDaysOverdue: z.number().int(),
  portalUrl: text(2000).refine(isHttpUrl, 'an http(s) address'),
  lateFee: z.object({ explanation: text(1000), total: money }).nullable(),
  brokenPromise: z.object({ promisedDate: isoDate }).nullable(),
  /** Unapplied credit the debtor holds in the invoices' currencies (credit notes, overpayments). */
  credits: z
    .array(money)
    .max(50)
    .nullish()
    .transform((value) => value ?? []),
  installment: z
    .object({ number: z.number().int(), of: z.number().int(), amount: money, dueDate: isoDate })
    .nullish()
    .transform((value) => value ?? null),
  settlement: z
    .object({ amount: money, payBy: isoDate })
    .nullish()
    .transform((value) => value ?? null),
  step: z.object({
    key: text(60),
    tone: z.enum(tones),
    nextAction: z
      .enum(['agency_referral', 'small_claims'])
      .nullish()
      .transform((value) => value ?? null),
  }),
});

export type TemplateScope = z.output<typeof scopeSchema>;

/** Checks a context and projects it onto the fields templates may use. */
export function toScope(context: TemplateContext): TemplateScope {
  const parsed = scopeSchema.safeParse(context);
  if (parsed.success) return parsed.data;
  throw new TemplateError(
    parsed.error.issues.map((issue) => `context.${issue.path.join('.') || '(root)'}: ${issue.message}`),
  );
}

const gbp = (amountMinor: number): Money => ({ amountMinor, currency: 'GBP' });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** A realistic debtor for previews and for validating templates (frozen: merge, do not mutate). */
export const sampleContext: TemplateContext = deepFreeze({
  organisation: {
    name: 'Harbour Lane Joinery Ltd',
    email: 'accounts@harbourlanejoinery.co.uk',
    phone: '0161 496 0734',
    locale: 'en-GB',
    paymentInstructions: 'Bank transfer to Harbour Lane Joinery Ltd\nSort code 04-00-04, account 12345678',
  },
  debtor: { name: 'Kestrel Café Co.' },
  contact: { name: 'Priya Shah', email: 'priya@kestrelcafe.example' },
  invoices: [
    {
      number: 'INV-1042',
      dueDate: '2026-10-20',
      daysOverdue: 28,
      balance: gbp(124_550),
      total: gbp(124_550),
      payUrl: 'https://pay.example.com/invoices/1042?ref=HLJ&src=email',
    },
    {
      number: 'INV-1057',
      dueDate: '2026-11-03',
      daysOverdue: 14,
      balance: gbp(38_000),
      total: gbp(58_000),
      payUrl: 'https://pay.example.com/invoices/1057?ref=HLJ',
    },
  ],
  totals: [gbp(162_550)],
  maxDaysOverdue: 28,
  portalUrl: 'https://app.dunwell.example/p/k3stre1?sig=5f2a9c&exp=1795478400',
  lateFee: null,
  brokenPromise: null,
  step: { key: 'reminder', tone: 'neutral', nextAction: null },
});

const sparseContext: TemplateContext = deepFreeze({
  ...sampleContext,
  organisation: { ...sampleContext.organisation, email: null, phone: null, paymentInstructions: null },
  contact: { name: null, email: 'accounts@kestrelcafe.example' },
  invoices: [
    {
      number: null,
      dueDate: '2026-11-20',
      daysOverdue: -3,
      balance: gbp(9_900),
      total: gbp(9_900),
      payUrl: null,
    },
  ],
  totals: [gbp(9_900)],
  maxDaysOverdue: -3,
  step: { key: 'heads-up', tone: 'friendly' },
});

/** The sample with every optional part set: three currencies, a late fee, a broken promise, a next action. */
export const richSampleContext: TemplateContext = deepFreeze({
  ...sampleContext,
  invoices: [
    ...sampleContext.invoices,
    {
      number: 'INV-1060',
      dueDate: '2026-09-30',
      daysOverdue: 48,
      balance: { amountMinor: 75_000, currency: 'EUR' },
      total: { amountMinor: 75_000, currency: 'EUR' },
      payUrl: null,
    },
    {
      number: 'INV-1061',
      dueDate: '2026-10-01',
      daysOverdue: 1,
      balance: { amountMinor: 120_000, currency: 'JPY' },
      total: { amountMinor: 120_000, currency: 'JPY' },
      payUrl: 'https://pay.example.com/invoices/1061',
    },
  ],
  totals: [gbp(162_550), { amountMinor: 75_000, currency: 'EUR' }, { amountMinor: 120_000, currency: 'JPY' }],
  maxDaysOverdue: 48,
  lateFee: {
    explanation: 'Our terms allow a late-payment charge of 2% a month on overdue balances.',
    total: gbp(3_251),
  },
  brokenPromise: { promisedDate: '2026-11-10' },
  installment: { number: 2, of: 4, amount: gbp(40_638), dueDate: '2026-12-01' },
  settlement: { amount: gbp(121_913), payBy: '2026-12-07' },
  step: { key: 'final', tone: 'final', nextAction: 'agency_referral' },
});

const usContext: TemplateContext = deepFreeze({
  ...richSampleContext,
  organisation: { ...richSampleContext.organisation, locale: 'en-US' },
  step: { key: 'final', tone: 'final', nextAction: 'small_claims' },
});

/**
 * The contexts a template must render against to be valid: the sample, one with every optional
 * field empty, and ones with every optional field set, so a branch that only some debtors reach is
 * still checked.
 */
export const validationContexts: readonly TemplateContext[] = [
  sampleContext,
  sparseContext,
  richSampleContext,
  usContext,
];

/** The shape of the scope, for checking field names a template uses in branches no sample reaches. */
export type Shape = 'value' | readonly [Shape] | { readonly [key: string]: Shape };

const moneyShape: Shape = { amountMinor: 'value', currency: 'value' };
export const scopeShape: Shape = {
  organisation: {
    name: 'value',
    email: 'value',
    phone: 'value',
    locale: 'value',
    paymentInstructions: 'value',
  },
  debtor: { name: 'value' },
  contact: { name: 'value', email: 'value' },
  invoices: [
    {
      number: 'value',
      dueDate: 'value',
      daysOverdue: 'value',
      balance: moneyShape,
      total: moneyShape,
      payUrl: 'value',
    },
  ],
  totals: [moneyShape],
  maxDaysOverdue: 'value',
  portalUrl: 'value',
  lateFee: { explanation: 'value', total: moneyShape },
  brokenPromise: { promisedDate: 'value' },
  credits: [moneyShape],
  installment: { number: 'value', of: 'value', amount: moneyShape, dueDate: 'value' },
  settlement: { amount: moneyShape, payBy: 'value' },
  step: { key: 'value', tone: 'value', nextAction: 'value' },
};
