import { msDate } from '../time.js';
import type { WireEntity } from '../types.js';
import type { Account, HistoryEntry, Organisation } from './model.js';
import type { Json } from './wire.js';

const VERSION: Record<string, string> = { NZ: 'NZ', AU: 'AU', GB: 'UK', US: 'US' };

export function renderHistory(entry: HistoryEntry): Json {
  return {
    Changes: entry.changes,
    DateUTCString: new Date(entry.at).toISOString().slice(0, 19),
    DateUTC: msDate(entry.at),
    User: entry.user,
    Details: entry.details,
  };
}

/** Newest first, as in the example of GET /Invoices/{id}/History in Xero's OpenAPI description. */
export function renderHistoryList(org: Organisation, documentId: string): WireEntity[] {
  return [...(org.history.get(documentId) ?? [])].sort((a, b) => b.seq - a.seq).map(renderHistory);
}

const ACCOUNT_CLASS: Record<Account['type'], string> = {
  BANK: 'ASSET',
  CURRENT: 'ASSET',
  FIXED: 'ASSET',
  INVENTORY: 'ASSET',
  NONCURRENT: 'ASSET',
  PREPAYMENT: 'ASSET',
  CURRLIAB: 'LIABILITY',
  LIABILITY: 'LIABILITY',
  TERMLIAB: 'LIABILITY',
  PAYG: 'LIABILITY',
  EQUITY: 'EQUITY',
  DEPRECIATN: 'EXPENSE',
  DIRECTCOSTS: 'EXPENSE',
  EXPENSE: 'EXPENSE',
  OVERHEADS: 'EXPENSE',
  OTHERINCOME: 'REVENUE',
  REVENUE: 'REVENUE',
  SALES: 'REVENUE',
};

/** An element of GET /Accounts, shaped like the examples of xero_accounting.yaml. */
export function renderAccount(org: Organisation, account: Account): Json {
  const json: Json = {
    AccountID: account.id,
    ...(account.code !== null ? { Code: account.code } : {}),
    Name: account.name,
    Status: account.status,
    Type: account.type,
    TaxType: account.taxType,
    Class: ACCOUNT_CLASS[account.type],
    EnablePaymentsToAccount: false,
    ShowInExpenseClaims: ACCOUNT_CLASS[account.type] === 'EXPENSE',
    HasAttachments: false,
    UpdatedDateUTC: msDate(account.updatedAt),
    AddToWatchlist: false,
  };
  if (account.description !== undefined) json['Description'] = account.description;
  if (account.systemAccount !== undefined) json['SystemAccount'] = account.systemAccount;
  if (account.type === 'BANK') {
    Object.assign(json, {
      BankAccountNumber: account.bankAccountNumber ?? '',
      BankAccountType: 'BANK',
      CurrencyCode: org.baseCurrency,
    });
  }
  return json;
}

export function renderOrganisation(org: Organisation): Json {
  return {
    APIKey: org.tenantId.replace(/-/g, '').slice(0, 30).toUpperCase(),
    Name: org.name,
    LegalName: org.legalName,
    PaysTax: true,
    Version: VERSION[org.countryCode] ?? 'GLOBAL',
    OrganisationType: 'COMPANY',
    BaseCurrency: org.baseCurrency,
    CountryCode: org.countryCode,
    IsDemoCompany: false,
    OrganisationStatus: 'ACTIVE',
    FinancialYearEndDay: 31,
    FinancialYearEndMonth: 3,
    SalesTaxBasis: 'INVOICE',
    SalesTaxPeriod: 'TWOMONTHS',
    DefaultSalesTax: 'Tax Exclusive',
    DefaultPurchasesTax: 'Tax Exclusive',
    CreatedDateUTC: msDate(org.createdAt),
    OrganisationEntityType: 'COMPANY',
    Timezone: org.timezone,
    ShortCode: org.shortCode,
    OrganisationID: org.tenantId,
    Edition: 'BUSINESS',
    Class: 'PREMIUM',
    Addresses: [],
    Phones: [],
    ExternalLinks: [],
    PaymentTerms: {},
  };
}
