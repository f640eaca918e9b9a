/** The chart of accounts (GET /Accounts) through xero-node, and its wire JSON against Xero's OpenAPI. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account, AccountType, type XeroClient } from 'xero-node';
import { demoOrganisationSeed } from '../../../emulators/xero/demo.js';
import type { XeroEmulator } from '../../../emulators/xero/index.js';
import { validateXero } from '../../contracts/xero-schema.js';
import { apiFailure, connect, harnessSeed, OWNER, startEmulator } from './xero-harness.js';

let emulator: XeroEmulator;
let unroute: () => void;
let xero: XeroClient;
let accessToken: string;
let demoTenant: string;
let plainTenant: string;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  ({ emulator, unroute } = await startEmulator());
  demoTenant = emulator.addOrganisation({ ...demoOrganisationSeed(Date.now()), user: OWNER });
  plainTenant = emulator.addOrganisation(harnessSeed(today, { countryCode: 'GB' }));
  const connected = await connect(emulator, { tenants: [demoTenant, plainTenant] });
  xero = connected.client;
  accessToken = connected.tokenSet.access_token as string;
});

afterAll(async () => {
  unroute();
  await emulator.close();
});

describe('the chart of accounts', () => {
  it('starts every organisation with a small default chart, system accounts marked', async () => {
    const { body } = await xero.accountingApi.getAccounts(plainTenant);
    const byCode = new Map((body.accounts ?? []).map((account) => [account.code, account]));
    expect([...byCode.keys()]).toEqual([
      '090',
      '200',
      '260',
      '270',
      '310',
      '400',
      '404',
      '429',
      '610',
      '800',
      '820',
      '960',
    ]);
    expect(byCode.get('200')).toMatchObject({
      name: 'Sales',
      type: AccountType.REVENUE,
      status: Account.StatusEnum.ACTIVE,
      _class: Account.ClassEnum.REVENUE,
      accountID: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(byCode.get('610')).toMatchObject({ type: AccountType.CURRENT, systemAccount: 'DEBTORS' });
    // GB's sales-tax account is VAT.
    expect(byCode.get('820')).toMatchObject({ name: 'VAT', systemAccount: 'GST' });
    expect(byCode.get('090')).toMatchObject({ type: AccountType.BANK, bankAccountType: 'BANK' });
  });

  it('lists archived accounts too, and filters with where and order as Xero does', async () => {
    const all = (await xero.accountingApi.getAccounts(demoTenant)).body.accounts ?? [];
    expect(all.find((account) => account.code === '481')).toMatchObject({
      name: 'Old Bad Debts',
      status: Account.StatusEnum.ARCHIVED,
    });
    const active = (await xero.accountingApi.getAccounts(demoTenant, undefined, 'Status=="ACTIVE"')).body;
    expect(active.accounts?.some((account) => account.code === '481')).toBe(false);
    expect(active.accounts?.find((account) => account.code === '480')).toMatchObject({
      name: 'Bad Debts',
      type: AccountType.EXPENSE,
      description: 'Uncollectable debts written off',
    });
    const expenses = await xero.accountingApi.getAccounts(
      demoTenant,
      undefined,
      'Type=="EXPENSE" AND Status=="ACTIVE"',
      'Name DESC',
    );
    expect(expenses.body.accounts?.map((account) => account.name)).toEqual([
      'General Expenses',
      'Bank Fees',
      'Bad Debts',
      'Advertising',
    ]);
    const one = await xero.accountingApi.getAccount(demoTenant, active.accounts?.[0]?.accountID ?? '');
    expect(one.body.accounts?.[0]?.code).toBe(active.accounts?.[0]?.code);
  });

  it('serves JSON that fits the Accounts schema of xero_accounting.yaml', async () => {
    const response = await fetch(`${emulator.endpoints.apiBase}/Accounts`, {
      headers: {
        authorization: `Bearer ${accessToken}`,
        'xero-tenant-id': demoTenant,
        accept: 'application/json',
      },
    });
    expect(response.status).toBe(200);
    const json = (await response.json()) as { Accounts: Array<Record<string, unknown>> };
    expect(json.Accounts.length).toBeGreaterThan(12);
    expect(validateXero('Accounts', json)).toEqual([]);
    const broken = structuredClone(json);
    if (broken.Accounts[0]) broken.Accounts[0]['Type'] = 'BADDEBT';
    expect(validateXero('Accounts', broken)).not.toEqual([]);
  });

  it('needs a settings scope: a token with only transactions gets 401', async () => {
    const { client } = await connect(emulator, {
      tenants: [demoTenant],
      scopes: ['openid', 'offline_access', 'accounting.transactions'],
    });
    const failure = await apiFailure(client.accountingApi.getAccounts(demoTenant));
    expect(failure.statusCode).toBe(401);
    expect(failure.body.Detail).toBe('AuthorizationUnsuccessful');
  });

  it('refuses seeds with two accounts of one code', () => {
    expect(() =>
      emulator.addOrganisation(
        harnessSeed(today, { accounts: [{ code: '200', name: 'More Sales', type: 'REVENUE' }] }),
      ),
    ).toThrow(/Two accounts have the code 200/);
  });
});
