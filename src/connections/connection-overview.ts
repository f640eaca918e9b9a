import { organisationOf } from '../organisations/organisation-of.js';
import type { ServiceContext } from '../services/context.js';
import { type ConnectionSummary, listConnections } from './list-connections.js';

export interface ConnectionOverview {
  organisationName: string;
  timeZone: string;
  connections: ConnectionSummary[];
}

/** The connection and data page: the organisation's books, how their syncs stand, and its name. */
export async function connectionOverview(ctx: ServiceContext): Promise<ConnectionOverview> {
  const [profile, connections] = await Promise.all([
    organisationOf(ctx),
    listConnections(ctx.db, [ctx.orgId]),
  ]);
  return { organisationName: profile.name, timeZone: profile.timeZone, connections };
}
