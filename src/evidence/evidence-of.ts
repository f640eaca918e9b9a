import { notFound } from '../errors.js';
import type { ServiceContext } from '../services/context.js';
import { type EvidencePack, evidencePack } from './evidence-pack.js';

/** The evidence pack of one customer of the organisation; 404 for anyone else's. */
export async function evidenceOf(ctx: ServiceContext, customerId: string): Promise<EvidencePack> {
  const pack = await evidencePack(ctx.db, ctx.orgId, customerId);
  if (!pack) throw notFound('customer');
  return pack;
}
