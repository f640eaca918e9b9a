import { and, eq } from 'drizzle-orm';
import { policyOf } from '../collections/policy-versions.js';
import type { Database } from '../db/client.js';
import { customers, organisations } from '../db/schema/index.js';
import { envelopeLines } from '../domain/postal-address.js';
import { AppError } from '../errors.js';
import type { ServiceContext } from '../services/context.js';
import { buildLetter, type Letter, type LetterKind } from './letter.js';
import { statementOf } from './statement-of.js';

/**
 * The lines under the debtor's name in the letter's window: the postal address the books hold, the
 * country added when it is not the organisation's own. Empty when the books hold none.
 */
async function windowLines(db: Database, orgId: string, customerId: string, name: string): Promise<string[]> {
  const [row] = await db
    .select({ address: customers.postalAddress, homeCountry: organisations.country })
    .from(customers)
    .innerJoin(organisations, eq(organisations.id, customers.orgId))
    .where(and(eq(customers.id, customerId), eq(customers.orgId, orgId)));
  return envelopeLines(row?.address ?? null, { homeCountry: row?.homeCountry ?? null, name });
}

/**
 * The formal demand or the final notice to one customer of the organisation, dated `asOf` (default:
 * today in the organisation's zone), with the policy's late fees on each overdue invoice, addressed to
 * the postal address in the books. 404 for anyone else's customer; 409 when nothing is overdue. Keep
 * the returned letter to render the same PDF again (`letterPdf` in src/documents).
 */
export async function letterFor(
  ctx: ServiceContext,
  customerId: string,
  kind: LetterKind,
  asOf?: string,
): Promise<Letter> {
  const [statement, policy] = await Promise.all([
    statementOf(ctx, customerId, asOf),
    policyOf(ctx.db, ctx.orgId),
  ]);
  const address =
    statement.debtor.address.length > 0
      ? statement.debtor.address
      : await windowLines(ctx.db, ctx.orgId, customerId, statement.debtor.name);
  const letter = buildLetter(
    { ...statement, debtor: { ...statement.debtor, address } },
    policy.lateFees,
    kind,
  );
  if (!letter)
    throw new AppError(
      409,
      'nothing_overdue',
      'Nothing this customer owes is overdue: there is nothing to demand.',
    );
  return letter;
}
