import { policyOf } from '../collections/policy-versions.js';
import { AppError } from '../errors.js';
import type { ServiceContext } from '../services/context.js';
import { buildLetter, type Letter, type LetterKind } from './letter.js';
import { statementOf } from './statement-of.js';

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
  const letter = buildLetter(statement, policy.lateFees, kind);
  if (!letter)
    throw new AppError(
      409,
      'nothing_overdue',
      'Nothing this customer owes is overdue: there is nothing to demand.',
    );
  return letter;
}
