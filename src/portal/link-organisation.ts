import { type OrganisationProfile, organisationProfile } from '../organisations/settings.js';
import type { DebtorContext } from '../services/context.js';

/** Whose link it was, for the page that says it expired and how to reach them; null when gone. */
export function linkOrganisation(ctx: DebtorContext): Promise<OrganisationProfile | null> {
  return organisationProfile(ctx.db, ctx.orgId);
}
