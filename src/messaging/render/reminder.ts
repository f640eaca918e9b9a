import { quoteLateFees } from '../../collections/fees.js';
import { creditsFor } from '../../collections/journey.js';
import type { DebtorSnapshot, SnapshotInvoice } from '../../collections/snapshot.js';
import type { RenderInputs } from '../../db/schema/index.js';
import { dayNumber, localMoment } from '../../domain/local-time.js';
import { localeOf } from '../../domain/locale.js';
import type { Policy } from '../../domain/policy.js';
import type { PortalTarget } from '../../domain/portal-links.js';
import {
  defaultTemplate,
  type RenderedEmail,
  renderEmail,
  type Template,
  type TemplateContext,
  type TemplateName,
} from '../templates/index.js';

/**
 * What a reminder says: what the planner decided (its render inputs: step, tone, template, notices),
 * the invoices it covers and whom it greets. An email the planner plans is one.
 */
export type ReminderToRender = Omit<RenderInputs, 'rung'> & {
  invoiceSteps: ReadonlyArray<{ invoiceId: string }>;
  to: ReadonlyArray<{ email: string; name?: string | null }>;
};

/** Turns a reminder into its subject and parts, for one debtor as the mirror has them. */
export type RenderReminder = (reminder: ReminderToRender, snapshot: DebtorSnapshot) => Promise<RenderedEmail>;

export interface ReminderSender {
  name: string;
  email: string | null;
  phone: string | null;
  country: string | null;
  paymentInstructions: string | null;
  /** The email frame's colour and logo (see `templates/layout.ts`). */
  brandColour?: string | null;
  logoUrl?: string | null;
}

/**
 * Renders reminders with the organisation's templates (or the defaults for their tone): the
 * invoices the message covers, a total per currency, the pay links, and the debtor's portal link.
 */
export function reminderRenderer(options: {
  organisation: ReminderSender;
  policy: Policy;
  now: Date;
  portalUrl: (debtor: PortalTarget) => string;
  templates?: Partial<Record<TemplateName, Template>>;
}): RenderReminder {
  return (action, snapshot) => {
    const todayIso = localMoment(options.now, snapshot.orgTimeZone).date;
    const today = dayNumber(todayIso);
    const covered = action.invoiceSteps.flatMap((entry) =>
      snapshot.invoices.filter((invoice) => invoice.id === entry.invoiceId),
    );
    const totals = new Map<string, number>();
    for (const invoice of covered)
      totals.set(invoice.currency, (totals.get(invoice.currency) ?? 0) + invoice.balanceMinor);
    const later = options.policy.steps.filter(
      (step) =>
        step.offsetDays >
        (options.policy.steps.find((candidate) => candidate.key === action.stepKey)?.offsetDays ?? 0),
    );
    const context: TemplateContext = {
      organisation: {
        name: options.organisation.name,
        email: options.organisation.email,
        phone: options.organisation.phone,
        locale: localeOf(options.organisation.country),
        paymentInstructions: options.organisation.paymentInstructions,
        brandColour: options.organisation.brandColour ?? null,
        logoUrl: options.organisation.logoUrl ?? null,
      },
      debtor: { name: snapshot.customerName },
      contact: { name: action.to[0]?.name ?? null, email: action.to[0]?.email ?? '' },
      invoices: covered.map((invoice) => ({
        number: invoice.number,
        dueDate: invoice.dueDate,
        daysOverdue: today - dayNumber(invoice.dueDate),
        balance: { amountMinor: invoice.balanceMinor, currency: invoice.currency },
        total: { amountMinor: invoice.totalMinor, currency: invoice.currency },
        payUrl: invoice.paymentUrl ?? null,
      })),
      totals: [...totals].map(([currency, amountMinor]) => ({ amountMinor, currency })),
      maxDaysOverdue: Math.max(0, ...covered.map((invoice) => today - dayNumber(invoice.dueDate))),
      portalUrl: options.portalUrl({ orgId: snapshot.orgId, customerId: snapshot.customerId }),
      lateFee: action.lateFeeNotice ? lateFeeOf(options.policy, covered, todayIso) : null,
      brokenPromise: action.brokenPromise,
      credits: creditsFor(snapshot, covered).map((credit) => ({
        amountMinor: credit.amountMinor,
        currency: credit.currency,
      })),
      installment: installmentOf(action.template, snapshot),
      settlement: settlementOf(action, snapshot),
      step: {
        key: action.stepKey,
        tone: action.tone,
        // The final notice names what comes next only when the schedule's next step is an agency flag.
        nextAction: later[0]?.flags?.includes('agency_referral') ? 'agency_referral' : null,
      },
    };
    const name: TemplateName =
      action.template === 'installment' || action.template === 'settlement' ? action.template : action.tone;
    return renderEmail(options.templates?.[name] ?? defaultTemplate(name), context);
  };
}

function settlementOf(action: ReminderToRender, snapshot: DebtorSnapshot): TemplateContext['settlement'] {
  if (action.template !== 'settlement') return null;
  const offer = snapshot.history.settlements?.find((candidate) =>
    action.invoiceSteps.some((entry) => candidate.invoiceIds.includes(entry.invoiceId)),
  );
  return offer
    ? { amount: { amountMinor: offer.amountMinor, currency: offer.currency }, payBy: offer.payBy }
    : null;
}

function installmentOf(template: string, snapshot: DebtorSnapshot): TemplateContext['installment'] {
  const next = snapshot.history.plan?.nextInstallment;
  if (template !== 'installment' || !next) return null;
  return {
    number: next.number,
    of: next.of,
    amount: { amountMinor: next.amountMinor, currency: next.currency },
    dueDate: next.dueDate,
  };
}

/**
 * What the policy's late-fee rule charges on the covered invoices as of `asOf`, for steps that quote
 * it. The template shows one total, so invoices in several currencies are not quoted together: the
 * reminder then leaves the charges out rather than add different currencies.
 */
function lateFeeOf(policy: Policy, covered: SnapshotInvoice[], asOf: string) {
  if (policy.lateFees.rule.kind === 'none') return null;
  const quotes = covered
    .map((invoice) =>
      quoteLateFees({
        balance: { amountMinor: invoice.balanceMinor, currency: invoice.currency },
        total: { amountMinor: invoice.totalMinor, currency: invoice.currency },
        dueDate: invoice.dueDate,
        asOf,
        debtorIsBusiness: policy.lateFees.debtorsAreBusinesses,
        rule: policy.lateFees.rule,
      }),
    )
    .filter((quote) => quote.applies);
  const [first] = quotes;
  if (!first || quotes.some((quote) => quote.total.currency !== first.total.currency)) return null;
  const totalMinor = quotes.reduce((sum, quote) => sum + quote.total.amountMinor, 0);
  return {
    explanation:
      quotes.length === 1
        ? first.explanation
        : `Under our terms, late-payment charges apply to ${quotes.length} of these invoices.`,
    total: { amountMinor: totalMinor, currency: first.total.currency },
  };
}
