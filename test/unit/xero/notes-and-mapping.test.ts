import { describe, expect, it } from 'vitest';
import type { Contact, Invoice } from 'xero-node';
import { classifyXeroFailure } from '../../../connectors/xero/api.js';
import {
  isoDate,
  paymentsOfInvoice,
  toLedgerCustomer,
  toLedgerInvoice,
} from '../../../connectors/xero/mapping.js';
import { splitNote } from '../../../connectors/xero/notes.js';

describe('Xero History notes', () => {
  it('keeps a short note whole', () => {
    expect(splitNote('Reminder sent to ap@example.com (step: friendly).')).toEqual([
      'Reminder sent to ap@example.com (step: friendly).',
    ]);
  });

  it('splits a long note into numbered parts of at most 250 characters, at word boundaries', () => {
    const words = Array.from({ length: 120 }, (_, index) => `word${index}`).join(' ');
    const parts = splitNote(words);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(250);
    expect(parts[0]?.startsWith(`(1/${parts.length}) `)).toBe(true);
    const rejoined = parts.map((part) => part.replace(/^\(\d+\/\d+\) /, '')).join(' ');
    expect(rejoined).toBe(words);
  });

  it('cuts a single overlong word rather than exceeding the limit', () => {
    const parts = splitNote('x'.repeat(600));
    expect(parts.every((part) => part.length <= 250)).toBe(true);
    expect(parts.map((part) => part.replace(/^\(\d+\/\d+\) /, '')).join('')).toBe('x'.repeat(600));
  });
});

describe('Xero mapping', () => {
  const invoice = {
    invoiceID: '6b1a2e2a-0bb0-4c1f-9d5c-1f4f5e6a7b8c',
    invoiceNumber: 'INV-0042',
    type: 'ACCREC',
    status: 'AUTHORISED',
    contact: { contactID: 'c-1', name: 'Ridgeway Farms' },
    date: new Date('2026-10-01T00:00:00Z'),
    dueDate: new Date('2026-10-31T00:00:00Z'),
    total: 1150.5,
    amountDue: 650.5,
    amountPaid: 500,
    currencyCode: 'NZD',
    updatedDateUTC: new Date('2026-11-02T09:30:00Z'),
    payments: [{ paymentID: 'p-1', date: new Date('2026-11-02T00:00:00Z'), amount: 500 }],
  } as unknown as Invoice;

  it('maps amounts to minor units, dates to ISO days, and computes open from the amount due', () => {
    expect(toLedgerInvoice(invoice, 'USD')).toMatchObject({
      externalId: '6b1a2e2a-0bb0-4c1f-9d5c-1f4f5e6a7b8c',
      customerExternalId: 'c-1',
      currency: 'NZD',
      totalMinor: 115050,
      balanceMinor: 65050,
      issueDate: '2026-10-01',
      dueDate: '2026-10-31',
      status: 'open',
      version: '2026-11-02T09:30:00.000Z',
    });
    expect(
      toLedgerInvoice({ ...invoice, status: 'PAID', amountDue: 0 } as unknown as Invoice, 'USD').status,
    ).toBe('paid');
    expect(
      toLedgerInvoice({ ...invoice, status: 'VOIDED', amountDue: 0 } as unknown as Invoice, 'USD').status,
    ).toBe('voided');
    // Xero keeps AmountDue on a voided invoice; nothing is owed on it.
    expect(
      toLedgerInvoice({ ...invoice, status: 'VOIDED', amountDue: 120 } as unknown as Invoice, 'USD'),
    ).toMatchObject({ status: 'voided', balanceMinor: 0 });
    expect(isoDate('/Date(1700000000000+0000)/')).toBe('2023-11-14');
  });

  it('reads the payments an invoice lists as allocations to it', () => {
    expect(paymentsOfInvoice(invoice, 'USD')).toEqual([
      {
        externalId: 'p-1',
        customerExternalId: 'c-1',
        amount: { amountMinor: 50000, currency: 'NZD' },
        paidOn: '2026-11-02',
        allocations: [{ invoiceExternalId: invoice.invoiceID, amountMinor: 50000 }],
      },
    ]);
  });

  it('takes the email and the people included on emails as billing contacts, the others for escalation', () => {
    const contact = {
      contactID: 'c-1',
      name: 'Ridgeway Farms',
      emailAddress: 'accounts@ridgeway.example',
      contactStatus: 'ACTIVE',
      contactPersons: [
        { firstName: 'Tui', lastName: 'Ngata', emailAddress: 'tui@ridgeway.example', includeInEmails: true },
        {
          firstName: 'Sam',
          lastName: 'Ngata',
          emailAddress: 'owner@ridgeway.example',
          includeInEmails: false,
        },
        { firstName: 'No', lastName: 'Email' },
      ],
    } as unknown as Contact;
    expect(toLedgerCustomer(contact).contacts).toEqual([
      { name: null, email: 'accounts@ridgeway.example', role: 'billing' },
      { name: 'Tui Ngata', email: 'tui@ridgeway.example', role: 'billing' },
      { name: 'Sam Ngata', email: 'owner@ridgeway.example', role: 'other' },
    ]);
    expect(toLedgerCustomer({ ...contact, contactStatus: 'ARCHIVED' } as unknown as Contact).active).toBe(
      false,
    );
  });
});

describe('Xero failures', () => {
  const apiError = (statusCode: number, body: unknown, headers: Record<string, string> = {}) =>
    JSON.stringify({ response: { statusCode, body, headers }, body });

  it('parses the JSON string xero-node rejects with', () => {
    const validation = apiError(400, {
      ErrorNumber: 10,
      Type: 'ValidationException',
      Message: 'A validation exception occurred',
      Elements: [{ ValidationErrors: [{ Message: 'Details must not be more than 250 characters' }] }],
    });
    expect(classifyXeroFailure(validation)).toMatchObject({
      status: 400,
      code: 'rejected',
      detail: 'Details must not be more than 250 characters',
    });
  });

  it('reads minute and day 429s with their Retry-After, and 401/403 as a reconnect', () => {
    const minute = apiError(429, 'Too Many Requests', {
      'retry-after': '12',
      'x-rate-limit-problem': 'minute',
    });
    expect(classifyXeroFailure(minute)).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 12 });
    const day = apiError(429, '', { 'Retry-After': '40000', 'X-Rate-Limit-Problem': 'day' });
    expect(classifyXeroFailure(day)).toMatchObject({
      retryAfterSeconds: 40000,
      detail: expect.stringContaining('day'),
    });
    expect(classifyXeroFailure(apiError(401, { Detail: 'AuthenticationUnsuccessful' })).code).toBe(
      'reauth_required',
    );
    expect(classifyXeroFailure(apiError(403, { Detail: 'AuthorizationUnsuccessful' }))).toMatchObject({
      status: 403,
      code: 'reauth_required',
    });
    expect(classifyXeroFailure({ error: 'invalid_grant', response: { statusCode: 400 } }).code).toBe(
      'reauth_required',
    );
  });
});
