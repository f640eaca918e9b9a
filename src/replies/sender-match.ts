import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { customerContacts, customers, organisations } from '../db/schema/index.js';

/**
 * Whose an email is by its sender's address alone: `customer` when exactly one customer of exactly one
 * organisation holds it (in any number of its contacts), `organisation` when several customers of one
 * organisation do (a person chooses which), `unknown` when none does or customers of several
 * organisations do: then nobody may be shown it, since no organisation can be told it is theirs.
 */
export type SenderMatch =
  | { kind: 'customer'; orgId: string; customerId: string; customerName: string; timeZone: string }
  | { kind: 'organisation'; orgId: string }
  | { kind: 'unknown' };

const plainAddress = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

/** The address of a From field ("Ann <ap@one.example>", or the bare address), lower-cased; null when none. */
export function senderAddress(from: string): string | null {
  const bracketed = [...from.matchAll(/<([^<>]*)>/g)].at(-1)?.[1];
  const address = (bracketed ?? from).trim().toLowerCase();
  return plainAddress.test(address) ? address : null;
}

/** Rows read at most: past a handful, the address is shared too widely to say whose it is anyway. */
const enough = 20;

/**
 * Who holds an email's sender address among live customers' contacts, across organisations or, when
 * `withinOrg` is given (the email named that organisation's message), in that one only.
 */
export async function matchSender(db: Database, from: string, withinOrg?: string): Promise<SenderMatch> {
  const address = senderAddress(from);
  if (!address) return { kind: 'unknown' };
  const holders = await db
    .selectDistinct({
      orgId: customers.orgId,
      customerId: customers.id,
      customerName: customers.name,
      timeZone: organisations.timeZone,
    })
    .from(customerContacts)
    .innerJoin(
      customers,
      and(eq(customers.id, customerContacts.customerId), eq(customers.orgId, customerContacts.orgId)),
    )
    .innerJoin(organisations, eq(organisations.id, customers.orgId))
    .where(
      and(
        sql`lower(${customerContacts.email}) = ${address}`,
        isNull(customers.deletedAt),
        withinOrg ? eq(customerContacts.orgId, withinOrg) : undefined,
      ),
    )
    .limit(enough);
  const [first] = holders;
  if (!first || holders.some((holder) => holder.orgId !== first.orgId)) return { kind: 'unknown' };
  if (holders.length > 1) return { kind: 'organisation', orgId: first.orgId };
  return { kind: 'customer', ...first };
}
