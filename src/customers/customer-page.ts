import { and, eq } from 'drizzle-orm';
import { loadOrganisationContext, loadSnapshots } from '../collections/load-snapshots.js';
import type { NextStep } from '../collections/next-step.js';
import { policyOf } from '../collections/policy-versions.js';
import type { Database } from '../db/client.js';
import { customers } from '../db/schema/index.js';
import { localMoment } from '../domain/local-time.js';
import { localeOf } from '../domain/locale.js';
import { envelopeLines, type PostalAddress } from '../domain/postal-address.js';
import { notFound } from '../errors.js';
import { organisationOf } from '../organisations/organisation-of.js';
import type { ServiceContext } from '../services/context.js';
import { type CustomerHeader, customerHeader, debtorTimeline } from '../timeline/timeline.js';
import type { TimelinePage } from '../timeline/timeline-entry.js';
import { openInvoicesOfCustomer } from './customer-invoices.js';
import { type CustomerOverridesView, customerOverridesOf } from './customer-overrides.js';
import { nextStepOf } from './next-step-of.js';
import { type StandingArrangements, standingArrangements } from './standing-arrangements.js';

export interface CustomerPage {
  header: CustomerHeader;
  overrides: CustomerOverridesView;
  timeline: TimelinePage;
  invoices: Awaited<ReturnType<typeof openInvoicesOfCustomer>>;
  /** What Dunwell does next for them, and why. */
  next: NextStep;
  arrangements: StandingArrangements;
  /** The postal address in the books, as a letter's window shows it; empty when there is none. */
  postalAddress: string[];
  timeZone: string;
  locale: string;
}

async function postalAddressOf(
  db: Database,
  orgId: string,
  customerId: string,
): Promise<PostalAddress | null> {
  const [row] = await db
    .select({ address: customers.postalAddress })
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.orgId, orgId)));
  return row?.address ?? null;
}

/** What happens next for one customer, from the same planner the engine runs. */
async function nextFor(
  ctx: ServiceContext,
  customerId: string,
  overrides: CustomerOverridesView,
  holds: string[],
) {
  const [org, policy] = await Promise.all([
    loadOrganisationContext(ctx.db, ctx.orgId),
    policyOf(ctx.db, ctx.orgId),
  ]);
  if (!org) throw notFound('organisation');
  const [snapshot] = await loadSnapshots(ctx.db, org, { customerIds: [customerId], now: ctx.now });
  return nextStepOf({ snapshot, overrides: overrides.overrides, holds, policy, now: ctx.now }).next;
}

/**
 * A customer's page: who they are, what happens next, what they have arranged, your choices for
 * them, their open invoices and their history.
 */
export async function customerPage(
  ctx: ServiceContext,
  customerId: string,
  options: { before?: string | undefined } = {},
): Promise<CustomerPage> {
  const { orgId, db } = ctx;
  const [profile, header, overrides, timeline, invoices, address] = await Promise.all([
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
    postalAddressOf(db, orgId, customerId),
  ]);
  if (!header || !overrides) throw notFound('customer');
  const today = localMoment(ctx.now, profile.timeZone).date;
  const holds = invoices.flatMap((invoice) => (invoice.hold ? [invoice.hold] : []));
  const [next, arrangements] = await Promise.all([
    nextFor(ctx, customerId, overrides, holds),
    standingArrangements(db, orgId, customerId, today),
  ]);
  return {
    header,
    overrides,
    timeline,
    invoices,
    next,
    arrangements,
    postalAddress: envelopeLines(address, { homeCountry: profile.country, name: header.name }),
    timeZone: profile.timeZone,
    locale: localeOf(profile.country),
  };
}
