import type { FastifyRequest } from 'fastify';
import type { PortalTarget } from '../domain/portal-links.js';
import {
  type AccountContext,
  accountContext,
  type DebtorContext,
  debtorContext,
  type ServiceContext,
  serviceContext,
} from '../services/context.js';
import type { WebServices } from './services.js';
import { sessionOrg, signedInUser } from './session.js';

/** The time of this request: the services' clock when tests move it, else the system's. Read once. */
export function clock(services: WebServices): Date {
  return services.now?.() ?? new Date();
}

/**
 * The signed-in person acting for the organisation of the path (`/app/:orgId/…`,
 * `/api/organisations/:orgId/…`). Another organisation's id is the same 404 as a missing one.
 */
export function personContext(services: WebServices, request: FastifyRequest): ServiceContext {
  const orgId = sessionOrg(request);
  const { userId } = signedInUser(request);
  return serviceContext(services.ledger, { orgId, actor: { kind: 'person', userId } }, clock(services));
}

/** The browser acting across its session's organisations (the JSON API); signed out, it has none. */
export function accountOf(services: WebServices, request: FastifyRequest): AccountContext {
  const user = request.signedIn;
  return accountContext(
    services.ledger,
    user ? { userId: user.userId, orgIds: user.orgIds } : null,
    clock(services),
  );
}

/** The debtor a checked portal link names, acting on their own page at `now` (the time it was checked at). */
export function debtorContextOf(services: WebServices, target: PortalTarget, now: Date): DebtorContext {
  return debtorContext(services.ledger, target, now);
}
