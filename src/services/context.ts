import type { Database } from '../db/client.js';
import type { Actor } from '../domain/actor.js';
import { AppError } from '../errors.js';

export type { Actor } from '../domain/actor.js';

/**
 * What a service reaches before anyone is known (signing in, a signed link): the database. The
 * ledger context is one, so the web layer hands that over and never touches the database itself.
 */
export interface Storage {
  db: Database;
}

/**
 * Who acts, for which organisation, and when: every service of a page or an API call takes one.
 * Every query scopes by `orgId`; `now` is read once, where the request came in.
 */
export interface ServiceContext {
  orgId: string;
  actor: Actor;
  db: Database;
  now: Date;
}

/** The debtor of a signed portal link, acting on their own page. */
export type DebtorContext = ServiceContext & { actor: Extract<Actor, { kind: 'debtor' }> };

type Person = Extract<Actor, { kind: 'person' }>;

/**
 * A browser acting across the organisations of its session (the JSON API's lists, and decisions on a
 * record named by id alone). Signed out, it has no organisations and no person: it sees nothing.
 */
export interface AccountContext {
  orgIds: readonly string[];
  actor: Person | null;
  db: Database;
  now: Date;
}

export function serviceContext(
  storage: Storage,
  who: { orgId: string; actor: Actor },
  now: Date,
): ServiceContext {
  return { orgId: who.orgId, actor: who.actor, db: storage.db, now };
}

export function debtorContext(
  storage: Storage,
  debtor: { orgId: string; customerId: string },
  now: Date,
): DebtorContext {
  return {
    orgId: debtor.orgId,
    actor: { kind: 'debtor', customerId: debtor.customerId },
    db: storage.db,
    now,
  };
}

export function accountContext(
  storage: Storage,
  who: { userId: string; orgIds: readonly string[] } | null,
  now: Date,
): AccountContext {
  return who
    ? { orgIds: who.orgIds, actor: { kind: 'person', userId: who.userId }, db: storage.db, now }
    : { orgIds: [], actor: null, db: storage.db, now };
}

/** The person acting, for what they change; 401 when nobody is signed in. */
export function actingPerson(account: AccountContext): Person {
  if (!account.actor) throw new AppError(401, 'signed_out', 'Please sign in.');
  return account.actor;
}

/** The debtor's scope: their organisation and their customer record. */
export function debtorScope(ctx: DebtorContext): { orgId: string; customerId: string } {
  return { orgId: ctx.orgId, customerId: ctx.actor.customerId };
}
