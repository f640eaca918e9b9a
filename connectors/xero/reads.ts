import type { Contact, CreditNote, Invoice, Overpayment, Payment, Prepayment } from 'xero-node';
import { isCurrencyCode } from '../../src/domain/money.js';
import {
  type ConnectionHandle,
  type CreditTargetOption,
  creditTargetLimit,
  type LedgerChanges,
  type LedgerCredit,
  type LedgerInvoice,
  type LedgerPage,
} from '../ledger.js';
import type { XeroClients } from './client.js';
import {
  creditTypes,
  isCustomerCredit,
  isDeletedInvoice,
  isOwedKind,
  isoTimestamp,
  paymentsOfInvoice,
  toLedgerCredit,
  toLedgerCustomer,
  toLedgerInvoice,
  toLedgerPayment,
} from './mapping.js';
import { ianaZoneOfXero } from './time-zones.js';

/** Largest page Xero serves. */
export const pageSize = 1000;
/**
 * GUIDs per `IDs` filter. It travels in the URL, and Xero answers 404 past about 52 invoice GUIDs in
 * one request (XeroAPI/Xero-Java#328, XeroAPI/Xero-NetStandard#413; Xero-Net#389 advises under 50).
 */
export const invoicesPerFetch = 50;
const accountsReceivable = 'Type=="ACCREC"';
/** A bound on pages per change read; hitting it means a full sync is the better tool. */
const maxChangePages = 20;
/**
 * Account types a sales credit note's line may be coded to for a write-off or a settlement discount:
 * income (the discount reduces it) and expense (bad debts). Bank, asset, liability and equity accounts
 * are left out, and so are system accounts (accounts receivable, tax, rounding, …).
 */
const creditAccountTypes = new Set([
  'REVENUE',
  'SALES',
  'OTHERINCOME',
  'EXPENSE',
  'OVERHEADS',
  'DIRECTCOSTS',
]);

type CreditKind = keyof typeof creditTypes;
/** The order a full read of credits goes through the three lists in. */
const creditKinds: CreditKind[] = ['credit_note', 'overpayment', 'prepayment'];
type XeroCredit = CreditNote | Overpayment | Prepayment;

interface Cursor {
  invoices: string;
  contacts: string;
  credit_note: string;
  overpayment: string;
  prepayment: string;
}

const isStamp = (value: unknown): value is string =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value));

function parseCursor(text: string): Cursor | null {
  try {
    const parsed = JSON.parse(text) as Partial<Cursor>;
    if (!isStamp(parsed.invoices) || !isStamp(parsed.contacts)) return null;
    // A cursor from before credits were read starts them where invoices are.
    const credit = (kind: CreditKind) => (isStamp(parsed[kind]) ? parsed[kind] : parsed.invoices) as string;
    return {
      invoices: parsed.invoices,
      contacts: parsed.contacts,
      credit_note: credit('credit_note'),
      overpayment: credit('overpayment'),
      prepayment: credit('prepayment'),
    };
  } catch {
    return null;
  }
}

/**
 * How far before the cursor each change read starts: a change committed just before a read may carry
 * an earlier timestamp than one the read saw, and would be skipped for good. Repeats are harmless.
 */
const cursorOverlapMs = 60_000;

/** The If-Modified-Since for a cursor stamp: the overlap before it. */
function readFrom(stamp: string): Date {
  return new Date(Date.parse(stamp) - cursorOverlapMs);
}

/** The latest vendor timestamp seen, so the next read starts there in Xero's own clock. */
function latest(current: string, stamps: Array<string | null>): string {
  return stamps.reduce<string>((max, stamp) => (stamp && stamp > max ? stamp : max), current);
}

function creditStamps(rows: XeroCredit[]): Array<string | null> {
  return rows.map((row) => isoTimestamp(row.updatedDateUTC));
}

/** One page of a Xero list, and whether another follows. */
interface Rows<Row> {
  rows: Row[];
  more: boolean;
}

/**
 * Xero answers a paged list with `pagination` (page, pageCount): it says whether a page follows, so a
 * list that ends on a full page costs no extra empty read, and a page shorter than asked (Xero's own
 * page size) does not end the list early. Without it, a full page means there may be more.
 */
function rowsOf<Row>(
  rows: Row[] | undefined,
  pagination: { pageCount?: number } | undefined,
  page: number,
): Rows<Row> {
  const list = rows ?? [];
  const pageCount = pagination?.pageCount;
  return { rows: list, more: typeof pageCount === 'number' ? page < pageCount : list.length === pageSize };
}

function pageOf<Item>(items: Item[], page: number, more: boolean): LedgerPage<Item> {
  return { items, next: more ? String(page + 1) : null };
}

function pageNumber(page: string | null): number {
  const number = page === null ? 1 : Number.parseInt(page, 10);
  if (!Number.isInteger(number) || number < 1) throw new Error(`Not a Xero page token: ${page}`);
  return number;
}

export function xeroReads(clients: XeroClients) {
  const api = (token: string) => clients.client({ accessToken: token }).accountingApi;

  const invoicesPage = (
    connection: ConnectionHandle,
    page: number,
    options: { since?: Date; statuses?: string[]; ids?: string[] },
  ) =>
    connection.call('read', async (token) => {
      const { body } = await api(token).getInvoices(
        connection.tenantId,
        options.since,
        accountsReceivable,
        undefined,
        options.ids,
        undefined,
        undefined,
        options.statuses,
        page,
        false,
        false,
        undefined,
        false,
        pageSize,
      );
      return rowsOf(body.invoices, body.pagination, page);
    });

  const contactsPage = (connection: ConnectionHandle, page: number, since?: Date) =>
    connection.call('read', async (token) => {
      const { body } = await api(token).getContacts(
        connection.tenantId,
        since,
        undefined,
        undefined,
        undefined,
        page,
        true,
        false,
        undefined,
        pageSize,
      );
      return rowsOf(body.contacts, body.pagination, page);
    });

  /** One page of a customer credit list (credit notes, overpayments, prepayments). */
  const creditsPage = (
    connection: ConnectionHandle,
    kind: CreditKind,
    page: number,
    options: { since?: Date; authorisedOnly?: boolean },
  ) =>
    connection.call('read', async (token): Promise<Rows<XeroCredit>> => {
      const where = `Type=="${creditTypes[kind]}"${options.authorisedOnly ? ' && Status=="AUTHORISED"' : ''}`;
      const accounting = api(token);
      // The three lists take the same arguments: tenant, If-Modified-Since, where, order, page, -, page size.
      const args = [connection.tenantId, options.since, where, undefined, page, undefined, pageSize] as const;
      if (kind === 'credit_note') {
        const { body } = await accounting.getCreditNotes(...args);
        return rowsOf<XeroCredit>(body.creditNotes, body.pagination, page);
      }
      if (kind === 'overpayment') {
        const { body } = await accounting.getOverpayments(...args);
        return rowsOf<XeroCredit>(body.overpayments, body.pagination, page);
      }
      const { body } = await accounting.getPrepayments(...args);
      return rowsOf<XeroCredit>(body.prepayments, body.pagination, page);
    });

  async function allPages<Item>(read: (page: number) => Promise<Rows<Item>>): Promise<Item[] | null> {
    const items: Item[] = [];
    for (let page = 1; page <= maxChangePages; page++) {
      const batch = await read(page);
      items.push(...batch.rows);
      if (!batch.more) return items;
    }
    return null;
  }

  return {
    async listOpenInvoices(
      connection: ConnectionHandle,
      page: string | null,
    ): Promise<LedgerPage<LedgerInvoice>> {
      const number = pageNumber(page);
      const invoices = await invoicesPage(connection, number, { statuses: ['AUTHORISED'] });
      return pageOf(
        invoices.rows.map((invoice) => toLedgerInvoice(invoice, connection.homeCurrency)),
        number,
        invoices.more,
      );
    },

    async listCustomers(connection: ConnectionHandle, page: string | null) {
      const number = pageNumber(page);
      const contacts = await contactsPage(connection, number);
      return pageOf(contacts.rows.map(toLedgerCustomer), number, contacts.more);
    },

    async listPayments(connection: ConnectionHandle, since: string, page: string | null) {
      const [year, month, day] = since.split('-').map(Number);
      if (!year || !month || !day) throw new Error(`Not an ISO date: ${since}`);
      const number = pageNumber(page);
      const payments = await connection.call('read', async (token) => {
        const { body } = await api(token).getPayments(
          connection.tenantId,
          undefined,
          `Date >= DateTime(${year}, ${month}, ${day}) && PaymentType=="ACCRECPAYMENT" && Status=="AUTHORISED"`,
          undefined,
          number,
          pageSize,
        );
        return rowsOf(body.payments as Payment[] | undefined, body.pagination, number);
      });
      return pageOf(
        payments.rows.map((payment) => toLedgerPayment(payment, connection.homeCurrency)),
        number,
        payments.more,
      );
    },

    /**
     * Credit notes, then overpayments, then prepayments that are AUTHORISED with credit left; the
     * page token names the list and its page ("credit_note:1", "prepayment:2").
     */
    async listCredits(connection: ConnectionHandle, page: string | null): Promise<LedgerPage<LedgerCredit>> {
      const [kindText = 'credit_note', pageText = '1'] = (page ?? 'credit_note:1').split(':');
      const kind = creditKinds.find((candidate) => candidate === kindText);
      if (!kind) throw new Error(`Not a Xero credit page token: ${page}`);
      const number = pageNumber(pageText);
      const { rows, more } = await creditsPage(connection, kind, number, { authorisedOnly: true });
      const following = creditKinds[creditKinds.indexOf(kind) + 1];
      return {
        items: rows
          .filter((row) => isCustomerCredit(kind, row))
          .map((row) => toLedgerCredit(kind, row, connection.homeCurrency))
          .filter((credit) => credit.remainingMinor > 0),
        next: more ? `${kind}:${number + 1}` : following ? `${following}:1` : null,
      };
    },

    cursorAt(since: Date) {
      const stamp = since.toISOString();
      return JSON.stringify({
        invoices: stamp,
        contacts: stamp,
        credit_note: stamp,
        overpayment: stamp,
        prepayment: stamp,
      } satisfies Cursor);
    },

    async changesSince(connection: ConnectionHandle, text: string): Promise<LedgerChanges | null> {
      const cursor = parseCursor(text);
      if (!cursor) return null;
      const invoices = await allPages<Invoice>((page) =>
        invoicesPage(connection, page, { since: readFrom(cursor.invoices) }),
      );
      const contacts = await allPages<Contact>((page) =>
        contactsPage(connection, page, readFrom(cursor.contacts)),
      );
      const changedCredits: Partial<Record<CreditKind, XeroCredit[]>> = {};
      for (const kind of creditKinds) {
        const rows = await allPages<XeroCredit>((page) =>
          creditsPage(connection, kind, page, { since: readFrom(cursor[kind]) }),
        );
        if (!rows) return null;
        changedCredits[kind] = rows;
      }
      // Thousands of changes: a full sync reads them in fewer calls than change pages would.
      if (!invoices || !contacts) return null;
      const owed = invoices.filter(isOwedKind);
      const creditsOf = (kind: CreditKind) => changedCredits[kind] ?? [];
      return {
        invoices: owed.map((invoice) => toLedgerInvoice(invoice, connection.homeCurrency)),
        customers: contacts.map(toLedgerCustomer),
        // Invoices carry their payments, so a payment shows as a changed invoice: no separate read.
        payments: owed.flatMap((invoice) => paymentsOfInvoice(invoice, connection.homeCurrency)),
        paymentsCompleteFor: owed.flatMap((invoice) => invoice.invoiceID ?? []),
        // Used up (PAID), voided and deleted credits come as credits with nothing remaining.
        credits: creditKinds.flatMap((kind) =>
          creditsOf(kind)
            .filter((row) => isCustomerCredit(kind, row))
            .map((row) => toLedgerCredit(kind, row, connection.homeCurrency)),
        ),
        deleted: {
          invoices: invoices.filter(isDeletedInvoice).flatMap((invoice) => invoice.invoiceID ?? []),
          customers: [],
          payments: [],
          credits: [],
        },
        cursor: JSON.stringify({
          invoices: latest(
            cursor.invoices,
            invoices.map((invoice) => isoTimestamp(invoice.updatedDateUTC)),
          ),
          contacts: latest(
            cursor.contacts,
            contacts.map((contact) => isoTimestamp(contact.updatedDateUTC)),
          ),
          credit_note: latest(cursor.credit_note, creditStamps(creditsOf('credit_note'))),
          overpayment: latest(cursor.overpayment, creditStamps(creditsOf('overpayment'))),
          prepayment: latest(cursor.prepayment, creditStamps(creditsOf('prepayment'))),
        } satisfies Cursor),
      };
    },

    async fetchInvoices(connection: ConnectionHandle, invoiceIds: string[]) {
      const ids = [...new Set(invoiceIds)].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
      const found: LedgerInvoice[] = [];
      for (let start = 0; start < ids.length; start += invoicesPerFetch) {
        const invoices = await invoicesPage(connection, 1, {
          ids: ids.slice(start, start + invoicesPerFetch),
        });
        found.push(
          ...invoices.rows
            .filter(isOwedKind)
            .map((invoice) => toLedgerInvoice(invoice, connection.homeCurrency)),
        );
      }
      return found;
    },

    async listCreditTargets(connection: ConnectionHandle): Promise<CreditTargetOption[]> {
      // The chart of accounts comes whole: GET /Accounts is not paged.
      const accounts = await connection.call('read', async (token) => {
        const { body } = await api(token).getAccounts(connection.tenantId, undefined, 'Status=="ACTIVE"');
        return body.accounts ?? [];
      });
      return accounts
        .filter(
          (account) =>
            Boolean(account.code) &&
            String(account.status ?? 'ACTIVE') === 'ACTIVE' &&
            creditAccountTypes.has(String(account.type)) &&
            !account.systemAccount,
        )
        .slice(0, creditTargetLimit)
        .map((account) => ({
          ref: String(account.code),
          name: account.name || String(account.code),
          kind: String(account.type),
        }));
    },

    async describeTenant(connection: ConnectionHandle) {
      const organisation = await connection.call('read', async (token) => {
        const { body } = await api(token).getOrganisations(connection.tenantId);
        return body.organisations?.[0];
      });
      const currency = organisation?.baseCurrency ? String(organisation.baseCurrency).toUpperCase() : '';
      const country = organisation?.countryCode ? String(organisation.countryCode) : '';
      return {
        name: organisation?.name || `Xero organisation ${connection.tenantId}`,
        currency: isCurrencyCode(currency) ? currency : connection.homeCurrency,
        country: /^[A-Z]{2}$/.test(country) ? country : null,
        // Organisation.Timezone: a Windows zone id in capitals (NEWZEALANDSTANDARDTIME).
        timeZone: ianaZoneOfXero(organisation?.timezone),
      };
    },
  };
}
