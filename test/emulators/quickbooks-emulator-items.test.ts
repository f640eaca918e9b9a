/** Items (products and services) through node-quickbooks: the starter items, seeded ones, and Intuit's shapes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCompanySeed } from '../../emulators/quickbooks/demo.js';
import type { QuickBooksEmulator } from '../../emulators/quickbooks/index.js';
import {
  call,
  connectedQuickbooks,
  failure,
  type Json,
  restoreClientStatics,
  startEmulator,
} from './qbo-harness.js';

let emulator: QuickBooksEmulator;
let demoRealm: string;
let plainRealm: string;

beforeAll(async () => {
  ({ emulator } = await startEmulator());
  demoRealm = emulator.addCompany(demoCompanySeed(Date.now()));
  plainRealm = emulator.addCompany({ name: 'No Items Added', customers: [] });
});

afterAll(async () => {
  restoreClientStatics();
  await emulator.close();
});

/** node-quickbooks passes a criteria string through as it is; its types only list the object forms. */
const where = (criteria: string) => criteria as never;
const names = (items: Json[]) => items.map((item: Json) => item.Name).sort();

describe('items', () => {
  it('starts every company with the Services and Hours items its invoice lines name', async () => {
    const qbo = await connectedQuickbooks(emulator, plainRealm);
    const found = await call((done) => qbo.findItems(where('where Active = true'), done));
    expect(found.QueryResponse.Item).toEqual([
      expect.objectContaining({ Id: '1', Name: 'Services', Type: 'Service', Active: true }),
      expect.objectContaining({ Id: '2', Name: 'Hours', Type: 'Service', Active: true }),
    ]);
    const invoiceLineItem = emulator.company(demoRealm).invoices[0]?.['Line'] as Json[];
    expect(invoiceLineItem[0].SalesItemLineDetail.ItemRef).toEqual({ value: '1', name: 'Services' });
  });

  it('answers `select * from Item where Active = true` with the active items only, in Intuit’s shapes', async () => {
    const qbo = await connectedQuickbooks(emulator, demoRealm);
    const found = await call((done) => qbo.findItems(where('where Active = true'), done));
    const items: Json[] = found.QueryResponse.Item;
    expect(names(items)).toEqual([
      'Bad debts',
      'Design',
      'Garden lights',
      'Hours',
      'Plants',
      'Services',
      'Settlement discounts',
      'Spring clean-up',
    ]);
    expect(found.QueryResponse).toMatchObject({ startPosition: 1, maxResults: items.length });
    const badDebts = items.find((item: Json) => item.Name === 'Bad debts');
    expect(badDebts).toEqual({
      Id: '3',
      SyncToken: '0',
      domain: 'QBO',
      sparse: false,
      MetaData: { CreateTime: expect.any(String), LastUpdatedTime: expect.any(String) },
      Name: 'Bad debts',
      FullyQualifiedName: 'Bad debts',
      Active: true,
      Type: 'Service',
      Description: 'Uncollectable balances written off',
      Taxable: false,
      UnitPrice: 0,
      PurchaseCost: 0,
      TrackQtyOnHand: false,
      IncomeAccountRef: { value: '61', name: 'Bad Debts' },
    });
    // A category only groups items: no price, no account.
    const plants = items.find((item: Json) => item.Name === 'Plants');
    expect(plants).toMatchObject({ Type: 'Category' });
    expect(plants).not.toHaveProperty('IncomeAccountRef');
    expect(plants).not.toHaveProperty('UnitPrice');
    expect(items.find((item: Json) => item.Name === 'Garden lights')).toMatchObject({
      Type: 'Inventory',
      TrackQtyOnHand: true,
      QtyOnHand: 0,
    });
  });

  it('leaves inactive items out unless the query asks about Active, as for every name list', async () => {
    const qbo = await connectedQuickbooks(emulator, demoRealm);
    const unfiltered = await call((done) => qbo.findItems(done));
    expect(names(unfiltered.QueryResponse.Item)).not.toContain('Old write-offs');
    const inactive = await call((done) => qbo.findItems(where('where Active = false'), done));
    expect(inactive.QueryResponse.Item).toEqual([
      expect.objectContaining({ Id: '9', Name: 'Old write-offs', Active: false }),
    ]);
    const services = await call((done) => qbo.findItems(where("where Type = 'NonInventory'"), done));
    expect(names(services.QueryResponse.Item)).toEqual(['Design']);
    const counted = await call((done) => qbo.findItems({ count: true }, done));
    expect(counted.QueryResponse.totalCount).toBe(8);
  });

  it('reads one item by id, inactive or not, and answers 400 with fault 610 for an unknown one', async () => {
    const qbo = await connectedQuickbooks(emulator, demoRealm);
    const item = await call((done) => qbo.getItem('9', done));
    expect(item).toMatchObject({ Id: '9', Name: 'Old write-offs', Active: false });
    const missing = await failure(call((done) => qbo.getItem('999', done)));
    expect(missing.status).toBe(400);
    expect(missing.body.Fault.Error[0].code).toBe('610');
  });

  it('refuses seeds with two items of one name', () => {
    expect(() =>
      emulator.addCompany({
        name: 'Twice',
        customers: [],
        items: [{ name: 'services', type: 'Service' }],
      }),
    ).toThrow(/two items are named services/);
  });
});
