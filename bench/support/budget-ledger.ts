/**
 * The ledger side of `npm run bench:budget`: a typical company (120 debtors, 300 open invoices, a
 * year of paid history) in the QuickBooks or the Xero emulator on the simulated clock, what the
 * business does to it each day (payments, new invoices), its webhooks, and its call counters.
 */

import type { ConnectorSettings } from '../../connectors/factory.js';
import type { Vendor } from '../../connectors/ledger.js';
import { prng } from '../../emulators/kit/prng.js';
import {
  createQuickBooksEmulator,
  type InvoiceSeed as QuickBooksInvoiceSeed,
} from '../../emulators/quickbooks/index.js';
import { createXeroEmulator, type InvoiceSeed as XeroInvoiceSeed } from '../../emulators/xero/index.js';

const dayMs = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface CompanyShape {
  debtors: number;
  openInvoices: number;
  paidInvoices: number;
}

interface SpecInvoice {
  customer: number;
  totalMinor: number;
  balanceMinor: number;
  issueDate: string;
  dueDate: string;
}

interface Spec {
  customers: Array<{ name: string; email: string | null }>;
  invoices: SpecInvoice[];
}

/** Every debtor owes at least one invoice; the rest are skewed towards a few big customers. */
function companySpec(shape: CompanyShape, startMs: number, random: () => number): Spec {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const amount = () => int(50, 5_000) * 100 + (random() < 0.5 ? int(0, 99) : 0);
  const customers = Array.from({ length: shape.debtors }, (_, n) => ({
    name: `Debtor ${n + 1} Ltd`,
    email: random() < 0.95 ? `ap@debtor-${n + 1}.example` : null,
  }));
  const skewed = () => Math.floor(random() ** 1.6 * shape.debtors);
  const invoices: SpecInvoice[] = [];
  for (let i = 0; i < shape.openInvoices; i += 1) {
    const customer = i < shape.debtors ? i : skewed();
    const total = amount();
    const due = startMs + int(-120, 45) * dayMs;
    const partly = random() < 0.1;
    invoices.push({
      customer,
      totalMinor: total,
      balanceMinor: partly ? Math.max(100, Math.round(total * (0.2 + random() * 0.6))) : total,
      issueDate: isoDay(Math.min(due - 30 * dayMs, startMs - dayMs)),
      dueDate: isoDay(due),
    });
  }
  for (let i = 0; i < shape.paidInvoices; i += 1) {
    const due = startMs - int(5, 330) * dayMs;
    const total = amount();
    invoices.push({
      customer: skewed(),
      totalMinor: total,
      balanceMinor: 0,
      issueDate: isoDay(due - 30 * dayMs),
      dueDate: isoDay(due),
    });
  }
  return { customers, invoices };
}

export interface OpenInvoice {
  id: string;
  customerId: string;
  balanceMinor: number;
  dueDate: string;
}

export interface ApiCalls {
  reads: number;
  writes: number;
  /** OAuth (token refreshes) and Xero's /connections: not counted against the accounting API. */
  auth: number;
  throttled: number;
}

export interface BudgetLedger {
  vendor: Vendor;
  settings: ConnectorSettings;
  /** Appended to the consent URL: which company or organisation is connected. */
  consentSuffix: string;
  /** The emulator's own count of API calls since it started. */
  calls(): ApiCalls;
  openInvoices(): OpenInvoice[];
  customerIds(): string[];
  createInvoice(input: { customerId: string; amountMinor: number; issueDate: string; dueDate: string }): void;
  pay(invoice: OpenInvoice, amountMinor: number, date: string): void;
  /** Where the webhooks go; null: none delivered (they stay queued in the emulator, as lost). */
  setWebhookTarget(url: string | null): void;
  /** Posts what is queued (signed) and resolves with the HTTP statuses Dunwell answered. */
  deliverWebhooks(): Promise<number[]>;
  close(): Promise<void>;
}

const generous = { perMinute: 1_000_000, concurrent: 50, perDay: 10_000_000, appPerMinute: 10_000_000 };
const owner = { email: 'owner@budget.example', firstName: 'Budget', lastName: 'Owner' };

export async function startBudgetLedger(
  vendor: Vendor,
  shape: CompanyShape,
  startMs: number,
  seed: number,
): Promise<BudgetLedger> {
  const spec = companySpec(shape, startMs, prng(seed));
  const now = () => Date.now();
  if (vendor === 'quickbooks') {
    const app = {
      clientId: 'budget-qbo',
      clientSecret: 'budget-qbo-secret',
      webhookVerifierToken: 'budget-v',
    };
    const emulator = createQuickBooksEmulator({ ...app, now, rateLimit: generous });
    await emulator.listen(0);
    const realmId = emulator.addCompany({
      name: 'Typical Trading Co',
      homeCurrency: 'USD',
      customers: spec.customers.map((customer, n) => ({
        id: String(n + 1),
        displayName: customer.name,
        email: customer.email,
      })),
      invoices: spec.invoices.map(
        (invoice): QuickBooksInvoiceSeed => ({
          customerId: String(invoice.customer + 1),
          total: invoice.totalMinor,
          balance: invoice.balanceMinor,
          txnDate: invoice.issueDate,
          dueDate: invoice.dueDate,
          status:
            invoice.balanceMinor === 0
              ? 'paid'
              : invoice.balanceMinor < invoice.totalMinor
                ? 'partial'
                : 'open',
        }),
      ),
    });
    const changes = emulator.changes(realmId);
    return {
      vendor,
      settings: { quickbooks: { ...app, environment: 'sandbox', emulatorUrl: emulator.url } },
      consentSuffix: `&realm_id=${realmId}`,
      calls() {
        const { byKind, throttled } = emulator.counters();
        return {
          reads: byKind.query + byKind.cdc + byKind.read,
          writes: byKind.write,
          auth: byKind.oauth,
          throttled,
        };
      },
      openInvoices() {
        return emulator
          .company(realmId)
          .invoices.filter((invoice) => Number(invoice['Balance']) > 0)
          .map((invoice) => ({
            id: String(invoice['Id']),
            customerId: String((invoice['CustomerRef'] as { value: string }).value),
            balanceMinor: Math.round(Number(invoice['Balance']) * 100),
            dueDate: String(invoice['DueDate']),
          }));
      },
      customerIds: () => spec.customers.map((_, n) => String(n + 1)),
      createInvoice({ customerId, amountMinor, issueDate, dueDate }) {
        changes.createInvoice({ customerId, amount: amountMinor, txnDate: issueDate, dueDate });
      },
      pay(invoice, amountMinor, date) {
        changes.receivePayment({
          customerId: invoice.customerId,
          amount: amountMinor,
          invoiceIds: [invoice.id],
          txnDate: date,
        });
      },
      setWebhookTarget(url) {
        emulator.setWebhookTarget(url ? { url, format: 'cloudevents', mode: 'manual' } : null);
      },
      deliverWebhooks: () => emulator.deliverWebhooks(),
      close: () => emulator.close(),
    };
  }

  const app = { clientId: 'budget-xero', clientSecret: 'budget-xero-secret', webhookKey: 'budget-key' };
  const emulator = createXeroEmulator({ ...app, now, rateLimit: generous });
  await emulator.listen(0);
  const contactId = (n: number) => `a0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const tenantId = emulator.addOrganisation({
    name: 'Typical Trading Ltd',
    user: owner,
    contacts: spec.customers.map((customer, n) => ({
      id: contactId(n),
      name: customer.name,
      emailAddress: customer.email,
    })),
    invoices: spec.invoices.map(
      (invoice): XeroInvoiceSeed => ({
        contactId: contactId(invoice.customer),
        total: invoice.totalMinor,
        amountDue: invoice.balanceMinor,
        date: invoice.issueDate,
        dueDate: invoice.dueDate,
      }),
    ),
  });
  const changes = emulator.changes(tenantId);
  const wireDay = (value: unknown) => isoDay(Number(/-?\d+/.exec(String(value))?.[0] ?? Number.NaN));
  return {
    vendor,
    settings: { xero: { ...app, emulatorUrl: emulator.url } },
    consentSuffix: `&user=${encodeURIComponent(owner.email)}`,
    calls() {
      const { byKind, throttled } = emulator.counters();
      return {
        reads: byKind.read,
        writes: byKind.write,
        auth: byKind.oauth + byKind.connections,
        throttled: throttled.minute + throttled.day + throttled.concurrent + throttled.app,
      };
    },
    openInvoices() {
      return emulator
        .organisation(tenantId)
        .invoices.filter((invoice) => invoice['Status'] === 'AUTHORISED' && Number(invoice['AmountDue']) > 0)
        .map((invoice) => ({
          id: String(invoice['InvoiceID']),
          customerId: String((invoice['Contact'] as { ContactID: string }).ContactID),
          balanceMinor: Math.round(Number(invoice['AmountDue']) * 100),
          dueDate: wireDay(invoice['DueDate']),
        }));
    },
    customerIds: () => spec.customers.map((_, n) => contactId(n)),
    createInvoice({ customerId, amountMinor, issueDate, dueDate }) {
      changes.createInvoice({ contactId: customerId, amount: amountMinor, date: issueDate, dueDate });
    },
    pay(invoice, amountMinor, date) {
      changes.receivePayment({ invoiceId: invoice.id, amount: amountMinor, date });
    },
    setWebhookTarget(url) {
      emulator.setWebhookTarget(url ? { url, mode: 'manual' } : null);
    },
    deliverWebhooks: () => emulator.deliverWebhooks(),
    close: () => emulator.close(),
  };
}
