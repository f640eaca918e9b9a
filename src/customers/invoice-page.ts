import { dayNumber, localMoment } from '../domain/local-time.js';
import { localeOf } from '../domain/locale.js';
import { notFound } from '../errors.js';
import { organisationOf } from '../organisations/organisation-of.js';
import type { ServiceContext } from '../services/context.js';
import { invoiceTimeline } from '../timeline/timeline.js';
import type { TimelinePage } from '../timeline/timeline-entry.js';
import { invoiceHeader } from './customer-invoices.js';

export interface InvoicePage {
  invoice: NonNullable<Awaited<ReturnType<typeof invoiceHeader>>>;
  /** Days past its due date in the organisation's zone today; negative before it. */
  daysOverdue: number;
  timeline: TimelinePage;
  timeZone: string;
  locale: string;
}

/** An invoice's page: its number, customer, amounts and dates, and what concerns it, newest first. */
export async function invoicePage(
  ctx: ServiceContext,
  invoiceId: string,
  options: { before?: string | undefined } = {},
): Promise<InvoicePage> {
  const invoice = await invoiceHeader(ctx.db, ctx.orgId, invoiceId);
  if (!invoice) throw notFound('invoice');
  const [profile, timeline] = await Promise.all([
    organisationOf(ctx),
    invoiceTimeline(ctx.db, {
      orgId: ctx.orgId,
      invoiceId,
      limit: 50,
      ...(options.before ? { before: options.before } : {}),
    }),
  ]);
  const today = localMoment(ctx.now, profile.timeZone).date;
  return {
    invoice,
    daysOverdue: dayNumber(today) - dayNumber(invoice.dueDate),
    timeline,
    timeZone: profile.timeZone,
    locale: localeOf(profile.country),
  };
}
