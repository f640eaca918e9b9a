import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CompanySeed } from '../../emulators/quickbooks/index.js';
import type { OrganisationSeed } from '../../emulators/xero/index.js';
import { customers, ledgerConnections } from '../../src/db/schema/index.js';
import { addDays } from '../../src/domain/local-time.js';
import { today } from '../helpers/calendar.js';
import { pdfText } from '../helpers/pdf-text.js';
import { type QuickBooksHarness, startQuickBooksHarness } from '../helpers/quickbooks-harness.js';
import { visibleText } from '../helpers/visible-text.js';
import { waitFor } from '../helpers/wait.js';
import { startXeroHarness, type XeroHarness } from '../helpers/xero-harness.js';

const placeholder = '(no postal address on record: write it here before posting)';

const harbour: CompanySeed = {
  name: 'Harbour Joinery',
  homeCurrency: 'GBP',
  country: 'GB',
  user: { sub: 'intuit-harbour-post', email: 'o@harbour.example', givenName: 'O', familyName: 'Owner' },
  customers: [
    {
      id: '1',
      displayName: 'Acme Builders',
      email: 'ap@acme.example',
      billAddr: {
        line1: 'Unit 4, Harbour Estate',
        line2: '12 Dock Road',
        city: 'Bristol',
        postalCode: 'BS1 4DJ',
        country: 'United Kingdom',
      },
    },
    {
      id: '2',
      displayName: 'Sydney Surf',
      email: 'ap@surf.example',
      billAddr: {
        line1: '1 George Street',
        city: 'Sydney',
        countrySubDivisionCode: 'NSW',
        postalCode: '2000',
        country: 'Australia',
      },
    },
    { id: '3', displayName: 'Quiet Quarry', email: 'ap@quarry.example' },
    {
      id: '4',
      displayName: 'Odd Data Co',
      email: 'ap@odd.example',
      billAddr: {
        line1: '  \u0000 ',
        line2: 'x'.repeat(2_000),
        line3: '  Dock\tRoad  ',
        city: ' ',
        country: 'Atlantis',
      },
    },
  ],
  invoices: ['1', '2', '3', '4'].map((customerId) => ({
    id: `30${customerId}`,
    docNumber: `HJ-30${customerId}`,
    customerId,
    total: 120_000,
    status: 'overdue' as const,
    dueDate: addDays(today, -43),
  })),
};

describe('postal addresses from QuickBooks through full and incremental sync to the letters', () => {
  let qbo: QuickBooksHarness;
  let orgId = '';
  let cookie = '';
  let connectionId = '';
  const ids: Record<string, string> = {};
  const db = () => qbo.runtime.database.db;
  const asOwner = (path: string) => fetch(`${qbo.runtime.url}${path}`, { headers: { cookie } });
  const addressOf = async (externalId: string) => {
    const [row] = await db()
      .select({ address: customers.postalAddress })
      .from(customers)
      .where(and(eq(customers.connectionId, connectionId), eq(customers.externalId, externalId)));
    return row?.address;
  };
  const demand = async (externalId: string) => {
    const answer = await asOwner(
      `/api/organisations/${orgId}/customers/${ids[externalId]}/letters/demand.pdf`,
    );
    expect(answer.status).toBe(200);
    return pdfText(new Uint8Array(await answer.arrayBuffer()));
  };
  const connection = async () =>
    (await db().select().from(ledgerConnections).where(eq(ledgerConnections.id, connectionId)))[0];

  beforeAll(async () => {
    qbo = await startQuickBooksHarness(inject('adminUrl'), harbour);
    ({ orgId, cookie, connectionId } = await qbo.connectAndSync());
    const rows = await db()
      .select({ id: customers.id, externalId: customers.externalId })
      .from(customers)
      .where(eq(customers.orgId, orgId));
    for (const row of rows) ids[row.externalId] = row.id;
  }, 180_000);
  afterAll(() => qbo?.stop());

  it('brings the billing addresses in with the first full sync, tidied, and none where there is none', async () => {
    expect(await addressOf('1')).toEqual({
      lines: ['Unit 4, Harbour Estate', '12 Dock Road'],
      city: 'Bristol',
      region: null,
      postalCode: 'BS1 4DJ',
      country: 'United Kingdom',
      countryCode: 'GB',
    });
    expect(await addressOf('2')).toMatchObject({ city: 'Sydney', region: 'NSW', countryCode: 'AU' });
    expect(await addressOf('3')).toBeNull();
    expect(await addressOf('4')).toEqual({
      lines: ['x'.repeat(500), 'Dock Road'],
      city: null,
      region: null,
      postalCode: null,
      country: 'Atlantis',
      countryCode: null,
    });
  });

  it('addresses the letters: home country left out, a country abroad last, the placeholder when none', async () => {
    const acme = await demand('1');
    expect(acme).toContain('Acme Builders Unit 4, Harbour Estate 12 Dock Road Bristol BS1 4DJ Date:');
    expect(acme).not.toContain('UNITED KINGDOM');
    expect(acme).not.toContain(placeholder);
    expect(await demand('2')).toContain('Sydney Surf 1 George Street Sydney NSW 2000 AUSTRALIA Date:');
    expect(await demand('3')).toContain(placeholder);
    const odd = await demand('4');
    expect(odd).toContain('Dock Road ATLANTIS Date:');
    expect(odd).toContain('Formal demand for payment');
  });

  it('addresses the statement of account the same way', async () => {
    const answer = await asOwner(`/api/organisations/${orgId}/customers/${ids['2']}/statement.pdf`);
    expect(answer.status).toBe(200);
    const statement = await pdfText(new Uint8Array(await answer.arrayBuffer()));
    expect(statement).toContain('Sydney Surf');
    expect(statement).toContain('1 George Street Sydney NSW 2000 AUSTRALIA');
  });

  it('shows the postal address on the customer page under the contacts', async () => {
    const page = visibleText(await (await asOwner(`/app/${orgId}/customers/${ids['1']}`)).text());
    expect(page).toMatch(
      /Contacts.*ap@acme\.example.*Postal address Unit 4, Harbour Estate 12 Dock Road Bristol BS1 4DJ/s,
    );
    const none = visibleText(await (await asOwner(`/app/${orgId}/customers/${ids['3']}`)).text());
    expect(none).toContain('Postal address None in your books');
  });

  it('follows a changed and a removed address through webhooks and the incremental sync', async () => {
    const before = await connection();
    const changes = qbo.emulator.changes(qbo.realmId);
    changes.updateCustomer('1', {
      billAddr: { line1: 'PO Box 77', city: 'Bath', postalCode: 'BA1 1AA', country: 'UK' },
    });
    changes.updateCustomer('2', { billAddr: null });
    const statuses = await qbo.emulator.deliverWebhooks();
    expect(statuses.every((status) => status === 200)).toBe(true);
    await waitFor(async () => (await addressOf('1'))?.city === 'Bath', { what: 'the changed address' });
    await waitFor(async () => (await addressOf('2')) === null, { what: 'the removed address' });
    const after = await connection();
    // Read through change data capture: no full sync ran.
    expect(after?.fullSyncedAt).toEqual(before?.fullSyncedAt);
    expect(await addressOf('1')).toEqual({
      lines: ['PO Box 77'],
      city: 'Bath',
      region: null,
      postalCode: 'BA1 1AA',
      country: 'UK',
      countryCode: 'GB',
    });
    const acme = await demand('1');
    expect(acme).toContain('Acme Builders PO Box 77 Bath BA1 1AA Date:');
    expect(acme).not.toContain('Dock Road');
    expect(await demand('2')).toContain(placeholder);
  });

  it('picks up an address added and one removed unannounced in the next full sync', async () => {
    const changes = qbo.emulator.changes(qbo.realmId);
    changes.updateCustomer('3', {
      billAddr: { line1: 'Quarry Lane', city: 'Portland', postalCode: 'DT5 1AA' },
    });
    changes.updateCustomer('1', { billAddr: null });
    const before = await connection();
    await qbo.runtime.jobs.send('ledger.sync', { connectionId, mode: 'full' });
    await qbo.waitForSync(
      connectionId,
      (row) => (row.fullSyncedAt?.getTime() ?? 0) > (before?.fullSyncedAt?.getTime() ?? 0),
    );
    expect(await addressOf('3')).toMatchObject({ lines: ['Quarry Lane'], postalCode: 'DT5 1AA' });
    expect(await addressOf('1')).toBeNull();
    expect(await demand('3')).toContain('Quiet Quarry Quarry Lane Portland DT5 1AA Date:');
    expect(await demand('1')).toContain(placeholder);
  });
});

const kauri = {
  owner: { email: 'owner@kauri-post.example', firstName: 'Hemi', lastName: 'Walker' },
  kowhai: '11111111-1111-4111-8111-111111111111',
  totara: '22222222-2222-4222-8222-222222222222',
  rimu: '33333333-3333-4333-8333-333333333333',
};

const kauriSeed: OrganisationSeed = {
  name: 'Kauri Timber',
  baseCurrency: 'NZD',
  countryCode: 'NZ',
  user: kauri.owner,
  contacts: [
    {
      id: kauri.kowhai,
      name: 'Kowhai Orchards',
      emailAddress: 'accounts@kowhai.example',
      addresses: [
        { addressType: 'STREET', addressLine1: '9 Orchard Road', city: 'Motueka', postalCode: '7120' },
        {
          addressType: 'POBOX',
          addressLine1: 'PO Box 12',
          addressLine2: '   ',
          city: 'Nelson',
          postalCode: '7040',
          country: 'New Zealand',
        },
      ],
    },
    {
      id: kauri.totara,
      name: 'Totara Tours',
      emailAddress: 'ap@totara.example',
      addresses: [{ addressType: 'STREET', addressLine1: '1 Tour Street', city: 'London', country: 'GB' }],
    },
    { id: kauri.rimu, name: 'Rimu Rentals', emailAddress: 'ap@rimu.example' },
  ],
  invoices: [
    {
      id: 'a0000000-0000-4000-8000-000000000001',
      contactId: kauri.kowhai,
      total: 120_000,
      dueDate: addDays(today, -30),
    },
  ],
};

describe('postal addresses from Xero through full and incremental sync', () => {
  let xero: XeroHarness;
  let connectionId = '';
  const db = () => xero.runtime.database.db;
  const addressOf = async (externalId: string) => {
    const [row] = await db()
      .select({ address: customers.postalAddress })
      .from(customers)
      .where(and(eq(customers.connectionId, connectionId), eq(customers.externalId, externalId)));
    return row?.address;
  };

  beforeAll(async () => {
    xero = await startXeroHarness(inject('adminUrl'), [kauriSeed]);
    connectionId = (await xero.connect(kauri.owner.email)).connectionId;
    await xero.waitForSync(
      connectionId,
      (row) => row.syncProgress?.phase === 'done' && row.fullSyncedAt !== null,
    );
  }, 180_000);
  afterAll(() => xero?.stop());

  it('takes the postal (POBOX) address, else the street one, in the full sync', async () => {
    expect(await addressOf(kauri.kowhai)).toEqual({
      lines: ['PO Box 12'],
      city: 'Nelson',
      region: null,
      postalCode: '7040',
      country: 'New Zealand',
      countryCode: 'NZ',
    });
    expect(await addressOf(kauri.totara)).toMatchObject({ lines: ['1 Tour Street'], countryCode: 'GB' });
    expect(await addressOf(kauri.rimu)).toBeNull();
  });

  it('follows a changed, a removed and a new address through webhooks and the incremental sync', async () => {
    const changes = xero.emulator.changes(xero.tenantIds[0] as string);
    // The postal address emptied: letters go to the street address.
    changes.updateContact(kauri.kowhai, {
      addresses: [
        { addressType: 'STREET', addressLine1: '9 Orchard Road', city: 'Motueka', postalCode: '7120' },
      ],
    });
    changes.updateContact(kauri.totara, { addresses: [] });
    changes.updateContact(kauri.rimu, {
      addresses: [
        { addressType: 'POBOX', addressLine1: 'PO Box 3', city: 'Rotorua', region: 'Bay of Plenty' },
      ],
    });
    await xero.emulator.deliverWebhooks();
    await waitFor(async () => (await addressOf(kauri.kowhai))?.city === 'Motueka', {
      what: 'the street address',
    });
    await waitFor(async () => (await addressOf(kauri.totara)) === null, { what: 'the removed address' });
    await waitFor(async () => (await addressOf(kauri.rimu))?.city === 'Rotorua', { what: 'the new address' });
    expect(await addressOf(kauri.kowhai)).toEqual({
      lines: ['9 Orchard Road'],
      city: 'Motueka',
      region: null,
      postalCode: '7120',
      country: null,
      countryCode: null,
    });
    expect(await addressOf(kauri.rimu)).toMatchObject({ lines: ['PO Box 3'], region: 'Bay of Plenty' });
  });
});
