import { isCurrencyCode } from '../../src/domain/money.js';
import { LedgerError } from '../errors.js';
import {
  type ConnectionHandle,
  type CreditTargetOption,
  creditTargetLimit,
  type LedgerChanges,
  type LedgerCredit,
  type LedgerPage,
  type PaymentsPage,
} from '../ledger.js';
import { invoke, type QuickBooksClient } from './api.js';
import {
  cashOf,
  isDeleted,
  toLedgerCreditMemo,
  toLedgerCustomer,
  toLedgerInvoice,
  toLedgerPayment,
  toLedgerUnappliedPayment,
} from './mapping.js';
import type { CdcResponse, QueryResponse, WireCreditMemo, WireItem, WirePayment } from './wire.js';

/** Largest page QuickBooks serves. */
export const pageSize = 1000;
/**
 * Ids per `Id in (…)` query. The query travels in the URL (node-quickbooks reads with GET) and
 * Intuit publishes no length limit, so a hundred short ids (about 1 KB) stay well inside any.
 */
export const invoicesPerFetch = 100;
/** CDC looks back at most 30 days; a day's margin keeps us clear of the edge. */
const cdcWindowMs = 29 * 86_400_000;
/** CDC returns at most 1000 objects per response: a full one may have left changes out. */
const cdcCap = 1000;
/** Changes committed just before a CDC call may carry slightly earlier timestamps. */
const cursorOverlapMs = 60_000;
/** Item types a CreditMemo's sales line can name without moving stock (Inventory) or bundling (Group). */
const creditItemTypes = new Set(['Service', 'NonInventory']);
/** A bound on the item pages read for a choice of credit target. */
const maxItemPages = 20;

type Client = (accessToken: string) => QuickBooksClient;

/**
 * True when a 200 answer is the JSON we asked for. An XML or empty body (a proxy, a changed default)
 * must not read as "no rows": a full sync would then take the company to have nothing.
 */
function hasShape(response: unknown, key: string): boolean {
  return typeof response === 'object' && response !== null && key in response;
}

/**
 * Maps one record; a record whose fields are not of the types QuickBooks documents fails the read
 * with a clear error naming it, as a vendor fault, rather than a crash deep in the mapping.
 */
function readable<Wire, Item>(entity: string, row: Wire, map: (wire: Wire) => Item): Item {
  try {
    return map(row);
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    const id = String((row as { Id?: unknown } | null)?.Id ?? '?').slice(0, 40);
    const why = error instanceof Error ? error.message : String(error);
    throw new LedgerError(
      'quickbooks',
      'unexpected',
      `QuickBooks sent ${entity} ${id} in a shape Dunwell cannot read: ${why}`,
    );
  }
}

function unreadable(what: string): LedgerError {
  return new LedgerError(
    'quickbooks',
    'unexpected',
    `QuickBooks answered the ${what} with a body that is not its JSON`,
  );
}

/** One page of a query; the page token is the 1-based start position of the next page. */
async function queryPage<Wire, Item>(
  connection: ConnectionHandle,
  client: Client,
  entity: 'Invoice' | 'Customer' | 'Payment' | 'CreditMemo' | 'Item',
  where: string,
  page: string | null,
  map: (wire: Wire) => Item,
): Promise<LedgerPage<Item>> {
  const start = page === null ? 1 : Number.parseInt(page, 10);
  if (!Number.isInteger(start) || start < 1) throw new Error(`Not a QuickBooks page token: ${page}`);
  const criteria = `${where ? ` where ${where}` : ''} startposition ${start} maxresults ${pageSize}`;
  const response = await connection.call('read', (token) =>
    invoke<QueryResponse>((done) => {
      const qbo = client(token);
      // node-quickbooks takes a criteria string as it is (criteriaToString passes strings through);
      // its types only list the object forms.
      const find = {
        Invoice: qbo.findInvoices,
        Customer: qbo.findCustomers,
        Payment: qbo.findPayments,
        CreditMemo: qbo.findCreditMemos,
        Item: qbo.findItems,
      }[entity] as unknown as (this: QuickBooksClient, criteria: string, callback: typeof done) => void;
      find.call(qbo, criteria, done);
    }),
  );
  if (!hasShape(response, 'QueryResponse')) throw unreadable('query');
  const rows = (response.QueryResponse?.[entity] ?? []) as Wire[];
  // A short page is the last one; a full page may be followed by an empty one (one extra call).
  return {
    items: rows.map((row) => readable(entity, row, map)),
    next: rows.length === pageSize ? String(start + pageSize) : null,
  };
}

export function quickBooksReads(client: Client) {
  return {
    listOpenInvoices(connection: ConnectionHandle, page: string | null) {
      return queryPage(connection, client, 'Invoice', "Balance > '0'", page, (wire) =>
        toLedgerInvoice(wire as Parameters<typeof toLedgerInvoice>[0], connection.homeCurrency),
      );
    },

    listCustomers(connection: ConnectionHandle, page: string | null) {
      // QuickBooks lists only active customers unless the query names Active.
      return queryPage(connection, client, 'Customer', 'Active IN (true, false)', page, (wire) =>
        toLedgerCustomer(wire as Parameters<typeof toLedgerCustomer>[0]),
      );
    },

    /**
     * Every payment, whatever its date: those on or after `since` that brought cash are the payments,
     * and any payment's unapplied part is credit the customer holds (UnappliedAmt is not a documented
     * query filter, so the payments would be read whole for it anyway).
     */
    async listPayments(
      connection: ConnectionHandle,
      since: string,
      page: string | null,
    ): Promise<PaymentsPage> {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(since)) throw new Error(`Not an ISO date: ${since}`);
      const payments = await queryPage(connection, client, 'Payment', '', page, (wire: WirePayment) => wire);
      const home = connection.homeCurrency;
      const recentCash = payments.items.filter(
        (wire) =>
          String(wire.TxnDate ?? '') >= since && readable('Payment', wire, (row) => cashOf(row, home)) > 0,
      );
      return {
        items: recentCash.map((wire) => readable('Payment', wire, (row) => toLedgerPayment(row, home))),
        credits: payments.items
          .map((wire) => readable('Payment', wire, (row) => toLedgerUnappliedPayment(row, home)))
          .filter((credit) => credit.remainingMinor > 0),
        next: payments.next,
      };
    },

    /** Credit memos with credit left; unapplied payments come with `listPayments`. */
    listCredits(connection: ConnectionHandle, page: string | null): Promise<LedgerPage<LedgerCredit>> {
      return queryPage(connection, client, 'CreditMemo', "Balance > '0'", page, (wire: WireCreditMemo) =>
        toLedgerCreditMemo(wire, connection.homeCurrency),
      ).then((memos) => ({
        items: memos.items.filter((credit) => credit.remainingMinor > 0),
        next: memos.next,
      }));
    },

    async listCreditTargets(connection: ConnectionHandle): Promise<CreditTargetOption[]> {
      const targets: CreditTargetOption[] = [];
      let page: string | null = null;
      for (let read = 0; read < maxItemPages && targets.length < creditTargetLimit; read++) {
        const items: LedgerPage<WireItem> = await queryPage(
          connection,
          client,
          'Item',
          'Active = true',
          page,
          (wire: WireItem) => wire,
        );
        for (const item of items.items) {
          if (!item.Type || !creditItemTypes.has(item.Type)) continue;
          targets.push({
            ref: item.Id,
            name: item.FullyQualifiedName || item.Name || item.Id,
            kind: item.Type,
          });
        }
        page = items.next;
        if (page === null) break;
      }
      return targets.slice(0, creditTargetLimit);
    },

    async describeTenant(connection: ConnectionHandle) {
      const realmId = connection.tenantId;
      const info = await connection.call('read', (token) =>
        invoke<{
          CompanyName?: string;
          LegalName?: string;
          Country?: string;
          CompanyAddr?: { CountrySubDivisionCode?: string };
        }>((done) => client(token).getCompanyInfo(realmId, (error, body) => done(error, body as never))),
      );
      const preferences = await connection.call('read', (token) =>
        invoke<{ CurrencyPrefs?: { HomeCurrency?: { value?: string } } }>((done) =>
          client(token).getPreferences((error, body) => done(error, body as never)),
        ),
      );
      const currency = preferences.CurrencyPrefs?.HomeCurrency?.value?.toUpperCase();
      return {
        name: info.CompanyName || info.LegalName || `QuickBooks company ${realmId}`,
        currency: currency && isCurrencyCode(currency) ? currency : connection.homeCurrency,
        country: info.Country && /^[A-Z]{2}$/.test(info.Country) ? info.Country : null,
        // CompanyInfo has no time zone: the company address's state stands in for one.
        timeZone: null,
        region: info.CompanyAddr?.CountrySubDivisionCode?.trim() || null,
      };
    },

    async changesSince(
      connection: ConnectionHandle,
      cursor: string,
      now = Date.now(),
    ): Promise<LedgerChanges | null> {
      const since = new Date(cursor);
      if (Number.isNaN(since.getTime()) || now - since.getTime() > cdcWindowMs) return null;
      const response = await connection.call('read', (token) =>
        invoke<CdcResponse>((done) =>
          client(token).changeDataCapture(
            ['Invoice', 'Customer', 'Payment', 'CreditMemo'],
            since.toISOString(),
            (error, body) => done(error, body as CdcResponse),
          ),
        ),
      );
      if (!hasShape(response, 'CDCResponse')) throw unreadable('change data capture');
      const lists = response.CDCResponse?.[0]?.QueryResponse ?? [];
      const invoices = lists.flatMap((list) => list.Invoice ?? []);
      const customers = lists.flatMap((list) => list.Customer ?? []);
      const payments = lists.flatMap((list) => list.Payment ?? []);
      const creditMemos = lists.flatMap((list) => list.CreditMemo ?? []);
      // The cap counts objects across all entities: a response that reached it may have left changes
      // out, and only a full sync is certain to catch them.
      const objects = invoices.length + customers.length + payments.length + creditMemos.length;
      if (objects >= cdcCap) return null;
      const livePayments = payments.filter((row) => !isDeleted(row));
      // Applying a credit to an invoice is not cash; one mirrored as a payment before is dropped.
      const cash = (row: WirePayment) =>
        readable('Payment', row, (wire) => cashOf(wire, connection.homeCurrency));
      const cashPayments = livePayments.filter((row) => cash(row) > 0);
      const creditApplications = livePayments.filter((row) => cash(row) <= 0);

      const serverTime = response.time ? Date.parse(response.time) : now;
      return {
        invoices: invoices
          .filter((row) => !isDeleted(row))
          .map((row) => readable('Invoice', row, (wire) => toLedgerInvoice(wire, connection.homeCurrency))),
        customers: customers
          .filter((row) => !isDeleted(row))
          .map((row) => readable('Customer', row, toLedgerCustomer)),
        payments: cashPayments.map((row) =>
          readable('Payment', row, (wire) => toLedgerPayment(wire, connection.homeCurrency)),
        ),
        // Every changed memo and payment: one used up (remaining zero) must reach the mirror too.
        credits: [
          ...creditMemos
            .filter((row) => !isDeleted(row))
            .map((row) => toLedgerCreditMemo(row, connection.homeCurrency)),
          ...livePayments.map((row) => toLedgerUnappliedPayment(row, connection.homeCurrency)),
        ],
        deleted: {
          invoices: invoices.filter(isDeleted).map((row) => row.Id),
          customers: customers.filter(isDeleted).map((row) => row.Id),
          payments: [...payments.filter(isDeleted), ...creditApplications].map((row) => row.Id),
          credits: [
            ...creditMemos
              .filter(isDeleted)
              .map((row) => ({ kind: 'credit_note' as const, externalId: row.Id })),
            ...payments
              .filter(isDeleted)
              .map((row) => ({ kind: 'unapplied_payment' as const, externalId: row.Id })),
          ],
        },
        cursor: new Date((Number.isNaN(serverTime) ? now : serverTime) - cursorOverlapMs).toISOString(),
      };
    },

    async fetchInvoices(connection: ConnectionHandle, invoiceIds: string[]) {
      const ids = [...new Set(invoiceIds)].filter((id) => /^\d+$/.test(id));
      const found = [];
      for (let start = 0; start < ids.length; start += invoicesPerFetch) {
        const chunk = ids.slice(start, start + invoicesPerFetch).map((id) => `'${id}'`);
        const page = await queryPage(
          connection,
          client,
          'Invoice',
          `Id in (${chunk.join(',')})`,
          null,
          (wire) => toLedgerInvoice(wire as Parameters<typeof toLedgerInvoice>[0], connection.homeCurrency),
        );
        found.push(...page.items);
      }
      return found;
    },
  };
}
