import { createRequire } from 'node:module';
import type { AxiosStatic, InternalAxiosRequestConfig } from 'axios';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OrganisationSeed } from '../../emulators/xero/index.js';
import { openLedgerConnection } from '../../src/ledger/open-connection.js';
import { startXeroHarness, type XeroHarness } from '../helpers/xero-harness.js';
import { validateXero } from './xero-schema.js';

// The CommonJS axios instance, the one xero-node sends its requests through.
const axios = createRequire(import.meta.url)('axios') as AxiosStatic;

const owner = { email: 'contract@example.com', firstName: 'Con', lastName: 'Tract' };
const contactId = '66666666-6666-4666-8666-666666666666';
const invoiceId = 'c0000000-0000-4000-8000-000000000001';
const seed: OrganisationSeed = {
  name: 'Contract Test Ltd',
  baseCurrency: 'NZD',
  countryCode: 'NZ',
  user: owner,
  contacts: [{ id: contactId, name: 'Buyer', emailAddress: 'buyer@example.com' }],
  invoices: [{ id: invoiceId, contactId, total: 80_000, dueDate: '2026-12-01' }],
};

interface SentRequest {
  method: string;
  path: string;
  body: unknown;
  idempotencyKey: string | undefined;
}

/** The request bodies Dunwell's Xero connector sends, checked against Xero's official OpenAPI. */
describe('Xero connector requests against xero_accounting.yaml', () => {
  let xero: XeroHarness;
  let connectionId: string;
  const sent: SentRequest[] = [];
  let interceptor: number;

  beforeAll(async () => {
    xero = await startXeroHarness(inject('adminUrl'), [seed]);
    ({ connectionId } = await xero.connect(owner.email));
    interceptor = axios.interceptors.request.use((request: InternalAxiosRequestConfig) => {
      const url = new URL(request.url ?? '', 'http://x');
      if (url.pathname.includes('/api.xro/2.0/') && request.method && request.method !== 'get') {
        const headers = request.headers as Record<string, unknown>;
        sent.push({
          method: request.method.toUpperCase(),
          path: url.pathname.replace(/^.*\/api\.xro\/2\.0/, ''),
          body: typeof request.data === 'string' ? JSON.parse(request.data) : request.data,
          idempotencyKey: (headers['Idempotency-Key'] ?? headers['idempotency-key']) as string | undefined,
        });
      }
      return request;
    });
    const opened = await openLedgerConnection(xero.runtime.ledger, connectionId);
    if (!opened) throw new Error('no connection');
    const { connector, handle } = opened;
    await connector.appendNote(handle, {
      invoiceId,
      text: `A note. ${'Long enough to split. '.repeat(20)}`,
      idempotencyKey: 'n1',
    });
    await connector.changeDueDate(handle, { invoiceId, dueDate: '2026-12-20', idempotencyKey: 'd1' });
    await connector.applyCredit(handle, {
      invoiceId,
      amount: { amountMinor: 1_000, currency: 'NZD' },
      target: { ref: '200', description: 'Write-off' },
      memo: 'Approved write-off',
      idempotencyKey: 'c1',
    });
  }, 120_000);
  afterAll(async () => {
    axios.interceptors.request.eject(interceptor);
    await xero?.stop();
  });

  const bodyOf = (pattern: RegExp) => {
    const request = sent.find((candidate) => pattern.test(candidate.path));
    if (!request) throw new Error(`no request to ${pattern}: ${sent.map((r) => r.path).join(', ')}`);
    return request;
  };

  it('sends History records that fit HistoryRecords, each within 250 characters', () => {
    const request = bodyOf(/^\/Invoices\/[^/]+\/History$/);
    expect(validateXero('HistoryRecords', request.body)).toEqual([]);
    const records = (request.body as { HistoryRecords: Array<{ Details: string }> }).HistoryRecords;
    expect(records.length).toBeGreaterThan(1);
    expect(records.every((record) => record.Details.length <= 250)).toBe(true);
  });

  it('sends a due-date update that fits Invoices', () => {
    const request = bodyOf(/^\/Invoices\/[^/]+$/);
    expect(request.method).toBe('POST');
    expect(validateXero('Invoices', request.body)).toEqual([]);
  });

  it('sends a credit note and an allocation that fit CreditNotes and Allocations', () => {
    const note = bodyOf(/^\/CreditNotes$/);
    expect(validateXero('CreditNotes', note.body)).toEqual([]);
    expect(
      (note.body as { CreditNotes: Array<{ Type: string; Status: string }> }).CreditNotes[0],
    ).toMatchObject({
      Type: 'ACCRECCREDIT',
      Status: 'AUTHORISED',
    });
    expect(validateXero('Allocations', bodyOf(/^\/CreditNotes\/[^/]+\/Allocations$/).body)).toEqual([]);
  });

  it('puts an Idempotency-Key on every write', () => {
    expect(sent.length).toBeGreaterThanOrEqual(4);
    for (const request of sent)
      expect(request.idempotencyKey, `${request.method} ${request.path}`).toBeTruthy();
  });

  it('would notice a body that breaks the schema', () => {
    const request = bodyOf(/^\/CreditNotes$/);
    const broken = structuredClone(request.body) as { CreditNotes: Array<Record<string, unknown>> };
    const [first] = broken.CreditNotes;
    if (first) first['Type'] = 'ACCRECREFUND';
    expect(validateXero('CreditNotes', broken)).not.toEqual([]);
  });
});
