/**
 * Builds a company from a CompanySeed. Seeded entities are history: they get timestamps from their
 * transaction dates (never in the future), emit no webhooks, and appear in CDC only if that history falls
 * inside the look-back window.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { addDays, dateToMs, isoDate, toSecond } from '../time.js';
import type { CompanySeed, CustomerSeed, InvoiceSeed, ItemSeed } from '../types.js';
import { Company, type InvoiceRecord } from './company.js';

const YEAR = 365 * 86_400_000;

/**
 * The items a new QuickBooks Online company starts with: "Services" (the item the emulator's invoice
 * lines name) and "Hours", both services booked to the "Services" income account.
 */
const STARTER_ITEMS: ItemSeed[] = [
  { id: '1', name: 'Services', type: 'Service', incomeAccountRef: { value: '1', name: 'Services' } },
  { id: '2', name: 'Hours', type: 'Service', incomeAccountRef: { value: '1', name: 'Services' } },
];
/** Intuit's limit on an item's Name. */
const ITEM_NAME_LIMIT = 100;

export function buildCompany(seed: CompanySeed, realmId: string, nowMs: number): Company {
  const now = toSecond(nowMs);
  const today = isoDate(now);
  const createdAt = now - 2 * YEAR;
  const homeCurrency = seed.homeCurrency ?? 'USD';
  const company = new Company(realmId, {
    name: seed.name,
    homeCurrency,
    country: seed.country ?? 'US',
    ...(seed.region ? { region: seed.region } : {}),
    onlinePayments: seed.onlinePayments ?? true,
    createdAt,
    user: {
      sub: seed.user?.sub ?? randomUUID(),
      email: seed.user?.email ?? `owner@${slug(seed.name)}.example`,
      givenName: seed.user?.givenName ?? 'Pat',
      familyName: seed.user?.familyName ?? 'Owner',
      emailVerified: seed.user?.emailVerified ?? true,
    },
  });
  const at = (date: string) => Math.min(toSecond(dateToMs(date)), now);
  const stamp = (ms: number) => ({ syncToken: 0, createdAt: ms, updatedAt: ms });

  for (const item of [...STARTER_ITEMS, ...(seed.items ?? [])]) addItem(company, item, stamp(createdAt));
  for (const c of seed.customers) addCustomer(company, c, homeCurrency, stamp(createdAt + 86_400_000));

  const unexplained = new Map<string, number>();
  for (const s of seed.invoices ?? []) {
    const invoice = invoiceFromSeed(company, s, today, at);
    company.invoices.set(invoice.id, invoice);
    if (invoice.total > invoice.balance) unexplained.set(invoice.id, invoice.total - invoice.balance);
  }

  for (const s of seed.creditMemos ?? []) {
    const customer = mustGet(company.customers, s.customerId, 'customer');
    const id = s.id ?? company.nextId('CreditMemo');
    company.claimId('CreditMemo', id);
    const remaining = s.remaining ?? s.total;
    if (remaining < 0 || remaining > s.total)
      throw new Error(`credit memo ${id}: remaining outside 0..total`);
    const txnDate = s.txnDate ?? today;
    company.creditMemos.set(id, {
      id,
      ...stamp(at(txnDate)),
      docNumber: company.nextDocNumber(),
      customerId: customer.id,
      txnDate,
      currency: customer.currency,
      lines: [{ amount: s.total, description: 'Credit' }],
      total: s.total,
      remaining,
    });
  }

  for (const s of seed.payments ?? []) {
    const customer = mustGet(company.customers, s.customerId, 'customer');
    const applications = s.applications ?? [];
    const applied = applications.reduce((total, a) => total + a.amount, 0);
    if (applied > s.amount) throw new Error(`payment of ${s.amount} applies ${applied}`);
    for (const a of applications) {
      const left = unexplained.get(a.invoiceId) ?? 0;
      if (a.amount > left)
        throw new Error(`payment applies ${a.amount} to invoice ${a.invoiceId}, only ${left} was paid`);
      unexplained.set(a.invoiceId, left - a.amount);
    }
    const txnDate = s.txnDate ?? today;
    addPayment(company, {
      id: s.id,
      customerId: customer.id,
      currency: customer.currency,
      total: s.amount,
      txnDate,
      time: at(txnDate),
      lines: applications.map((a) => ({ amount: a.amount, txnId: a.invoiceId })),
    });
  }

  // Whatever the payment seeds did not explain gets a payment of its own, so balances have a cause.
  for (const [invoiceId, amount] of unexplained) {
    if (amount <= 0) continue;
    const invoice = company.invoices.get(invoiceId) as InvoiceRecord;
    const txnDate = minDate(addDays(invoice.txnDate, 12), today);
    addPayment(company, {
      customerId: invoice.customerId,
      currency: invoice.currency,
      total: amount,
      txnDate,
      time: at(txnDate),
      lines: [{ amount, txnId: invoiceId }],
    });
  }
  return company;
}

function addCustomer(
  company: Company,
  c: CustomerSeed,
  homeCurrency: string,
  stamp: { syncToken: number; createdAt: number; updatedAt: number },
): void {
  const id = c.id ?? company.nextId('Customer');
  company.claimId('Customer', id);
  if (company.customers.has(id)) throw new Error(`duplicate customer id ${id}`);
  company.customers.set(id, {
    id,
    ...stamp,
    displayName: c.displayName,
    email: c.email ?? null,
    currency: c.currency ?? homeCurrency,
    active: c.active ?? true,
    ...pick(c, ['companyName', 'givenName', 'familyName', 'phone', 'notes', 'billAddr']),
  });
}

function addItem(
  company: Company,
  item: ItemSeed,
  stamp: { syncToken: number; createdAt: number; updatedAt: number },
): void {
  const id = item.id ?? company.nextId('Item');
  company.claimId('Item', id);
  if (company.items.has(id)) throw new Error(`duplicate item id ${id}`);
  const name = item.name.trim();
  if (name === '' || name.length > ITEM_NAME_LIMIT || name.includes(':'))
    throw new Error(`item ${id}: a name of 1–${ITEM_NAME_LIMIT} characters without ':' is needed`);
  for (const other of company.items.values())
    if (other.name.toLowerCase() === name.toLowerCase()) throw new Error(`two items are named ${name}`);
  company.items.set(id, {
    id,
    ...stamp,
    name,
    type: item.type,
    active: item.active ?? true,
    ...pick(item, ['description', 'incomeAccountRef', 'expenseAccountRef']),
  });
}

function invoiceFromSeed(
  company: Company,
  s: InvoiceSeed,
  today: string,
  at: (date: string) => number,
): InvoiceRecord {
  const customer = mustGet(company.customers, s.customerId, 'customer');
  const id = s.id ?? company.nextId('Invoice');
  company.claimId('Invoice', id);
  if (company.invoices.has(id)) throw new Error(`duplicate invoice id ${id}`);
  const currency = s.currency ?? customer.currency;
  if (currency !== customer.currency)
    throw new Error(`invoice ${id}: ${currency} differs from customer currency`);
  const status = s.status ?? 'open';
  const dueDate = s.dueDate ?? addDays(today, status === 'overdue' ? -20 : 15);
  const txnDate = s.txnDate ?? minDate(addDays(dueDate, -30), today);
  const voided = status === 'voided';
  const total = voided ? 0 : s.total;
  const defaultBalance =
    status === 'paid' || voided ? 0 : status === 'partial' ? Math.floor(total / 2) : total;
  const balance = voided ? 0 : (s.balance ?? defaultBalance);
  if (!Number.isInteger(total) || !Number.isInteger(balance) || balance < 0 || balance > total) {
    throw new Error(
      `invoice ${id}: balance ${balance} outside 0..${total} (amounts are integer minor units)`,
    );
  }
  const docNumber = s.docNumber ?? company.nextDocNumber();
  company.claimDocNumber(docNumber);
  const time = at(txnDate);
  const invoice: InvoiceRecord = {
    id,
    syncToken: 0,
    createdAt: time,
    updatedAt: time,
    docNumber,
    txnDate,
    dueDate,
    customerId: customer.id,
    currency,
    lines: [{ amount: total, description: 'Services' }],
    total,
    balance,
    billEmail: s.billEmail === undefined ? customer.email : s.billEmail,
    emailStatus: 'EmailSent',
    voided,
    paymentIds: [],
    linkToken: randomBytes(12).toString('hex'),
  };
  const privateNote = voided ? (s.privateNote ? `Voided - ${s.privateNote}` : 'Voided') : s.privateNote;
  if (privateNote !== undefined) invoice.privateNote = privateNote;
  if (s.customerMemo !== undefined) invoice.customerMemo = s.customerMemo;
  return invoice;
}

function addPayment(
  company: Company,
  p: {
    id?: string | undefined;
    customerId: string;
    currency: string;
    total: number;
    txnDate: string;
    time: number;
    lines: { amount: number; txnId: string }[];
  },
): void {
  const id = p.id ?? company.nextId('Payment');
  company.claimId('Payment', id);
  const applied = p.lines.reduce((total, line) => total + line.amount, 0);
  company.payments.set(id, {
    id,
    syncToken: 0,
    createdAt: p.time,
    updatedAt: p.time,
    customerId: p.customerId,
    txnDate: p.txnDate,
    currency: p.currency,
    total: p.total,
    unapplied: p.total - applied,
    lines: p.lines.map((line) => ({ ...line, txnType: 'Invoice' as const })),
  });
  for (const line of p.lines) {
    const invoice = company.invoices.get(line.txnId);
    if (!invoice) continue;
    invoice.paymentIds.push(id);
    if (p.time > invoice.updatedAt) {
      invoice.updatedAt = p.time;
      invoice.syncToken += 1;
    }
  }
}

function mustGet<T>(map: Map<string, T>, id: string, what: string): T {
  const value = map.get(id);
  if (value === undefined) throw new Error(`seed refers to unknown ${what} ${id}`);
  return value;
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'company'
  );
}
