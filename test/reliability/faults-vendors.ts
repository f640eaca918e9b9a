/**
 * The two vendors as the fault suite drives them: a generated company in the vendor's emulator, Dunwell
 * running against it (web + worker in this process), the user's changes made in the ledger, and what
 * the ledger holds, in the mirror's terms, to compare with the mirror afterwards.
 */
import { createQuickBooksEmulator, type QuickBooksEmulator } from '../../emulators/quickbooks/index.js';
import { createXeroEmulator, type XeroEmulator } from '../../emulators/xero/index.js';
import { Browser, type DunwellUnderTest, startDunwell } from '../helpers/dunwell-harness.js';

export type VendorName = 'quickbooks' | 'xero';

export interface LedgerInvoice {
  externalId: string;
  customerExternalId: string;
  /** Owed now, in minor units; 0 when paid, voided or deleted. */
  balanceMinor: number;
  open: boolean;
}

export interface LedgerCustomer {
  externalId: string;
  name: string;
  active: boolean;
}

export interface Throttles {
  throttled: number;
  faults: number;
  /** Requests carried out whose answer the emulator held past the connector's timeout. */
  hangs: number;
  /** Of those, writes: carried out, Dunwell not told. */
  hungWrites: number;
  total: number;
}

/** What each emulator injects: a share of 5xx, latency, and a share of answers held back (hangs). */
export interface InjectedFaults {
  errorRate: number;
  latencyMs: number;
  hangRate: number;
  hangMs: number;
}

const noFaults: InjectedFaults = { errorRate: 0, latencyMs: 0, hangRate: 0, hangMs: 0 };

export interface VendorUnderFaults {
  vendor: VendorName;
  dunwell: DunwellUnderTest;
  /** Goes through the vendor's consent; returns the connection's id. */
  connect(): Promise<string>;
  /** Webhooks posted as each change happens. */
  webhooksOn(): void;
  faults(on: InjectedFaults | null): void;
  /** A 429 storm: the vendor's limits cut to almost nothing; null puts the vendor's own back. */
  storm(on: boolean): void;
  counters(): Throttles;
  resetCounters(): void;
  /** One change a user makes in the ledger, chosen with `random`; a description, or null if refused. */
  mutate(random: () => number): string | null;
  invoices(): LedgerInvoice[];
  customers(): LedgerCustomer[];
  /** The item (QuickBooks) or account code (Xero) a credit is booked to. */
  creditTarget(): { ref: string; description: string };
  /** How many times a note with this text landed on the invoice. */
  notesWith(invoiceExternalId: string, text: string): number;
  /** How many credit notes / memos carry this memo. */
  creditsWith(memo: string): number;
  stop(): Promise<void>;
}

const minor = (value: unknown) => Math.round(Number(value ?? 0) * 100);
const isoDay = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const pick = <T>(list: readonly T[], random: () => number): T | undefined =>
  list[Math.floor(random() * list.length)];

export async function quickBooksUnderFaults(
  adminUrl: string,
  size: { customers: number; openInvoices: number; paidInvoices: number },
  /** VENDOR_HTTP_TIMEOUT_MS for Dunwell's connectors, in ms. */
  httpTimeoutMs: number,
): Promise<VendorUnderFaults> {
  const app = { clientId: 'faults-qbo', clientSecret: 'faults-qbo-secret', verifier: 'faults-verifier' };
  const emulator: QuickBooksEmulator = createQuickBooksEmulator({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    webhookVerifierToken: app.verifier,
  });
  await emulator.listen(0);
  const realmId = emulator.generateCompany({ ...size, seed: 17, homeCurrency: 'USD' });
  const dunwell = await startDunwell(adminUrl, {
    QUICKBOOKS_CLIENT_ID: app.clientId,
    QUICKBOOKS_CLIENT_SECRET: app.clientSecret,
    QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN: app.verifier,
    QUICKBOOKS_EMULATOR_URL: emulator.url,
    JOB_CONCURRENCY: '4',
    VENDOR_HTTP_TIMEOUT_MS: String(httpTimeoutMs),
  });
  const view = () => emulator.company(realmId);
  const changes = () => emulator.changes(realmId);
  let renamed = 0;
  return {
    vendor: 'quickbooks',
    dunwell,
    async connect() {
      return (await new Browser().connect(dunwell.runtime.url, 'quickbooks')).connectionId;
    },
    webhooksOn() {
      emulator.setWebhookTarget({
        url: `${dunwell.runtime.url}/webhooks/quickbooks`,
        format: 'cloudevents',
        mode: 'auto',
      });
    },
    faults(on) {
      emulator.configure({ faults: on ?? noFaults });
    },
    storm(on) {
      emulator.configure({
        rateLimit: on ? { perMinute: 15, concurrent: 2 } : { perMinute: 500, concurrent: 10 },
      });
    },
    counters() {
      const c = emulator.counters();
      return {
        throttled: c.throttled,
        faults: c.faults,
        hangs: c.hangs ?? 0,
        hungWrites: c.hungWrites ?? 0,
        total: c.total,
      };
    },
    resetCounters: () => emulator.resetCounters(),
    mutate(random) {
      const open = view().invoices.filter((invoice) => Number(invoice['Balance']) > 0);
      const roll = random();
      try {
        if (roll < 0.45) {
          const invoice = pick(open, random);
          if (!invoice) return null;
          const balance = minor(invoice['Balance']);
          const amount = random() < 0.5 ? balance : Math.max(1, Math.floor(balance / 3));
          const customerId = String((invoice['CustomerRef'] as { value: string }).value);
          changes().receivePayment({ customerId, amount, invoiceIds: [invoice.Id] });
          return `payment ${amount} on ${invoice.Id}`;
        }
        if (roll < 0.7) {
          const customer = pick(view().customers, random);
          if (!customer) return null;
          const id = changes().createInvoice({
            customerId: customer.Id,
            amount: 1_000 + Math.floor(random() * 100_000),
            dueDate: isoDay(Math.floor(random() * 60) - 30),
          });
          return `invoice ${id}`;
        }
        if (roll < 0.85) {
          const customer = pick(view().customers, random);
          if (!customer) return null;
          renamed += 1;
          changes().updateCustomer(customer.Id, { displayName: `Renamed ${renamed} ${customer.Id}` });
          return `rename ${customer.Id}`;
        }
        const invoice = pick(open, random);
        if (!invoice) return null;
        changes().voidInvoice(invoice.Id);
        return `void ${invoice.Id}`;
      } catch {
        return null;
      }
    },
    invoices() {
      return view().invoices.map((invoice) => {
        const balanceMinor = minor(invoice['Balance']);
        return {
          externalId: invoice.Id,
          customerExternalId: String((invoice['CustomerRef'] as { value: string }).value),
          balanceMinor,
          open: balanceMinor > 0,
        };
      });
    },
    customers() {
      return view().customers.map((customer) => ({
        externalId: customer.Id,
        name: String(customer['DisplayName']),
        active: customer['Active'] !== false,
      }));
    },
    creditTarget: () => ({ ref: '1', description: 'Settlement discount' }),
    notesWith(invoiceExternalId, text) {
      return view().attachables.filter(
        (note) =>
          String(note['Note'] ?? '').includes(text) &&
          JSON.stringify(note['AttachableRef'] ?? []).includes(`"${invoiceExternalId}"`),
      ).length;
    },
    creditsWith(memo) {
      return view().creditMemos.filter((credit) => credit['PrivateNote'] === memo).length;
    },
    async stop() {
      await dunwell.stop();
      await emulator.close();
    },
  };
}

export async function xeroUnderFaults(
  adminUrl: string,
  size: { customers: number; openInvoices: number; paidInvoices: number },
  /** VENDOR_HTTP_TIMEOUT_MS for Dunwell's connectors, in ms. */
  httpTimeoutMs: number,
): Promise<VendorUnderFaults> {
  const app = { clientId: 'faults-xero', clientSecret: 'faults-xero-secret', webhookKey: 'faults-xero-key' };
  const emulator: XeroEmulator = createXeroEmulator(app);
  await emulator.listen(0);
  const userEmail = 'owner@faults.example';
  const tenantId = emulator.generateOrganisation({
    contacts: size.customers,
    openInvoices: size.openInvoices,
    paidInvoices: size.paidInvoices,
    seed: 17,
    userEmail,
  });
  const dunwell = await startDunwell(adminUrl, {
    XERO_CLIENT_ID: app.clientId,
    XERO_CLIENT_SECRET: app.clientSecret,
    XERO_WEBHOOK_KEY: app.webhookKey,
    XERO_EMULATOR_URL: emulator.url,
    JOB_CONCURRENCY: '4',
    VENDOR_HTTP_TIMEOUT_MS: String(httpTimeoutMs),
  });
  const view = () => emulator.organisation(tenantId);
  const changes = () => emulator.changes(tenantId);
  const isOpen = (invoice: Record<string, unknown>) =>
    invoice['Status'] === 'AUTHORISED' && minor(invoice['AmountDue']) > 0;
  let renamed = 0;
  return {
    vendor: 'xero',
    dunwell,
    async connect() {
      const browser = new Browser();
      return (
        await browser.connect(dunwell.runtime.url, 'xero', {
          consentParameters: `&user=${encodeURIComponent(userEmail)}`,
        })
      ).connectionId;
    },
    webhooksOn() {
      emulator.setWebhookTarget({ url: `${dunwell.runtime.url}/webhooks/xero`, mode: 'auto' });
    },
    faults(on) {
      emulator.configure({ faults: on ?? noFaults });
    },
    storm(on) {
      emulator.configure({
        rateLimit: on ? { perMinute: 8, concurrent: 1 } : { perMinute: 60, concurrent: 5 },
      });
    },
    counters() {
      const c = emulator.counters();
      const throttled = c.throttled.minute + c.throttled.day + c.throttled.concurrent + c.throttled.app;
      return {
        throttled,
        faults: c.faults,
        hangs: c.hangs ?? 0,
        hungWrites: c.hungWrites ?? 0,
        total: c.total,
      };
    },
    resetCounters: () => emulator.resetCounters(),
    mutate(random) {
      const open = view().invoices.filter(isOpen);
      const roll = random();
      try {
        if (roll < 0.45) {
          const invoice = pick(open, random);
          if (!invoice) return null;
          const due = minor(invoice['AmountDue']);
          const amount = random() < 0.5 ? due : Math.max(1, Math.floor(due / 3));
          changes().receivePayment({ invoiceId: String(invoice['InvoiceID']), amount });
          return `payment ${amount} on ${String(invoice['InvoiceID'])}`;
        }
        if (roll < 0.7) {
          const contact = pick(
            view().contacts.filter((c) => c['ContactStatus'] === 'ACTIVE'),
            random,
          );
          if (!contact) return null;
          const id = changes().createInvoice({
            contactId: String(contact['ContactID']),
            amount: 1_000 + Math.floor(random() * 100_000),
            dueDate: isoDay(Math.floor(random() * 60) - 30),
          });
          return `invoice ${id}`;
        }
        if (roll < 0.85) {
          const contact = pick(view().contacts, random);
          if (!contact) return null;
          renamed += 1;
          changes().updateContact(String(contact['ContactID']), { name: `Renamed ${renamed}` });
          return `rename ${String(contact['ContactID'])}`;
        }
        const invoice = pick(
          open.filter((i) => minor(i['AmountPaid']) === 0 && minor(i['AmountCredited']) === 0),
          random,
        );
        if (!invoice) return null;
        changes().voidInvoice(String(invoice['InvoiceID']));
        return `void ${String(invoice['InvoiceID'])}`;
      } catch {
        return null;
      }
    },
    invoices() {
      return view().invoices.map((invoice) => {
        const open = isOpen(invoice);
        return {
          externalId: String(invoice['InvoiceID']),
          customerExternalId: String((invoice['Contact'] as { ContactID: string }).ContactID),
          balanceMinor: open ? minor(invoice['AmountDue']) : 0,
          open,
        };
      });
    },
    customers() {
      return view().contacts.map((contact) => ({
        externalId: String(contact['ContactID']),
        name: String(contact['Name']),
        active: contact['ContactStatus'] === 'ACTIVE',
      }));
    },
    creditTarget() {
      const revenue = view().accounts.find((account) => account['Type'] === 'REVENUE');
      return { ref: String(revenue?.['Code'] ?? '400'), description: 'Settlement discount' };
    },
    notesWith(invoiceExternalId, text) {
      return view()
        .history(invoiceExternalId)
        .filter((entry) => String(entry['Details'] ?? '').includes(text)).length;
    },
    creditsWith(memo) {
      return view().creditNotes.filter((note) => String(note['Reference'] ?? '').startsWith(memo)).length;
    },
    async stop() {
      await dunwell.stop();
      await emulator.close();
    },
  };
}
