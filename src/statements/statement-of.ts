import { and, asc, eq, gte, inArray, isNull, lte, ne } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { ofDebtor } from '../db/debtor-scope.js';
import {
  customerContacts,
  customers,
  invoices,
  ledgerCredits,
  paymentAllocations,
  payments,
} from '../db/schema/index.js';
import { isIsoDate, localMoment } from '../domain/local-time.js';
import { localeOf } from '../domain/locale.js';
import { envelopeLines } from '../domain/postal-address.js';
import { AppError, notFound } from '../errors.js';
import { organisationProfile } from '../organisations/settings.js';
import { type DebtorContext, debtorScope, type ServiceContext } from '../services/context.js';
import { buildStatement, paymentsFromOf, type Statement } from './statement.js';

/** One debtor of one organisation. */
interface Scope {
  orgId: string;
  customerId: string;
}

/** Why there is no statement: the organisation or customer is not there, or the books deleted the customer. */
export type StatementMissing = 'no_customer' | 'deleted';

/** The statement of one debtor as of `asOf` (default: today in the organisation's zone). */
export async function loadStatement(
  db: Database,
  scope: Scope,
  options: { now: Date; asOf?: string | undefined },
): Promise<Statement | StatementMissing> {
  const organisation = await organisationProfile(db, scope.orgId);
  if (!organisation) return 'no_customer';
  const [customer] = await db
    .select({
      id: customers.id,
      name: customers.name,
      externalId: customers.externalId,
      deletedAt: customers.deletedAt,
      postalAddress: customers.postalAddress,
    })
    .from(customers)
    .where(and(eq(customers.id, scope.customerId), eq(customers.orgId, scope.orgId)));
  if (!customer) return 'no_customer';
  if (customer.deletedAt) return 'deleted';

  const today = localMoment(options.now, organisation.timeZone).date;
  const asOf = options.asOf ?? today;
  if (!isIsoDate(asOf)) throw new AppError(400, 'invalid_date', 'The statement date must be a date.');
  if (asOf > today)
    throw new AppError(
      400,
      'invalid_date',
      'A statement cannot be dated after today: the books do not know it yet.',
    );

  const mine = (table: Parameters<typeof ofDebtor>[0]) => ofDebtor(table, scope);
  const [invoiceRows, creditRows, paymentRows, contacts] = await Promise.all([
    db
      .select({
        id: invoices.id,
        number: invoices.number,
        status: invoices.status,
        currency: invoices.currency,
        totalMinor: invoices.totalMinor,
        balanceMinor: invoices.balanceMinor,
        issueDate: invoices.issueDate,
        dueDate: invoices.dueDate,
        hold: invoices.collectionHold,
      })
      .from(invoices)
      .where(and(mine(invoices), eq(invoices.status, 'open'), ne(invoices.balanceMinor, 0)))
      .orderBy(asc(invoices.dueDate))
      .limit(1000),
    db
      .select({
        id: ledgerCredits.id,
        kind: ledgerCredits.kind,
        number: ledgerCredits.number,
        currency: ledgerCredits.currency,
        remainingMinor: ledgerCredits.remainingMinor,
        issueDate: ledgerCredits.issueDate,
      })
      .from(ledgerCredits)
      .where(mine(ledgerCredits))
      .limit(1000),
    db
      .select({
        id: payments.id,
        currency: payments.currency,
        amountMinor: payments.amountMinor,
        paidOn: payments.paidOn,
      })
      .from(payments)
      .where(and(mine(payments), gte(payments.paidOn, paymentsFromOf(asOf)), lte(payments.paidOn, asOf)))
      .limit(1000),
    db
      .select({ email: customerContacts.email })
      .from(customerContacts)
      .where(
        and(mine(customerContacts), eq(customerContacts.role, 'billing'), isNull(customerContacts.bouncedAt)),
      )
      .orderBy(asc(customerContacts.createdAt))
      .limit(5),
  ]);
  const paid = paymentRows.length
    ? await db
        .select({ paymentId: paymentAllocations.paymentId, number: invoices.number })
        .from(paymentAllocations)
        .innerJoin(invoices, eq(invoices.id, paymentAllocations.invoiceId))
        .where(
          and(
            eq(paymentAllocations.orgId, scope.orgId),
            inArray(
              paymentAllocations.paymentId,
              paymentRows.map((row) => row.id),
            ),
          ),
        )
    : [];
  const numbersOf = new Map<string, string[]>();
  for (const row of paid)
    if (row.number)
      numbersOf.set(row.paymentId, [...(numbersOf.get(row.paymentId) ?? []), row.number].sort());

  return buildStatement({
    issuer: {
      name: organisation.name,
      contactEmail: organisation.settings.contactEmail,
      contactPhone: organisation.settings.contactPhone,
      paymentInstructions: organisation.settings.paymentInstructions,
      address: [],
      locale: localeOf(organisation.country),
      timeZone: organisation.timeZone,
      brandColour: organisation.settings.brandColour,
      logoUrl: organisation.settings.logoUrl,
    },
    debtor: {
      id: customer.id,
      name: customer.name,
      reference: customer.externalId,
      email: contacts.find((contact) => contact.email)?.email ?? null,
      // The postal address the books hold, for a window envelope (the country when not the organisation's).
      address: envelopeLines(customer.postalAddress, {
        homeCountry: organisation.country,
        name: customer.name,
      }),
    },
    homeCurrency: organisation.currency,
    asOf,
    invoices: invoiceRows,
    credits: creditRows,
    payments: paymentRows.map((row) => ({ ...row, invoiceNumbers: numbersOf.get(row.id) ?? [] })),
  });
}

/** The statement of one customer of the organisation; 404 for anyone else's, or one the books deleted. */
export async function statementOf(
  ctx: ServiceContext,
  customerId: string,
  asOf?: string,
): Promise<Statement> {
  const statement = await loadStatement(ctx.db, { orgId: ctx.orgId, customerId }, { now: ctx.now, asOf });
  if (statement === 'deleted')
    throw new AppError(
      404,
      'not_found',
      'This customer was deleted in your books, so there is no statement of their account.',
    );
  if (statement === 'no_customer') throw notFound('customer');
  return statement;
}

/** The debtor's own statement as of today, for their page; null when their record is gone. */
export async function debtorStatement(ctx: DebtorContext): Promise<Statement | null> {
  const statement = await loadStatement(ctx.db, debtorScope(ctx), { now: ctx.now });
  return typeof statement === 'string' ? null : statement;
}
