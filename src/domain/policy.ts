import { z } from 'zod';

export const tones = ['friendly', 'neutral', 'firm', 'formal', 'final'] as const;
export type Tone = (typeof tones)[number];
/** How harsh a tone is, for "never harsher than" comparisons. */
export const toneRank: Record<Tone, number> = { friendly: 0, neutral: 1, firm: 2, formal: 3, final: 4 };

export const segments = [
  'new',
  'reliable',
  'forgetful',
  'strained',
  'chronic',
  'unresponsive',
  'disputing',
] as const;
export type Segment = (typeof segments)[number];

export type FlagKind = 'agency_referral' | 'settlement_offer' | 'write_off';

/** A step that is itself a contact a person makes with the debtor: a call, a letter to post. */
export type ContactTaskKind = 'call' | 'letter';
export const contactTaskKinds: ReadonlySet<string> = new Set<ContactTaskKind>(['call', 'letter']);

/** How a reminder step reaches the debtor: by email, by text, or both at once. */
export type ReminderVia = 'email' | 'text' | 'both';

/** How a step reached the debtor (an email, a call, a letter), or a task or flag for a person. */
export type StepKind = 'email' | 'task' | 'flag' | ContactTaskKind;

/** What a step's internal key is made of. */
export const stepKeyPattern = /^[a-z][a-z0-9-]{0,39}$/;
/** The longest step name: a short phrase, as a column of the schedule shows it. */
export const stepNameMaxLength = 60;

/**
 * A key for a new step from its name, not among `taken`: the name's letters without accents, in
 * lower case, words joined by dashes ("Deuxième relance" → "deuxieme-relance"), then "-2", "-3"… when
 * taken; "step" when the name has no letter or digit a key can keep.
 */
export function stepKeyFor(name: string, taken: ReadonlySet<string>): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  const base = slug === '' ? 'step' : slug;
  if (!taken.has(base)) return base;
  for (let suffix = 2; ; suffix++) if (!taken.has(`${base}-${suffix}`)) return `${base}-${suffix}`;
}

const stepSchema = z
  .object({
    /**
     * Stable internal key of the step; history refers to it, and it never changes once saved. A step
     * a person adds gets one made from its name (`stepKeyFor`); people see the name, never the key.
     */
    key: z.string().regex(stepKeyPattern, 'lowercase letters, digits and dashes'),
    /** The step's name as the business calls it ("Second reminder", "Relance amiable"): free text. */
    name: z.string().trim().min(1).max(stepNameMaxLength).optional(),
    /** Days relative to the due date; negative is before it. */
    offsetDays: z.number().int().min(-60).max(730),
    /**
     * How the step reaches the debtor: an email, a call a person makes, or a letter a person posts
     * (both rungs of the journey like an email, under the same contact cap); or a task or flag for a
     * person beside the journey.
     */
    action: z.enum(['email', 'call', 'letter', 'task', 'flag']),
    /**
     * For email steps: whether the reminder goes by email, by text (to a number with consent on
     * record; by email when there is none), or both at once, which is still one contact. Absent: by email.
     */
    via: z.enum(['email', 'text', 'both']).optional(),
    /** For email steps: the debtor's statement of account goes with the reminder, as a PDF. Absent: no. */
    attachStatement: z.boolean().optional(),
    template: z.string().min(1).max(60),
    tone: z.enum(tones),
    copyEscalationContacts: z.boolean(),
    requiresApproval: z.boolean(),
    lateFeeNotice: z.boolean().default(false),
    /** For task steps: what the person should do. */
    task: z.string().max(120).optional(),
    /** For flag steps: what is recommended for a person to approve. */
    flags: z.array(z.enum(['agency_referral', 'settlement_offer', 'write_off'])).optional(),
  })
  .superRefine((step, ctx) => {
    if (step.action === 'flag' && !step.flags?.length) {
      ctx.addIssue({ code: 'custom', path: ['flags'], message: 'a flag step names what it flags' });
    }
    if (step.action === 'task' && !step.task) {
      ctx.addIssue({ code: 'custom', path: ['task'], message: 'a task step says what to do' });
    }
  });
export type Step = z.infer<typeof stepSchema>;

/** How a segment shifts the schedule. */
const segmentAdjustmentSchema = z.object({
  /** Days added to every step after the first reminder (negative: sooner). */
  escalationShiftDays: z.number().int().min(-60).max(60).default(0),
  /** Days added to flag steps only (negative: sooner). */
  flagShiftDays: z.number().int().min(-90).max(90).default(0),
  /** Adds a payment-plan offer at this many days overdue. */
  offerPlanAtDays: z.number().int().min(1).max(365).nullable().default(null),
});
export type SegmentAdjustment = z.infer<typeof segmentAdjustmentSchema>;

const graceDays = z.number().int().min(0).max(365);
const ratePercent = z.number().min(-5).max(100);

/** The shapes of `LateFeeRule` (fees.ts); the fee arithmetic re-checks them. */
const lateFeeRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('flat'), amountMinor: z.number().int().min(0), graceDays }),
  z.object({ kind: z.literal('percentage'), annualRatePercent: z.number().min(0).max(100), graceDays }),
  z.object({ kind: z.literal('uk-late-payment'), referenceRatePercent: ratePercent }),
  z.object({
    kind: z.literal('eu-late-payment'),
    referenceRatePercent: ratePercent,
    extraPoints: z.number().min(8).max(50).optional(),
  }),
]);

/** The furthest ahead any promise may be, whoever records it. */
export const promiseMaxDaysLimit = 90;

/** What a debtor may arrange in the portal without asking; outside these, a person approves. */
const arrangementsSchema = z
  .object({
    /** A promised date at most this many days ahead. */
    promiseMaxDays: z.number().int().min(1).max(promiseMaxDaysLimit),
    planMinInstallments: z.number().int().min(2).max(24),
    planMaxInstallments: z.number().int().min(2).max(24),
    /** The smallest installment accepted at once, in minor units of the invoices' currency. */
    planMinInstallmentMinor: z.number().int().min(0),
    /** The last installment at most this many days after the plan is made. */
    planMaxSpanDays: z.number().int().min(14).max(730),
    /** An installment reminder goes this many days before each installment date. */
    installmentReminderDays: z.number().int().min(0).max(14),
    /** A settlement offer is open for this many days. */
    settlementPayWithinDays: z.number().int().min(3).max(90),
    /** A portal link works for this many days after the message that carries it. */
    portalLinkDays: z.number().int().min(7).max(365),
  })
  .superRefine((limits, ctx) => {
    if (limits.planMaxInstallments < limits.planMinInstallments) {
      ctx.addIssue({
        code: 'custom',
        path: ['planMaxInstallments'],
        message: 'must be at least the minimum number of installments',
      });
    }
  });
export type ArrangementLimits = z.infer<typeof arrangementsSchema>;

export const defaultArrangementLimits: ArrangementLimits = {
  promiseMaxDays: 14,
  planMinInstallments: 2,
  planMaxInstallments: 6,
  planMinInstallmentMinor: 2_000,
  planMaxSpanDays: 186,
  installmentReminderDays: 3,
  settlementPayWithinDays: 14,
  portalLinkDays: 60,
};

/**
 * The money assumptions behind a flag's recommendation and a settlement offer (recommendations.ts holds
 * the arithmetic and the recovery-by-age curve, a documented constant). Shares are fractions: 0.3 is 30 %.
 */
const recoverySchema = z
  .object({
    /** Share of what an agency recovers that it keeps (DOMAIN: commonly 25–50 %). */
    agencyFeeShare: z.number().min(0.05).max(0.7),
    /** How much likelier an agency collects than in-house at the same age (never above 95 % in all). */
    agencyRecoveryFactor: z.number().min(0.5).max(3),
    /** Share of the balance a settlement offer forgives. */
    settlementDiscount: z.number().min(0).max(0.9),
    /** A settlement never forgives more than this share, whoever makes the offer. */
    maxSettlementDiscount: z.number().min(0).max(0.9),
    /** Probability a debtor takes a settlement offer. */
    settlementAcceptance: z.number().min(0).max(1),
    /** Cost of a further month of in-house chasing (staff time), in minor units of the organisation's currency. */
    chasingCostPerMonthMinor: z.number().int().min(0).max(100_000_000),
  })
  .superRefine((recovery, ctx) => {
    if (recovery.maxSettlementDiscount < recovery.settlementDiscount) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxSettlementDiscount'],
        message: 'must be at least the settlement discount offered',
      });
    }
  });
export type RecoverySettings = z.infer<typeof recoverySchema>;

/**
 * Agency fee 30 % (DOMAIN.md: agencies commonly keep 25–50 %); the agency factor 1.3, the settlement
 * discount 25 % (at most 50 %), acceptance 55 % and chasing cost 2,500 minor units a month are product
 * choices, not survey figures.
 */
export const defaultRecoverySettings: RecoverySettings = {
  agencyFeeShare: 0.3,
  agencyRecoveryFactor: 1.3,
  settlementDiscount: 0.25,
  maxSettlementDiscount: 0.5,
  settlementAcceptance: 0.55,
  chasingCostPerMonthMinor: 2500,
};

export const policySchema = z
  .object({
    version: z.number().int().min(1),
    steps: z.array(stepSchema).min(1).max(30),
    /** At most one contact per debtor in this many days × 24 hours (every message counts, in every zone). */
    minDaysBetweenContacts: z.number().int().min(3).max(60),
    /** Sending hours in the debtor's time zone (else the organisation's); never outside 8:00–21:00. */
    sendingWindow: z.object({
      weekdays: z.array(z.number().int().min(1).max(7)).min(1),
      startHour: z.number().int().min(8).max(20),
      endHour: z.number().int().min(9).max(21),
    }),
    /**
     * The organisation's own closed days (YYYY-MM-DD): no contact on them, beside the public holidays
     * of the debtor's (else the organisation's) country.
     */
    closedDays: z.array(z.iso.date()).max(366).default([]),
    /** Flags (agency, settlement, write-off) wait at least this many days after the final notice was sent. */
    finalNoticeGraceDays: z.number().int().min(1).max(90).default(14),
    /** Balances below this (minor units, in the organisation's currency) are not chased. */
    minimumBalanceMinor: z.number().int().min(0),
    /** The first contact of a debtor's journey is never harsher than this. */
    firstContactMaxTone: z.enum(tones),
    segmentAdjustments: z.partialRecord(z.enum(segments), segmentAdjustmentSchema),
    /** Lifetime paid revenue (minor units) above which every step from `approvalFromTone` on needs a person. */
    highValueCustomerMinor: z.number().int().min(0),
    approvalFromTone: z.enum(tones),
    /** Days of grace after a promised date, an installment date or a settlement's pay-by date. */
    promiseGraceDays: z.number().int().min(0).max(14),
    arrangements: arrangementsSchema.default(defaultArrangementLimits),
    /**
     * Late fees or statutory interest, quoted in the steps marked `lateFeeNotice` (off by default;
     * posting them to the ledger comes later). Statutory rules apply to business debtors only.
     */
    lateFees: z
      .object({ rule: lateFeeRuleSchema, debtorsAreBusinesses: z.boolean() })
      .default({ rule: { kind: 'none' }, debtorsAreBusinesses: true }),
    /** What a flag's arithmetic assumes and what a settlement offers; policies saved before it get the defaults. */
    recovery: recoverySchema.default(defaultRecoverySettings),
  })
  .superRefine((policy, ctx) => {
    const keys = new Set<string>();
    for (const [index, step] of policy.steps.entries()) {
      if (keys.has(step.key))
        ctx.addIssue({ code: 'custom', path: ['steps', index, 'key'], message: 'appears twice' });
      keys.add(step.key);
    }
    if (policy.sendingWindow.endHour <= policy.sendingWindow.startHour) {
      ctx.addIssue({
        code: 'custom',
        path: ['sendingWindow', 'endHour'],
        message: 'must be after the start hour',
      });
    }
  });
export type Policy = z.infer<typeof policySchema>;

const step = (s: Omit<Step, 'lateFeeNotice'> & { lateFeeNotice?: boolean }): Step => ({
  lateFeeNotice: false,
  ...s,
});

/** The defaults of ../shared/DOMAIN.md and DESIGN.md; every number is a setting. */
export const defaultPolicy: Policy = {
  version: 1,
  steps: [
    step({
      key: 'heads-up',
      offsetDays: -3,
      action: 'email',
      template: 'friendly',
      tone: 'friendly',
      copyEscalationContacts: false,
      requiresApproval: false,
    }),
    step({
      key: 'reminder',
      offsetDays: 1,
      action: 'email',
      template: 'reminder',
      tone: 'neutral',
      copyEscalationContacts: false,
      requiresApproval: false,
    }),
    step({
      key: 'firm',
      offsetDays: 7,
      action: 'email',
      template: 'firm',
      tone: 'firm',
      copyEscalationContacts: false,
      requiresApproval: false,
    }),
    step({
      key: 'firm-fees',
      offsetDays: 14,
      action: 'email',
      template: 'firm',
      tone: 'firm',
      copyEscalationContacts: false,
      requiresApproval: false,
      lateFeeNotice: true,
    }),
    step({
      key: 'demand',
      offsetDays: 30,
      action: 'email',
      template: 'formal',
      tone: 'formal',
      copyEscalationContacts: true,
      requiresApproval: false,
      lateFeeNotice: true,
    }),
    step({
      key: 'final',
      offsetDays: 45,
      action: 'email',
      template: 'final',
      tone: 'final',
      copyEscalationContacts: true,
      requiresApproval: false,
      lateFeeNotice: true,
    }),
    step({
      key: 'agency',
      offsetDays: 60,
      action: 'flag',
      template: 'none',
      tone: 'final',
      copyEscalationContacts: false,
      requiresApproval: true,
      flags: ['agency_referral'],
    }),
    step({
      key: 'settle-or-write-off',
      offsetDays: 120,
      action: 'flag',
      template: 'none',
      tone: 'final',
      copyEscalationContacts: false,
      requiresApproval: true,
      flags: ['settlement_offer', 'write_off'],
    }),
  ],
  minDaysBetweenContacts: 7,
  sendingWindow: { weekdays: [1, 2, 3, 4, 5], startHour: 9, endHour: 17 },
  closedDays: [],
  finalNoticeGraceDays: 14,
  minimumBalanceMinor: 0,
  firstContactMaxTone: 'firm',
  segmentAdjustments: {
    // Late on most invoices: escalate a week sooner (DOMAIN: "earlier escalation, shorter grace").
    chronic: { escalationShiftDays: -7, flagShiftDays: -7, offerPlanAtDays: null },
    // Partial payments, plans, broken promises: offer a plan at +14 (DOMAIN: "offer a payment plan").
    strained: { escalationShiftDays: 0, flagShiftDays: 0, offerPlanAtDays: 14 },
    // No answer to several contacts: reach the agency flag sooner (DOMAIN: "escalate sooner; agency").
    unresponsive: { escalationShiftDays: 0, flagShiftDays: -15, offerPlanAtDays: null },
  },
  highValueCustomerMinor: 5_000_000,
  approvalFromTone: 'formal',
  promiseGraceDays: 3,
  arrangements: defaultArrangementLimits,
  lateFees: { rule: { kind: 'none' }, debtorsAreBusinesses: true },
  recovery: defaultRecoverySettings,
};
