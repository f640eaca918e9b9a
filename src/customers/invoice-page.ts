import { notFound } from '../errors.js';
import { organisationOf } from '../organisations/organisation-of.js';
import type { ServiceContext } from '../services/context.js';
import { invoiceTimeline } from '../timeline/timeline.js';
import type { TimelinePage } from '../timeline/timeline-entry.js';
import { invoiceHeader } from './customer-invoices.js';

export interface InvoicePage {
  invoice: NonNullable<Awaited<ReturnType<typeof invoiceHeader>>>;
  timeline: TimelinePage;
  timeZone: string;
}

/** An invoice's page: its number, its customer, and what concerns it, newest first. */
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
  return { invoice, timeline, timeZone: profile.timeZone };
}
