import { notFound } from '../errors.js';
import type { ServiceContext } from '../services/context.js';
import { type OrganisationProfile, organisationProfile } from './settings.js';

/** The context's organisation: its name, zone, currency, country and settings; 404 when it is gone. */
export async function organisationOf(
  ctx: Pick<ServiceContext, 'db' | 'orgId'>,
): Promise<OrganisationProfile> {
  const profile = await organisationProfile(ctx.db, ctx.orgId);
  if (!profile) throw notFound('organisation');
  return profile;
}
