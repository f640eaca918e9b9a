/** Builds an organisation's books from an OrganisationSeed, through the ledger so every rule holds. */
import { randomUUID } from 'node:crypto';
import { addDays, dateToMs, isoDate } from '../time.js';
import type { AccountSeed, ContactSeed, InvoiceSeed, OrganisationSeed } from '../types.js';
import { type ChangeEvent, Ledger, LedgerError, makeLines } from './ledger.js';
import {
  amountDue,
  type Contact,
  type Invoice,
  normaliseId,
  type Organisation,
  UUID_PATTERN,
} from './model.js';

const COUNTRY_DEFAULTS: Record<string, { currency: string; timezone: string }> = {
  NZ: { currency: 'NZD', timezone: 'NEWZEALANDSTANDARDTIME' },
  AU: { currency: 'AUD', timezone: 'AUSEASTERNSTANDARDTIME' },
  GB: { currency: 'GBP', timezone: 'GMTSTANDARDTIME' },
  US: { currency: 'USD', timezone: 'EASTERNSTANDARDTIME' },
  CA: { currency: 'CAD', timezone: 'EASTERNSTANDARDTIME' },
  ZA: { currency: 'ZAR', timezone: 'SOUTHAFRICASTANDARDTIME' },
};

/** The sales-tax account's name by country, as Xero's default charts call it. */
const TAX_ACCOUNT: Record<string, string> = {
  NZ: 'GST',
  AU: 'GST',
  GB: 'VAT',
  US: 'Sales Tax',
  CA: 'GST/HST',
};

/**
 * A small part of Xero's default chart of accounts (codes as in Xero's starter charts): sales and other
 * income, cost of sales, a few expenses, the bank, and the system accounts Xero keeps for itself.
 */
function starterChart(countryCode: string): Array<AccountSeed & { systemAccount?: string }> {
  return [
    { code: '090', name: 'Business Bank Account', type: 'BANK', bankAccountNumber: '0209087654321050' },
    { code: '200', name: 'Sales', type: 'REVENUE', description: 'Income from any normal business activity' },
    { code: '260', name: 'Other Revenue', type: 'REVENUE' },
    { code: '270', name: 'Interest Income', type: 'REVENUE' },
    { code: '310', name: 'Cost of Goods Sold', type: 'DIRECTCOSTS' },
    { code: '400', name: 'Advertising', type: 'EXPENSE' },
    { code: '404', name: 'Bank Fees', type: 'EXPENSE' },
    { code: '429', name: 'General Expenses', type: 'EXPENSE' },
    { code: '610', name: 'Accounts Receivable', type: 'CURRENT', systemAccount: 'DEBTORS' },
    { code: '800', name: 'Accounts Payable', type: 'CURRLIAB', systemAccount: 'CREDITORS' },
    { code: '820', name: TAX_ACCOUNT[countryCode] ?? 'Sales Tax', type: 'CURRLIAB', systemAccount: 'GST' },
    { code: '960', name: 'Retained Earnings', type: 'EQUITY', systemAccount: 'RETAINEDEARNINGS' },
  ];
}

const REVENUE_TYPES = new Set(['REVENUE', 'SALES', 'OTHERINCOME']);
const EXPENSE_TYPES = new Set(['EXPENSE', 'OVERHEADS', 'DIRECTCOSTS', 'DEPRECIATN']);

function addAccount(
  org: Organisation,
  seed: AccountSeed & { systemAccount?: string },
  updatedAt: number,
): void {
  const id = checkId(seed.id, 'account');
  const code = seed.code?.trim() || null;
  const name = seed.name.trim();
  if (code !== null && !/^[A-Za-z0-9]{1,10}$/.test(code))
    throw new Error(`Account code ${code} must be 1–10 letters or digits`);
  if (name === '' || name.length > 150) throw new Error(`Account name "${name}" must be 1–150 characters`);
  if (code === null && seed.type !== 'BANK') throw new Error(`Account ${name} needs a code`);
  for (const other of org.accounts.values()) {
    if (other.id === id) throw new Error(`Two accounts have the id ${id}`);
    if (code !== null && other.code?.toLowerCase() === code.toLowerCase())
      throw new Error(`Two accounts have the code ${code}`);
    if (other.name.toLowerCase() === name.toLowerCase()) throw new Error(`Two accounts are named ${name}`);
  }
  const taxType =
    seed.taxType ??
    (REVENUE_TYPES.has(seed.type) ? 'OUTPUT' : EXPENSE_TYPES.has(seed.type) ? 'INPUT' : 'NONE');
  org.accounts.set(id, {
    id,
    code,
    name,
    type: seed.type,
    status: seed.status ?? 'ACTIVE',
    taxType,
    ...(seed.description !== undefined ? { description: seed.description } : {}),
    ...(seed.systemAccount !== undefined ? { systemAccount: seed.systemAccount } : {}),
    ...(seed.bankAccountNumber !== undefined ? { bankAccountNumber: seed.bankAccountNumber } : {}),
    updatedAt,
  });
}

function checkId(id: string | undefined, what: string): string {
  if (id === undefined) return randomUUID();
  if (!UUID_PATTERN.test(id)) throw new Error(`The ${what} id ${id} must be a uuid, as Xero's are`);
  return normaliseId(id);
}

function shortCode(name: string): string {
  const letters = name
    .replace(/[^A-Za-z]/g, '')
    .slice(0, 5)
    .padEnd(5, 'x');
  return `!${letters}`;
}

function emptyOrganisation(seed: OrganisationSeed, tenantId: string, now: number): Organisation {
  const countryCode = seed.countryCode ?? 'NZ';
  const defaults = COUNTRY_DEFAULTS[countryCode] ?? { currency: 'USD', timezone: 'UTC' };
  return {
    tenantId,
    name: seed.name,
    legalName: seed.legalName ?? seed.name,
    baseCurrency: seed.baseCurrency ?? defaults.currency,
    countryCode,
    timezone: seed.timezone ?? defaults.timezone,
    shortCode: seed.shortCode ?? shortCode(seed.name),
    onlineInvoicing: seed.onlineInvoicing ?? true,
    createdAt: now - 365 * 86_400_000,
    userName: `${seed.user.firstName} ${seed.user.lastName}`,
    contacts: new Map(),
    invoices: new Map(),
    payments: new Map(),
    creditNotes: new Map(),
    overpayments: new Map(),
    prepayments: new Map(),
    allocations: new Map(),
    accounts: new Map(),
    history: new Map(),
    idempotency: new Map(),
    sequence: { invoice: 0, creditNote: 0, history: 0 },
  };
}

export function buildContact(input: ContactSeed & { id: string }, updatedAt: number): Contact {
  return {
    id: input.id,
    name: input.name,
    ...(input.firstName !== undefined ? { firstName: input.firstName } : {}),
    ...(input.lastName !== undefined ? { lastName: input.lastName } : {}),
    email: input.emailAddress ?? null,
    persons: (input.contactPersons ?? []).map((person) => ({
      firstName: person.firstName,
      lastName: person.lastName,
      emailAddress: person.emailAddress,
      includeInEmails: person.includeInEmails ?? false,
    })),
    status: input.contactStatus ?? 'ACTIVE',
    ...(input.defaultCurrency !== undefined ? { defaultCurrency: input.defaultCurrency } : {}),
    addresses: (input.addresses ?? []).map((address) => ({ ...address })),
    updatedAt,
  };
}

/** When a seeded invoice was last touched: its last activity day at 09:00 UTC, never later than a minute ago. */
function seededStamp(invoice: Invoice, now: number, index: number): number {
  const last = invoice.fullyPaidOn ?? invoice.date;
  return Math.min(now - 60_000 - index, dateToMs(last) + 9 * 3_600_000 + index);
}

function seedInvoice(ledger: Ledger, seed: InvoiceSeed, today: string, user: string): Invoice {
  const wanted = seed.status ?? 'AUTHORISED';
  const initial =
    wanted === 'DRAFT' || wanted === 'SUBMITTED' || wanted === 'DELETED' ? 'DRAFT' : 'AUTHORISED';
  const date = seed.date ?? (addDays(seed.dueDate, -30) < today ? addDays(seed.dueDate, -30) : today);
  return ledger.createInvoice(
    {
      ...(seed.id !== undefined ? { id: checkId(seed.id, 'invoice') } : {}),
      contactId: seed.contactId,
      lines: makeLines({
        ...(seed.total !== undefined ? { amount: seed.total } : {}),
        ...(seed.lines ? { lines: seed.lines } : {}),
      }),
      dueDate: seed.dueDate,
      date,
      ...(seed.currency !== undefined ? { currency: seed.currency } : {}),
      ...(seed.currencyRate !== undefined ? { currencyRate: seed.currencyRate } : {}),
      ...(seed.reference !== undefined ? { reference: seed.reference } : {}),
      ...(seed.invoiceNumber !== undefined ? { invoiceNumber: seed.invoiceNumber } : {}),
      ...(seed.sentToContact !== undefined ? { sentToContact: seed.sentToContact } : {}),
      status: initial,
    },
    user,
  );
}

/** The organisation and its ledger, with every seeded payment, credit note and allocation applied. */
export function buildOrganisation(
  seed: OrganisationSeed,
  now: () => number,
  emit: (event: ChangeEvent) => void,
): { org: Organisation; ledger: Ledger } {
  const start = now();
  const tenantId = checkId(seed.tenantId, 'tenant');
  const org = emptyOrganisation(seed, tenantId, start);
  const ledger = new Ledger(org, now, emit);
  ledger.silent = true;
  const today = isoDate(start);
  const user = org.userName;
  try {
    for (const account of [...starterChart(org.countryCode), ...(seed.accounts ?? [])])
      addAccount(org, account, org.createdAt);
    seed.contacts.forEach((contactSeed, index) => {
      const id = checkId(contactSeed.id, 'contact');
      if (org.contacts.has(id)) throw new Error(`Two contacts have the id ${id}`);
      org.contacts.set(id, buildContact({ ...contactSeed, id }, start - 86_400_000 + index));
    });
    // Archived contacts may still own invoices: seed those while they are active, archive afterwards.
    const archived = [...org.contacts.values()].filter((c) => c.status === 'ARCHIVED');
    for (const contact of archived) contact.status = 'ACTIVE';

    const invoices = (seed.invoices ?? []).map((invoiceSeed) =>
      seedInvoice(ledger, invoiceSeed, today, user),
    );
    for (const paymentSeed of seed.payments ?? []) {
      const invoice = ledger.invoice(paymentSeed.invoiceId);
      const payment = ledger.pay(
        invoice,
        paymentSeed.amount,
        {
          ...(paymentSeed.id !== undefined ? { id: checkId(paymentSeed.id, 'payment') } : {}),
          date: paymentSeed.date ?? today,
          ...(paymentSeed.reference !== undefined ? { reference: paymentSeed.reference } : {}),
        },
        user,
      );
      if (paymentSeed.status === 'DELETED') ledger.deletePayment(payment, user);
    }
    for (const creditSeed of seed.creditNotes ?? []) {
      const creditNote = ledger.createCreditNote(
        {
          ...(creditSeed.id !== undefined ? { id: checkId(creditSeed.id, 'credit note') } : {}),
          contactId: creditSeed.contactId,
          lines: makeLines({
            amount: creditSeed.total,
            lines: [{ amount: creditSeed.total, description: 'Credit' }],
          }),
          date: creditSeed.date ?? today,
          ...(creditSeed.currency !== undefined ? { currency: creditSeed.currency } : {}),
          status: creditSeed.status ?? 'AUTHORISED',
          ...(creditSeed.reference !== undefined ? { reference: creditSeed.reference } : {}),
          ...(creditSeed.creditNoteNumber !== undefined
            ? { creditNoteNumber: creditSeed.creditNoteNumber }
            : {}),
        },
        user,
      );
      for (const allocation of creditSeed.allocations ?? []) {
        ledger.allocate(
          creditNote,
          ledger.invoice(allocation.invoiceId),
          allocation.amount,
          allocation.date ?? today,
          user,
        );
      }
    }
    for (const kind of ['overpayment', 'prepayment'] as const) {
      for (const creditSeed of (kind === 'overpayment' ? seed.overpayments : seed.prepayments) ?? []) {
        const credit = ledger.receiveCredit(kind, {
          ...(creditSeed.id !== undefined ? { id: checkId(creditSeed.id, kind) } : {}),
          contactId: creditSeed.contactId,
          amount: creditSeed.total,
          date: creditSeed.date ?? today,
          ...(creditSeed.currency !== undefined ? { currency: creditSeed.currency } : {}),
          ...(creditSeed.reference !== undefined ? { reference: creditSeed.reference } : {}),
        });
        for (const allocation of creditSeed.allocations ?? []) {
          ledger.allocateReceived(
            credit,
            ledger.invoice(allocation.invoiceId),
            allocation.amount,
            allocation.date ?? today,
          );
        }
        if (creditSeed.status === 'VOIDED') {
          credit.status = 'VOIDED';
          credit.remaining = 0;
        }
        credit.updatedAt = Math.min(start - 60_000, dateToMs(credit.date) + 9 * 3_600_000);
      }
    }
    (seed.invoices ?? []).forEach((invoiceSeed, index) => {
      const invoice = invoices[index] as Invoice;
      const wanted = invoiceSeed.status ?? 'AUTHORISED';
      const target = invoiceSeed.amountDue ?? (wanted === 'PAID' ? 0 : undefined);
      if (target !== undefined) {
        const gap = amountDue(invoice) - target;
        if (gap < 0)
          throw new Error(`Invoice ${invoice.number}: payments and credits exceed total - amountDue`);
        if (gap > 0) {
          const paidOn =
            invoice.dueDate < today
              ? invoice.dueDate
              : addDays(invoice.date, 1) < today
                ? addDays(invoice.date, 1)
                : today;
          ledger.pay(invoice, gap, { date: paidOn }, user);
        }
      }
      if (wanted === 'SUBMITTED' || wanted === 'DELETED' || wanted === 'VOIDED')
        ledger.setStatus(invoice, wanted, user);
      invoice.updatedAt = seededStamp(invoice, start, index);
    });
    for (const payment of org.payments.values())
      payment.updatedAt = Math.min(start - 60_000, dateToMs(payment.date) + 10 * 3_600_000);
    for (const creditNote of org.creditNotes.values())
      creditNote.updatedAt = Math.min(start - 60_000, dateToMs(creditNote.date) + 9 * 3_600_000);
    for (const contact of archived) contact.status = 'ARCHIVED';
  } catch (error) {
    if (error instanceof LedgerError)
      throw new Error(`Invalid organisation seed "${seed.name}": ${error.message}`);
    throw error;
  }
  ledger.silent = false;
  return { org, ledger };
}
