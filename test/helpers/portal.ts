import { and, eq, lte } from 'drizzle-orm';
import { evaluateOrganisation } from '../../src/collections/evaluate.js';
import { outboundMessages } from '../../src/db/schema/index.js';
import { portalLinks } from '../../src/domain/portal-links.js';
import { deliverMessage } from '../../src/messaging/delivery/deliver-message.js';
import { createLocalTransport } from '../../src/messaging/transport/local.js';
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
 * Evaluates an organisation as the hourly job does, then sends what it queued as the delivery job
 * would at that moment (balances re-checked with the emulated ledger, rendered, through a local
 * transport), so a test can read the emails and the next evaluation sees them sent.
 */
export async function evaluateAndSend(dunwell: DunwellUnderTest, orgId: string, now: Date) {
  const db = dunwell.runtime.database.db;
  const result = await evaluateOrganisation(db, orgId, { now });
  const due = await db
    .select({ id: outboundMessages.id })
    .from(outboundMessages)
    .where(
      and(
        eq(outboundMessages.orgId, orgId),
        eq(outboundMessages.status, 'pending'),
        lte(outboundMessages.sendAfter, now),
      ),
    );
  const deps = {
    db,
    ledger: dunwell.runtime.ledger,
    transport: localTransport,
    from: { email: 'reminders@dunwell.example', name: 'Dunwell' },
    links: portalClient(dunwell).links,
    unsubscribeUrl: ({ id }: { id: string }) => `${dunwell.runtime.url}/opt-out/${id}`,
    now: () => now,
  };
  for (const message of due) await deliverMessage(deps, message.id);
  return result;
}

const localTransport = createLocalTransport();
