import { isCurrencyCode, toMinorUnits } from '../../src/domain/money.js';
import { type PostalAddress, postalAddressOf } from '../../src/domain/postal-address.js';
import { LedgerError } from '../errors.js';
import type { LedgerContact, LedgerCredit, LedgerCustomer, LedgerInvoice, LedgerPayment } from '../ledger.js';
import { countryCode } from '../shared/country.js';
import type {
  WireAddress,
  WireCreditMemo,
  WireCustomer,
  WireDeleted,
  WireInvoice,
  WirePayment,
} from './wire.js';

const emailPattern = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** QuickBooks lets one email field hold several addresses separated by commas. */
export function emailsIn(field: string | undefined): string[] {
  return (field ?? '')
    .split(/[,;]/)
    .map((address) => address.trim())
    .filter((address) => emailPattern.test(address));
}

function knownCurrency(ref: { value: string } | undefined): string | null {
  const code = ref?.value?.toUpperCase();
  return code && isCurrencyCode(code) ? code : null;
}

function currencyOf(ref: { value: string } | undefined, homeCurrency: string): string {
  return knownCurrency(ref) ?? homeCurrency;
}

/**
 * An amount as QuickBooks sends it (a JSON number; a numeric string is read too) in minor units. One
 * that cannot be read fails the read with a clear error naming the record, rather than a crash.
 */
function wireMinor(value: unknown, currency: string, record: string): number {
  const amount = typeof value === 'string' && value.trim() !== '' ? Number(value) : (value ?? 0);
  try {
    return toMinorUnits(amount as number, currency);
  } catch {
    throw new LedgerError(
      'quickbooks',
      'unexpected',
      `QuickBooks sent ${record} with an amount Dunwell cannot read (${String(value).slice(0, 40)})`,
    );
  }
}

export function isDeleted<Entity extends object>(entity: Entity | WireDeleted): entity is WireDeleted {
  return 'status' in entity && entity.status === 'Deleted';
}

export function toLedgerInvoice(wire: WireInvoice, homeCurrency: string): LedgerInvoice {
  const currency = currencyOf(wire.CurrencyRef, homeCurrency);
  const balanceMinor = wireMinor(wire.Balance, currency, `invoice ${wire.Id}`);
  const totalMinor = wireMinor(wire.TotalAmt, currency, `invoice ${wire.Id}`);
  // Voiding zeroes the amounts and prefixes "Voided" to the private note.
  const voided = totalMinor === 0 && balanceMinor === 0 && /^voided/i.test(wire.PrivateNote ?? '');
  const [billEmail] = emailsIn(wire.BillEmail?.Address);
  return {
    externalId: wire.Id,
    customerExternalId: wire.CustomerRef?.value ?? '',
    number: wire.DocNumber ?? null,
    currency,
    totalMinor,
    balanceMinor,
    issueDate: wire.TxnDate ?? null,
    dueDate: wire.DueDate ?? wire.TxnDate ?? '',
    status: voided ? 'voided' : balanceMinor > 0 ? 'open' : 'paid',
    version: wire.SyncToken ?? null,
    paymentUrl: wire.InvoiceLink || null,
    billEmail: billEmail ?? null,
    updatedAt: wire.MetaData?.LastUpdatedTime ?? null,
  };
}

const textOf = (value: unknown) => (typeof value === 'string' ? value : null);

/** A billing address as the mirror keeps it; null when it holds nothing a letter could use. */
export function postalAddressOfWire(address: WireAddress | undefined | null): PostalAddress | null {
  if (!address || typeof address !== 'object') return null;
  return postalAddressOf({
    lines: [address.Line1, address.Line2, address.Line3, address.Line4, address.Line5],
    city: address.City,
    region: address.CountrySubDivisionCode,
    postalCode: address.PostalCode,
    country: address.Country,
    countryCode: countryCode(textOf(address.Country)),
  });
}

export function toLedgerCustomer(wire: WireCustomer): LedgerCustomer {
  const personName = [wire.GivenName, wire.FamilyName].filter(Boolean).join(' ') || null;
  const contacts: LedgerContact[] = emailsIn(wire.PrimaryEmailAddr?.Address).map((email) => ({
    name: personName,
    email,
    role: 'billing',
  }));
  return {
    externalId: wire.Id,
    name: wire.DisplayName || wire.CompanyName || personName || `Customer ${wire.Id}`,
    active: wire.Active !== false,
    currency: knownCurrency(wire.CurrencyRef),
    contacts,
    country: countryCode(textOf(wire.BillAddr?.Country)),
    postalAddress: postalAddressOfWire(wire.BillAddr),
    updatedAt: wire.MetaData?.LastUpdatedTime ?? null,
  };
}

/** The cash a payment brought in, in minor units: applying a credit memo brings in none. */
export function cashOf(wire: WirePayment, homeCurrency: string): number {
  return wireMinor(wire.TotalAmt, currencyOf(wire.CurrencyRef, homeCurrency), `payment ${wire.Id}`);
}

/**
 * A payment as cash received. Its lines can apply invoices and credits (credit memos, journal
 * entries): `TotalAmt` is the invoice lines less the credit lines plus what is left unapplied, so only
 * that cash is allocated, to the invoice lines in the order QuickBooks lists them. A payment that
 * only applies a credit to an invoice (TotalAmt 0, how a write-off or settlement is booked) is not
 * cash: readers leave it out (see `cashOf`).
 */
export function toLedgerPayment(wire: WirePayment, homeCurrency: string): LedgerPayment {
  const currency = currencyOf(wire.CurrencyRef, homeCurrency);
  const cash = cashOf(wire, homeCurrency);
  const invoiceLines: Array<{ invoiceExternalId: string; amountMinor: number }> = [];
  let creditUsed = 0;
  for (const line of wire.Line ?? []) {
    const amount = wireMinor(line.Amount, currency, `payment ${wire.Id}`);
    for (const linked of line.LinkedTxn ?? []) {
      if (linked.TxnType === 'Invoice')
        invoiceLines.push({ invoiceExternalId: linked.TxnId, amountMinor: amount });
      else creditUsed += amount;
    }
  }
  const applied = invoiceLines.reduce((sum, line) => sum + line.amountMinor, 0);
  const unapplied = wireMinor(wire.UnappliedAmt, currency, `payment ${wire.Id}`);
  let cashLeft = Math.max(0, Math.min(cash - unapplied, applied - creditUsed));
  const allocations = [];
  for (const line of invoiceLines) {
    const amountMinor = Math.min(line.amountMinor, cashLeft);
    if (amountMinor <= 0) break;
    allocations.push({ invoiceExternalId: line.invoiceExternalId, amountMinor });
    cashLeft -= amountMinor;
  }
  return {
    externalId: wire.Id,
    customerExternalId: wire.CustomerRef?.value ?? null,
    amount: { amountMinor: cash, currency },
    paidOn: wire.TxnDate ?? (wire.MetaData?.CreateTime ?? '').slice(0, 10),
    allocations,
  };
}

/** A credit memo as credit: what is left of it (RemainingCredit; Balance where that is missing). */
export function toLedgerCreditMemo(wire: WireCreditMemo, homeCurrency: string): LedgerCredit {
  const currency = currencyOf(wire.CurrencyRef, homeCurrency);
  const remaining = wire.RemainingCredit ?? wire.Balance ?? 0;
  return {
    externalId: wire.Id,
    customerExternalId: wire.CustomerRef?.value ?? '',
    kind: 'credit_note',
    number: wire.DocNumber ?? null,
    currency,
    remainingMinor: Math.max(0, wireMinor(remaining, currency, `credit memo ${wire.Id}`)),
    issueDate: wire.TxnDate ?? null,
    updatedAt: wire.MetaData?.LastUpdatedTime ?? null,
  };
}

/** The part of a payment not applied to any invoice: credit the customer holds (zero when fully applied). */
export function toLedgerUnappliedPayment(wire: WirePayment, homeCurrency: string): LedgerCredit {
  const currency = currencyOf(wire.CurrencyRef, homeCurrency);
  return {
    externalId: wire.Id,
    customerExternalId: wire.CustomerRef?.value ?? '',
    kind: 'unapplied_payment',
    number: wire.PaymentRefNum || null,
    currency,
    remainingMinor: Math.max(0, wireMinor(wire.UnappliedAmt, currency, `payment ${wire.Id}`)),
    issueDate: wire.TxnDate ?? null,
    updatedAt: wire.MetaData?.LastUpdatedTime ?? null,
  };
}
