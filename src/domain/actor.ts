import { isVendor, type Vendor } from '../../connectors/vendors.js';

/**
 * Who did something: a signed-in person (by user id), the debtor on their portal page, Dunwell
 * itself (a job, when it says which), or a vendor (a webhook, a disconnect from inside the ledger).
 */
export type Actor =
  | { kind: 'person'; userId: string }
  | { kind: 'debtor'; customerId: string }
  | { kind: 'system'; job?: string }
  | { kind: 'vendor'; vendor: Vendor };

/**
 * What the activity log's `actor` column (and the `decided_by`, `created_by`… columns) store for an
 * actor: `user:<id>`, `debtor` (the row names the customer), `system` or `system:<job>`,
 * `vendor:<vendor>`. A person is `user:<id>` as it always was, so old and new rows read alike.
 */
export function actorKey(actor: Actor): string {
  switch (actor.kind) {
    case 'person':
      return `user:${actor.userId}`;
    case 'debtor':
      return 'debtor';
    case 'system':
      return actor.job ? `system:${actor.job}` : 'system';
    case 'vendor':
      return `vendor:${actor.vendor}`;
  }
}

/** A stored actor as it was written: an `Actor`, or, for values older than them, what is known. */
export type StoredActor =
  | Exclude<Actor, { kind: 'debtor' }>
  | { kind: 'debtor' }
  /** `session`: a signed-in person through the JSON API, before it recorded which one. */
  | { kind: 'person'; userId: null }
  | { kind: 'unknown'; text: string };

/** Reads what `actorKey` stored, and the values written before it (`session`). */
export function actorOf(stored: string): StoredActor {
  if (stored === 'system') return { kind: 'system' };
  if (stored === 'debtor') return { kind: 'debtor' };
  if (stored === 'session') return { kind: 'person', userId: null };
  const split = stored.indexOf(':');
  const prefix = split > 0 ? stored.slice(0, split) : '';
  const rest = stored.slice(split + 1);
  if (prefix === 'user' && rest !== '') return { kind: 'person', userId: rest };
  if (prefix === 'system' && rest !== '') return { kind: 'system', job: rest };
  if (prefix === 'vendor' && isVendor(rest)) return { kind: 'vendor', vendor: rest };
  return { kind: 'unknown', text: stored };
}
