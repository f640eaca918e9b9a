import { localeOf } from '../domain/locale.js';
import { notFound } from '../errors.js';
import { organisationOf } from '../organisations/organisation-of.js';
import type { ServiceContext } from '../services/context.js';
import { type CustomerHeader, customerHeader, debtorTimeline } from '../timeline/timeline.js';
import type { TimelinePage } from '../timeline/timeline-entry.js';
import { openInvoicesOfCustomer } from './customer-invoices.js';
import { type CustomerOverridesView, customerOverridesOf } from './customer-overrides.js';

export interface CustomerPage {
  header: CustomerHeader;
  overrides: CustomerOverridesView;
  timeline: TimelinePage;
  invoices: Awaited<ReturnType<typeof openInvoicesOfCustomer>>;
  timeZone: string;
  locale: string;
}

/** A customer's page: who they are, your choices for them, their open invoices and their history. */
export async function customerPage(
  ctx: ServiceContext,
  customerId: string,
  options: { before?: string | undefined } = {},
): Promise<CustomerPage> {
  const { orgId, db } = ctx;
  const [profile, header, overrides, timeline, invoices] = await Promise.all([
    organisationOf(ctx),
    customerHeader(db, { orgId, customerId }),
    customerOverridesOf(db, orgId, customerId),
    debtorTimeline(db, {
      orgId,
      customerId,
      limit: 50,
      ...(options.before ? { before: options.before } : {}),
    }),
    openInvoicesOfCustomer(db, orgId, customerId),
  ]);
  if (!header || !overrides) throw notFound('customer');
  return {
    header,
    overrides,
    timeline,
    invoices,
    timeZone: profile.timeZone,
    locale: localeOf(profile.country),
  };
}
