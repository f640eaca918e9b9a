/** Renders records as QuickBooks' JSON entities (PascalCase, decimal amounts, string Ids and SyncTokens). */
import { currencyRef, toWire } from '../money.js';
import { isoDateTime } from '../time.js';
import type { WireEntity } from '../types.js';
import type {
  AttachableRecord,
  Company,
  CreditMemoRecord,
  CustomerRecord,
  InvoiceRecord,
  ItemRecord,
  LineRecord,
  PaymentRecord,
} from './company.js';

type Json = Record<string, unknown>;

function base(record: { id: string; syncToken: number; createdAt: number; updatedAt: number }): Json {
  return {
    Id: record.id,
    SyncToken: String(record.syncToken),
    domain: 'QBO',
    sparse: false,
    MetaData: { CreateTime: isoDateTime(record.createdAt), LastUpdatedTime: isoDateTime(record.updatedAt) },
  };
}

function customerRef(company: Company, customerId: string): { value: string; name: string } {
  return { value: customerId, name: company.customers.get(customerId)?.displayName ?? '' };
}

function salesLines(lines: LineRecord[], currency: string): Json[] {
  const rendered: Json[] = lines.map((line, index) => {
    const amount = toWire(line.amount, currency);
    const json: Json = {
      Id: String(index + 1),
      LineNum: index + 1,
      Amount: amount,
      DetailType: 'SalesItemLineDetail',
      SalesItemLineDetail: { ItemRef: { value: '1', name: 'Services' }, Qty: 1, UnitPrice: amount },
    };
    if (line.description !== undefined) json['Description'] = line.description;
    return json;
  });
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  rendered.push({
    Amount: toWire(total, currency),
    DetailType: 'SubTotalLineDetail',
    SubTotalLineDetail: {},
  });
  return rendered;
}

export function renderCustomer(company: Company, c: CustomerRecord): WireEntity {
  const balance = toWire(company.customerBalance(c.id), c.currency);
  const json: Json = {
    ...base(c),
    DisplayName: c.displayName,
    FullyQualifiedName: c.displayName,
    PrintOnCheckName: c.companyName ?? c.displayName,
    Active: c.active,
    Job: false,
    BillWithParent: false,
    Taxable: false,
    Balance: balance,
    BalanceWithJobs: balance,
    CurrencyRef: currencyRef(c.currency),
    PreferredDeliveryMethod: 'Email',
  };
  if (c.companyName !== undefined) json['CompanyName'] = c.companyName;
  if (c.givenName !== undefined) json['GivenName'] = c.givenName;
  if (c.familyName !== undefined) json['FamilyName'] = c.familyName;
  if (c.email !== null) json['PrimaryEmailAddr'] = { Address: c.email };
  if (c.phone !== undefined) json['PrimaryPhone'] = { FreeFormNumber: c.phone };
  if (c.notes !== undefined) json['Notes'] = c.notes;
  if (c.billAddr !== undefined) {
    const address: Json = { Id: String(Number(c.id) + 100) };
    const lines = [c.billAddr.line1, c.billAddr.line2, c.billAddr.line3, c.billAddr.line4, c.billAddr.line5];
    lines.forEach((line, index) => {
      if (line !== undefined) address[`Line${index + 1}`] = line;
    });
    if (c.billAddr.city !== undefined) address['City'] = c.billAddr.city;
    if (c.billAddr.countrySubDivisionCode !== undefined)
      address['CountrySubDivisionCode'] = c.billAddr.countrySubDivisionCode;
    if (c.billAddr.postalCode !== undefined) address['PostalCode'] = c.billAddr.postalCode;
    if (c.billAddr.country !== undefined) address['Country'] = c.billAddr.country;
    json['BillAddr'] = address;
  }
  return json as WireEntity;
}

export function renderInvoice(company: Company, inv: InvoiceRecord, invoiceLink?: string): WireEntity {
  const json: Json = {
    ...base(inv),
    DocNumber: inv.docNumber,
    TxnDate: inv.txnDate,
    DueDate: inv.dueDate,
    CurrencyRef: currencyRef(inv.currency),
    ExchangeRate: 1,
    LinkedTxn: inv.paymentIds.map((id) => ({ TxnId: id, TxnType: 'Payment' })),
    Line: salesLines(inv.lines, inv.currency),
    CustomerRef: customerRef(company, inv.customerId),
    SalesTermRef: { value: '3', name: 'Net 30' },
    TotalAmt: toWire(inv.total, inv.currency),
    Balance: toWire(inv.balance, inv.currency),
    EmailStatus: inv.emailStatus,
    PrintStatus: 'NotSet',
    AllowOnlineCreditCardPayment: company.info.onlinePayments,
    AllowOnlineACHPayment: company.info.onlinePayments,
  };
  if (inv.billEmail !== null) json['BillEmail'] = { Address: inv.billEmail };
  if (inv.privateNote !== undefined) json['PrivateNote'] = inv.privateNote;
  if (inv.customerMemo !== undefined) json['CustomerMemo'] = { value: inv.customerMemo };
  if (invoiceLink !== undefined) json['InvoiceLink'] = invoiceLink;
  return json as WireEntity;
}

export function renderPayment(company: Company, p: PaymentRecord): WireEntity {
  const json: Json = {
    ...base(p),
    TxnDate: p.txnDate,
    CurrencyRef: currencyRef(p.currency),
    ExchangeRate: 1,
    CustomerRef: customerRef(company, p.customerId),
    TotalAmt: toWire(p.total, p.currency),
    UnappliedAmt: toWire(p.unapplied, p.currency),
    ProcessPayment: false,
    Line: p.lines.map((line) => ({
      Amount: toWire(line.amount, p.currency),
      LinkedTxn: [{ TxnId: line.txnId, TxnType: line.txnType }],
    })),
  };
  if (p.privateNote !== undefined) json['PrivateNote'] = p.privateNote;
  return json as WireEntity;
}

export function renderCreditMemo(company: Company, m: CreditMemoRecord): WireEntity {
  const json: Json = {
    ...base(m),
    DocNumber: m.docNumber,
    TxnDate: m.txnDate,
    CurrencyRef: currencyRef(m.currency),
    ExchangeRate: 1,
    Line: salesLines(m.lines, m.currency),
    CustomerRef: customerRef(company, m.customerId),
    TotalAmt: toWire(m.total, m.currency),
    RemainingCredit: toWire(m.remaining, m.currency),
    Balance: toWire(m.remaining, m.currency),
  };
  if (m.privateNote !== undefined) json['PrivateNote'] = m.privateNote;
  return json as WireEntity;
}

export function renderAttachable(a: AttachableRecord): WireEntity {
  const json: Json = {
    ...base(a),
    AttachableRef: a.refs.map((ref) => ({
      EntityRef: { type: ref.type, value: ref.value },
      IncludeOnSend: false,
    })),
  };
  if (a.note !== undefined) json['Note'] = a.note;
  if (a.fileName !== undefined) json['FileName'] = a.fileName;
  return json as WireEntity;
}

/**
 * An Item as Intuit shows it: Category and Group items carry no prices or accounts; the others carry
 * UnitPrice, PurchaseCost, Taxable and their accounts, and Inventory items track quantity.
 */
export function renderItem(item: ItemRecord): WireEntity {
  const json: Json = {
    ...base(item),
    Name: item.name,
    FullyQualifiedName: item.name,
    Active: item.active,
    Type: item.type,
  };
  if (item.description !== undefined) json['Description'] = item.description;
  if (item.type === 'Group') Object.assign(json, { PrintGroupedItems: false, ItemGroupDetail: {} });
  if (item.type !== 'Category' && item.type !== 'Group') {
    Object.assign(json, {
      Taxable: false,
      UnitPrice: 0,
      PurchaseCost: 0,
      TrackQtyOnHand: item.type === 'Inventory',
    });
    if (item.type === 'Inventory') json['QtyOnHand'] = 0;
    if (item.incomeAccountRef) json['IncomeAccountRef'] = { ...item.incomeAccountRef };
    if (item.expenseAccountRef) json['ExpenseAccountRef'] = { ...item.expenseAccountRef };
  }
  return json as WireEntity;
}

export function renderCompanyInfo(company: Company): WireEntity {
  const { info } = company;
  return {
    Id: '1',
    SyncToken: '0',
    domain: 'QBO',
    sparse: false,
    CompanyName: info.name,
    LegalName: info.name,
    Country: info.country,
    // No time zone anywhere in CompanyInfo: the address's state is the nearest thing to one.
    ...(info.region ? { CompanyAddr: { CountrySubDivisionCode: info.region, Country: info.country } } : {}),
    CompanyStartDate: isoDateTime(info.createdAt).slice(0, 10),
    Email: { Address: info.user.email },
    SupportedLanguages: 'en',
    NameValue: [
      { Name: 'HomeCurrency', Value: info.homeCurrency },
      { Name: 'OnlinePaymentsEnabled', Value: String(info.onlinePayments) },
    ],
    MetaData: { CreateTime: isoDateTime(info.createdAt), LastUpdatedTime: isoDateTime(info.createdAt) },
  };
}

/** The parts of Preferences Dunwell reads; Intuit's shape, with the company's home currency. */
export function renderPreferences(company: Company): WireEntity {
  const { info } = company;
  return {
    Id: '1',
    SyncToken: '0',
    domain: 'QBO',
    CurrencyPrefs: { MultiCurrencyEnabled: true, HomeCurrency: { value: info.homeCurrency } },
    SalesFormsPrefs: { AllowOnlinePayment: info.onlinePayments },
    MetaData: { CreateTime: isoDateTime(info.createdAt), LastUpdatedTime: isoDateTime(info.createdAt) },
  };
}

/** What CDC reports for a deleted entity (Intuit's CDC example shows exactly these keys). */
export function renderTombstone(id: string, deletedAt: number): Json {
  return {
    Id: id,
    domain: 'QBO',
    status: 'Deleted',
    MetaData: { LastUpdatedTime: isoDateTime(deletedAt) },
  };
}
