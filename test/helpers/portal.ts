import { and, eq, isNull } from 'drizzle-orm';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import type { Database } from '../../src/db/client.js';
import { outboundMessages } from '../../src/db/schema/index.js';
import { renderQueuedMessage } from '../../src/messaging/render-queued-message.js';
import { type PortalLinks, portalLinks } from '../../src/portal/links.js';
import type { DunwellUnderTest } from './dunwell-harness.js';

/** Portal links signed as the running Dunwell signs them, and a form poster that does not follow redirects. */
export function portalClient(dunwell: DunwellUnderTest) {
  const links = portalLinks(
    String(dunwell.environment['SESSION_SECRET']),
    String(dunwell.environment['PUBLIC_URL']),
  );
  return {
    links,
    tokenFor(orgId: string, customerId: string, expiresAt = new Date(Date.now() + 30 * 86_400_000)) {
      return links.tokenFor({ orgId, customerId }, expiresAt);
    },
    page(token: string, query = '') {
      return fetch(`${dunwell.runtime.url}/portal/${token}${query}`);
    },
    post(token: string, path: string, fields: Array<[string, string]>) {
      return fetch(`${dunwell.runtime.url}/portal/${token}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
    },
  };
}

/**
 * Evaluates an organisation as the hourly job does, then renders what it queued as the sender would
 * at that moment, so a test can read the emails without sending them.
 */
export async function evaluateAndRender(db: Database, orgId: string, now: Date, links: PortalLinks) {
  const result = await evaluateOrganisation(db, orgId, { now });
  const queued = await db
    .select()
    .from(outboundMessages)
    .where(and(eq(outboundMessages.orgId, orgId), isNull(outboundMessages.bodyHtml)));
  for (const message of queued) await renderQueuedMessage(db, message, { now, links });
  return result;
}
