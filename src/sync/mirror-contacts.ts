import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { LedgerCustomer } from '../../connectors/ledger.js';
import type { Writer } from '../db/client.js';
import { customerContacts } from '../db/schema/index.js';
import { type MirrorScope, newer } from './mirror-batch.js';

/** Ledger contacts follow the ledger; a bounce mark on an address that stays is kept. */
export async function replaceLedgerContacts(
  db: Writer,
  scope: MirrorScope,
  chunk: LedgerCustomer[],
  ids: Map<string, string>,
): Promise<void> {
  const wanted = chunk.flatMap((customer) => {
    const customerId = ids.get(customer.externalId);
    return customerId
      ? customer.contacts.map((contact) => ({
          orgId: scope.orgId,
          customerId,
          name: contact.name,
          email: contact.email.toLowerCase(),
          role: contact.role,
          source: 'ledger' as const,
        }))
      : [];
  });
  const customerIds = chunk.flatMap((customer) => ids.get(customer.externalId) ?? []);
  if (customerIds.length === 0) return;
  const keep = wanted.map((contact) => `${contact.customerId}|${contact.email}`);
  await db
    .delete(customerContacts)
    .where(
      and(
        eq(customerContacts.source, 'ledger'),
        inArray(customerContacts.customerId, customerIds),
        keep.length > 0
          ? notInArray(sql`${customerContacts.customerId}::text || '|' || ${customerContacts.email}`, keep)
          : undefined,
      ),
    );
  if (wanted.length === 0) return;
  await db
    .insert(customerContacts)
    .values(wanted)
    .onConflictDoUpdate({
      target: [customerContacts.customerId, customerContacts.source, customerContacts.email],
      set: { name: newer('name'), role: newer('role'), updatedAt: sql`now()` },
    });
}
