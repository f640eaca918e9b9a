import { Writable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import { signWebhook } from '../../emulators/quickbooks/index.js';
import { customers } from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { databaseTokenStore } from '../../src/ledger/connection-tokens.js';
import { createLogger } from '../../src/logger.js';
import { today } from '../helpers/calendar.js';
import { Browser } from '../helpers/dunwell-harness.js';
import { portalClient } from '../helpers/portal.js';
import {
  type QuickBooksHarness,
  quickBooksApp,
  startQuickBooksHarness,
} from '../helpers/quickbooks-harness.js';
import { waitFor } from '../helpers/wait.js';

const seed: CompanySeed = {
  name: 'Quiet Logs Ltd',
  homeCurrency: 'GBP',
  country: 'GB',
  user: { sub: 'intuit-quiet', email: 'owner@quiet.example', givenName: 'Q', familyName: 'Owner' },
  customers: [{ id: '1', displayName: 'Chatty Customer', email: 'ap@chatty.example' }],
  invoices: [{ id: '11', customerId: '1', total: 40_000, status: 'overdue', dueDate: addDays(today, -20) }],
};

describe('a full run at debug level writes no secret to the log', () => {
  const lines: string[] = [];
  let qbo: QuickBooksHarness;
  const used: Record<string, string> = {};

  beforeAll(async () => {
    const capture = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    qbo = await startQuickBooksHarness(inject('adminUrl'), seed, {}, createLogger('debug', capture));
  }, 120_000);
  afterAll(() => qbo?.stop());

  it('through connecting, the first sync, webhooks, the portal, a refused callback and signing in', async () => {
    const url = (path: string) => `${qbo.runtime.url}${path}`;
    // Connect by hand, to know the code QuickBooks gave.
    const owner = new Browser();
    const start = await owner.request(url('/connect/quickbooks'));
    const consent = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
    const callback = consent.headers.get('location') ?? '';
    used['oauth code'] = new URL(callback).searchParams.get('code') ?? '';
    used['oauth state'] = new URL(callback).searchParams.get('state') ?? '';
    const connected = await owner.request(callback);
    const connectionId = new URL(connected.headers.get('location') ?? '', qbo.runtime.url).searchParams.get(
      'connected',
    );
    await qbo.waitForSync(connectionId ?? '', (row) => row.syncProgress?.phase === 'done');
    const tokens = await databaseTokenStore(
      qbo.runtime.ledger.db,
      qbo.runtime.ledger.cipher,
      connectionId ?? '',
    ).load();
    used['access token'] = tokens.accessToken;
    used['refresh token'] = tokens.refreshToken;
    used['session cookie'] = /dunwell_session=([^;]+)/.exec(owner.cookie)?.[1] ?? '';

    // A webhook, the way QuickBooks sends it, and the sync it leads to.
    qbo.emulator.changes(qbo.realmId).receivePayment({ customerId: '1', amount: 10_000, invoiceIds: ['11'] });
    expect(await qbo.emulator.deliverWebhooks()).toEqual([200]);

    // The debtor opens their page and their pay link.
    const [customer] = await qbo.runtime.database.db
      .select({ id: customers.id, orgId: customers.orgId })
      .from(customers)
      .where(and(eq(customers.externalId, '1')));
    const portalToken = portalClient(qbo).tokenFor(customer?.orgId ?? '', customer?.id ?? '');
    used['portal token'] = portalToken;
    expect((await fetch(url(`/portal/${portalToken}`))).status).toBe(200);
    await fetch(url(`/portal/${portalToken}/pay/11?from=email`), { redirect: 'manual' });

    // A callback with a code QuickBooks refuses, and a sign-in.
    const again = new Browser();
    const restart = await again.request(url('/connect/quickbooks'));
    const second = await fetch(restart.headers.get('location') ?? '', { redirect: 'manual' });
    const refusedCode = new URL(second.headers.get('location') ?? '').searchParams.get('code') ?? '';
    used['refused oauth code'] = refusedCode;
    const refused = await again.request(
      (second.headers.get('location') ?? '').replace(refusedCode, `${refusedCode}-tampered`),
      { headers: { accept: 'text/html' } },
    );
    expect(refused.status).toBe(400);
    await new Browser().signIn(qbo.runtime.url, 'quickbooks');

    // A forged webhook is refused and logged.
    const forged = '[{"id":"x"}]';
    await fetch(url('/webhooks/quickbooks'), {
      method: 'POST',
      body: forged,
      headers: {
        'content-type': 'application/json',
        'intuit-signature': signWebhook(forged, 'not-the-token'),
      },
    });

    await waitFor(async () => lines.some((line) => line.includes('routed webhook events')), {
      what: 'the webhook to be routed',
    });
    used['client secret'] = quickBooksApp.clientSecret;
    used['verifier token'] = quickBooksApp.verifier;
    used['session secret'] = String(qbo.environment['SESSION_SECRET']);
    used['token key'] = String(qbo.environment['TOKEN_KEYS']).split(':').pop() ?? '';
    for (const [name, value] of Object.entries(used)) expect(value.length, name).toBeGreaterThan(7);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    expect(log).toContain('/portal/[redacted]');

    const found = Object.entries(used)
      .filter(([, value]) => log.includes(value))
      .map(([name]) => name);
    expect(found).toEqual([]);
  });
});
