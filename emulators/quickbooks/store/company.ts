/**
 * In-memory state of one QuickBooks company (realm). Amounts are integer minor units; timestamps are epoch ms
 * truncated to whole seconds. Rendering to the wire lives in wire.ts, changes in ledger.ts.
 */
import type { BillAddrInput, EntityName, ItemType } from '../types.js';

interface Versioned {
  id: string;
  syncToken: number;
  createdAt: number;
  updatedAt: number;
}

export interface CustomerRecord extends Versioned {
  displayName: string;
  companyName?: string;
  givenName?: string;
  familyName?: string;
  email: string | null;
  phone?: string;
  currency: string;
  active: boolean;
  notes?: string;
  billAddr?: BillAddrInput;
}

export interface LineRecord {
  amount: number;
  description?: string;
}

export interface InvoiceRecord extends Versioned {
  docNumber: string;
  txnDate: string;
  dueDate: string;
  customerId: string;
  currency: string;
  lines: LineRecord[];
  total: number;
  balance: number;
  billEmail: string | null;
  privateNote?: string;
  customerMemo?: string;
  emailStatus: string;
  voided: boolean;
  /** Payment ids applied to this invoice, in order. */
  paymentIds: string[];
  /** Random part of the customer-facing InvoiceLink. */
  linkToken: string;
}

export type LinkedTxnType = 'Invoice' | 'CreditMemo';

export interface PaymentLineRecord {
  amount: number;
  txnId: string;
  txnType: LinkedTxnType;
}

export interface PaymentRecord extends Versioned {
  customerId: string;
  txnDate: string;
  currency: string;
  total: number;
  unapplied: number;
  lines: PaymentLineRecord[];
  privateNote?: string;
}

export interface CreditMemoRecord extends Versioned {
  docNumber: string;
  customerId: string;
  txnDate: string;
  currency: string;
  lines: LineRecord[];
  total: number;
  remaining: number;
  privateNote?: string;
}

export interface AttachableRecord extends Versioned {
  note?: string;
  fileName?: string;
  refs: { type: string; value: string }[];
}

export interface ItemRecord extends Versioned {
  name: string;
  type: ItemType;
  active: boolean;
  description?: string;
  incomeAccountRef?: { value: string; name: string };
  expenseAccountRef?: { value: string; name: string };
}

export interface Tombstone {
  entity: EntityName;
  id: string;
  deletedAt: number;
}

export interface CompanyUser {
  sub: string;
  email: string;
  givenName: string;
  familyName: string;
  emailVerified: boolean;
}

export interface CompanyInfo {
  name: string;
  homeCurrency: string;
  country: string;
  region?: string;
  onlinePayments: boolean;
  createdAt: number;
  user: CompanyUser;
}

/** A response remembered for a `requestid`, replayed verbatim on a repeat. */
export interface RememberedResponse {
  status: number;
  body: string;
}

export class Company {
  readonly customers = new Map<string, CustomerRecord>();
  readonly invoices = new Map<string, InvoiceRecord>();
  readonly payments = new Map<string, PaymentRecord>();
  readonly creditMemos = new Map<string, CreditMemoRecord>();
  readonly attachables = new Map<string, AttachableRecord>();
  readonly items = new Map<string, ItemRecord>();
  readonly tombstones: Tombstone[] = [];
  readonly idempotency = new Map<string, RememberedResponse>();
  private readonly lastIds: Record<EntityName, number> = {
    Customer: 0,
    Invoice: 0,
    Payment: 0,
    CreditMemo: 0,
    Attachable: 0,
    Item: 0,
  };
  private lastDocNumber = 1000;

  constructor(
    readonly realmId: string,
    readonly info: CompanyInfo,
  ) {}

  /** Each entity type has its own Id sequence, as in QuickBooks. */
  nextId(entity: EntityName): string {
    this.lastIds[entity] += 1;
    return String(this.lastIds[entity]);
  }

  /** Keeps the sequence ahead of ids given explicitly in seeds. */
  claimId(entity: EntityName, id: string): void {
    const n = Number(id);
    if (Number.isInteger(n) && n > this.lastIds[entity]) this.lastIds[entity] = n;
  }

  nextDocNumber(): string {
    this.lastDocNumber += 1;
    return String(this.lastDocNumber);
  }

  claimDocNumber(docNumber: string): void {
    const n = Number(docNumber);
    if (Number.isInteger(n) && n > this.lastDocNumber) this.lastDocNumber = n;
  }

  /** Open A/R of a customer: invoice balances less unused credit memos and unapplied payments. */
  customerBalance(customerId: string): number {
    let balance = 0;
    for (const invoice of this.invoices.values())
      if (invoice.customerId === customerId) balance += invoice.balance;
    for (const memo of this.creditMemos.values())
      if (memo.customerId === customerId) balance -= memo.remaining;
    for (const payment of this.payments.values())
      if (payment.customerId === customerId) balance -= payment.unapplied;
    return balance;
  }
}
