/**
 * https://api.xero.com/connections as xero-node calls it (updateTenants, disconnect): Bearer access token;
 * GET lists `[{id, authEventId, tenantId, tenantType, tenantName, createdDateUtc, updatedDateUtc}]`
 * (xero-identity.yaml), DELETE /connections/{id} answers 204 (404 for an unknown id).
 * Invalid or expired tokens get the API's 401 body.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from '../kit/oauth.js';
import { notFound, unauthorized, type XeroHttpError } from './faults.js';
import type { Directory } from './oauth/directory.js';
import type { GrantStore } from './oauth/grants.js';
import { PATHS } from './paths.js';
import { identityTimestamp } from './time.js';

export interface ConnectionDeps {
  directory: Directory;
  grants: GrantStore;
  tenantName(tenantId: string): string | undefined;
}

function send(reply: FastifyReply, error: XeroHttpError) {
  return reply.code(error.status).headers(error.headers).type(error.contentType).send(error.body);
}

function userOf(
  request: FastifyRequest,
  deps: ConnectionDeps,
): { userId: string } | { error: XeroHttpError } {
  const token = bearerToken(request) ?? '';
  const check = deps.grants.checkAccess(token);
  if (!check.ok) return { error: unauthorized(check.detail) };
  return { userId: check.grant.userId };
}

export function registerConnectionRoutes(app: FastifyInstance, deps: ConnectionDeps): void {
  app.get(PATHS.connections, async (request, reply) => {
    const who = userOf(request, deps);
    if ('error' in who) return send(reply, who.error);
    const authEventId = (request.query as Record<string, string | undefined>)['authEventId'];
    const list = deps.directory
      .connectionsOf(who.userId)
      .filter((c) => authEventId === undefined || c.authEventId === authEventId.toLowerCase())
      .filter((c) => deps.tenantName(c.tenantId) !== undefined)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((c) => ({
        id: c.id,
        authEventId: c.authEventId,
        tenantId: c.tenantId,
        tenantType: 'ORGANISATION',
        tenantName: deps.tenantName(c.tenantId),
        createdDateUtc: identityTimestamp(c.createdAt),
        updatedDateUtc: identityTimestamp(c.updatedAt),
      }));
    return reply.send(list);
  });

  app.delete(`${PATHS.connections}/:id`, async (request, reply) => {
    const who = userOf(request, deps);
    if ('error' in who) return send(reply, who.error);
    const { id } = request.params as { id: string };
    if (!deps.directory.removeConnection(who.userId, id.toLowerCase())) return send(reply, notFound());
    return reply.code(204).send();
  });
}
