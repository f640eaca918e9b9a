import { and, asc, eq, sql } from 'drizzle-orm';
import { loadOrganisationContext, loadSnapshots } from '../collections/load-snapshots.js';
import { policyOf } from '../collections/policy-versions.js';
import type { Database } from '../db/client.js';
import { customers, invoices } from '../db/schema/index.js';
import { localeOf } from '../domain/locale.js';
import type { PortalLinks } from '../domain/portal-links.js';
import { organisationProfile } from '../organisations/settings.js';
import { organisationRenderer } from './render/organisation-renderer.js';
import {
  previewEmail,
  type RenderedEmail,
  type Template,
  TemplateError,
  type TemplateName,
} from './templates/index.js';

export interface PreviewDebtor {
  id: string;
  name: string;
}

export type Preview =
  | { ok: true; email: RenderedEmail; debtor: PreviewDebtor | null }
  | { ok: false; problems: string[] };

/** Debtors to preview on: those owing most, so the preview shows a real, full reminder. */
export async function previewDebtors(db: Database, orgId: string, limit = 20): Promise<PreviewDebtor[]> {
  const owed = sql<number>`sum(${invoices.balanceMinor})`;
  return db
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .innerJoin(invoices, and(eq(invoices.customerId, customers.id), eq(invoices.status, 'open')))
    .where(and(eq(customers.orgId, orgId), sql`${invoices.balanceMinor} > 0`))
    .groupBy(customers.id, customers.name)
    .orderBy(sql`${owed} desc`, asc(customers.name))
    .limit(limit);
}

/**
 * The email `template` makes for a real debtor of the organisation (their open invoices, contact,
 * and a working link to their page), as the reminder at `name`'s tone would be sent now: rendered by
 * the organisation's renderer that delivery uses (`organisationRenderer`), with the template being
 * edited in place of the saved one, so both the HTML and the text shown are what is sent. Without
 * debtors, or for the installment and settlement emails (which need a plan or an offer), the sample
 * debtor stands in, with the organisation's own details.
 */
export async function previewOnDebtor(
  db: Database,
  request: {
    orgId: string;
    name: TemplateName;
    template: Template;
    customerId: string | null;
    now: Date;
    links: PortalLinks;
  },
): Promise<Preview> {
  try {
    const [profile, policy, org, render] = await Promise.all([
      organisationProfile(db, request.orgId),
      policyOf(db, request.orgId),
      loadOrganisationContext(db, request.orgId),
      organisationRenderer(db, request.orgId, {
        now: request.now,
        links: request.links,
        editing: { name: request.name, template: request.template },
      }),
    ]);
    if (!profile || !org || !render) return { ok: false, problems: ['No such organisation.'] };
    const organisation = {
      name: profile.name,
      email: profile.settings.contactEmail,
      phone: profile.settings.contactPhone,
      locale: localeOf(profile.country),
      paymentInstructions: profile.settings.paymentInstructions,
      brandColour: profile.settings.brandColour,
      logoUrl: profile.settings.logoUrl,
    };
    const candidates = request.customerId
      ? [{ id: request.customerId }]
      : await previewDebtors(db, request.orgId, 1);
    const [snapshot] =
      request.name === 'installment' || request.name === 'settlement' || candidates.length === 0
        ? []
        : await loadSnapshots(db, org, {
            customerIds: candidates.map((candidate) => candidate.id),
            now: request.now,
          });
    if (!snapshot)
      return { ok: true, email: await previewEmail(request.template, { organisation }), debtor: null };

    const step = policy.steps.find(
      (candidate) => candidate.action === 'email' && candidate.tone === request.name,
    );
    const email = await render(
      {
        stepKey: step?.key ?? 'preview',
        invoiceSteps: snapshot.invoices.map((invoice) => ({ invoiceId: invoice.id })),
        tone: request.name as Exclude<TemplateName, 'installment' | 'settlement'>,
        template: request.name,
        to: snapshot.contacts.filter((contact) => contact.role === 'billing').slice(0, 1),
        lateFeeNotice: step?.lateFeeNotice ?? false,
        brokenPromise: null,
      },
      snapshot,
    );
    return { ok: true, email, debtor: { id: snapshot.customerId, name: snapshot.customerName } };
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, problems: error.problems };
    throw error;
  }
}
