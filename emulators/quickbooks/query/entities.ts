/**
 * What each queryable entity exposes to WHERE and ORDERBY, read straight from the records (only the page
 * that is returned gets rendered, so paging 100k invoices stays cheap).
 */
import { toWire } from '../money.js';
import type {
  AttachableRecord,
  Company,
  CreditMemoRecord,
  CustomerRecord,
  InvoiceRecord,
  ItemRecord,
  PaymentRecord,
} from '../store/company.js';
import {
  renderAttachable,
  renderCreditMemo,
  renderCustomer,
  renderInvoice,
  renderItem,
  renderPayment,
} from '../store/wire.js';
import type { EntityName, WireEntity } from '../types.js';

export type FieldType = 'id' | 'string' | 'number' | 'date' | 'datetime' | 'boolean';
type FieldValue = string | number | boolean | null;

export interface FieldDef<R> {
  name: string;
  type: FieldType;
  get(record: R): FieldValue | FieldValue[];
}

export interface EntityDef<R = unknown> {
  name: EntityName;
  records(company: Company): Iterable<R>;
  render(company: Company, record: R): WireEntity;
  fields: Map<string, FieldDef<R>>;
  /** Name-list entities answer only active rows unless the query filters on Active (QuickBooks does this). */
  activeByDefault?: boolean;
  lastUpdated(record: R): number;
}

type Stamped = { id: string; createdAt: number; updatedAt: number };

function fieldMap<R>(defs: FieldDef<R>[]): Map<string, FieldDef<R>> {
  return new Map(defs.map((def) => [def.name.toLowerCase(), def]));
}

function common<R extends Stamped>(): FieldDef<R>[] {
  return [
    { name: 'Id', type: 'id', get: (r) => r.id },
    { name: 'MetaData.CreateTime', type: 'datetime', get: (r) => r.createdAt },
    { name: 'MetaData.LastUpdatedTime', type: 'datetime', get: (r) => r.updatedAt },
  ];
}

function define<R extends Stamped>(def: Omit<EntityDef<R>, 'lastUpdated'>): EntityDef {
  return { ...def, lastUpdated: (r: R) => r.updatedAt } as unknown as EntityDef;
}

const ENTITIES: EntityDef[] = [
  define<InvoiceRecord>({
    name: 'Invoice',
    records: (c) => c.invoices.values(),
    render: (c, r) => renderInvoice(c, r),
    fields: fieldMap([
      ...common<InvoiceRecord>(),
      { name: 'DocNumber', type: 'string', get: (r) => r.docNumber },
      { name: 'TxnDate', type: 'date', get: (r) => r.txnDate },
      { name: 'DueDate', type: 'date', get: (r) => r.dueDate },
      { name: 'CustomerRef', type: 'id', get: (r) => r.customerId },
      { name: 'Balance', type: 'number', get: (r) => toWire(r.balance, r.currency) },
      { name: 'TotalAmt', type: 'number', get: (r) => toWire(r.total, r.currency) },
      { name: 'CurrencyRef', type: 'string', get: (r) => r.currency },
      { name: 'EmailStatus', type: 'string', get: (r) => r.emailStatus },
    ]),
  }),
  define<CustomerRecord>({
    name: 'Customer',
    records: (c) => c.customers.values(),
    render: (c, r) => renderCustomer(c, r),
    activeByDefault: true,
    fields: fieldMap([
      ...common<CustomerRecord>(),
      { name: 'DisplayName', type: 'string', get: (r) => r.displayName },
      { name: 'CompanyName', type: 'string', get: (r) => r.companyName ?? null },
      { name: 'GivenName', type: 'string', get: (r) => r.givenName ?? null },
      { name: 'FamilyName', type: 'string', get: (r) => r.familyName ?? null },
      { name: 'PrimaryEmailAddr', type: 'string', get: (r) => r.email },
      { name: 'Active', type: 'boolean', get: (r) => r.active },
      { name: 'CurrencyRef', type: 'string', get: (r) => r.currency },
    ]),
  }),
  define<PaymentRecord>({
    name: 'Payment',
    records: (c) => c.payments.values(),
    render: (c, r) => renderPayment(c, r),
    fields: fieldMap([
      ...common<PaymentRecord>(),
      { name: 'TxnDate', type: 'date', get: (r) => r.txnDate },
      { name: 'CustomerRef', type: 'id', get: (r) => r.customerId },
      { name: 'TotalAmt', type: 'number', get: (r) => toWire(r.total, r.currency) },
      { name: 'CurrencyRef', type: 'string', get: (r) => r.currency },
    ]),
  }),
  define<CreditMemoRecord>({
    name: 'CreditMemo',
    records: (c) => c.creditMemos.values(),
    render: (c, r) => renderCreditMemo(c, r),
    fields: fieldMap([
      ...common<CreditMemoRecord>(),
      { name: 'DocNumber', type: 'string', get: (r) => r.docNumber },
      { name: 'TxnDate', type: 'date', get: (r) => r.txnDate },
      { name: 'CustomerRef', type: 'id', get: (r) => r.customerId },
      { name: 'TotalAmt', type: 'number', get: (r) => toWire(r.total, r.currency) },
      { name: 'Balance', type: 'number', get: (r) => toWire(r.remaining, r.currency) },
      { name: 'RemainingCredit', type: 'number', get: (r) => toWire(r.remaining, r.currency) },
    ]),
  }),
  define<AttachableRecord>({
    name: 'Attachable',
    records: (c) => c.attachables.values(),
    render: (_c, r) => renderAttachable(r),
    fields: fieldMap([
      ...common<AttachableRecord>(),
      { name: 'AttachableRef.EntityRef.Type', type: 'string', get: (r) => r.refs.map((ref) => ref.type) },
      { name: 'AttachableRef.EntityRef.value', type: 'id', get: (r) => r.refs.map((ref) => ref.value) },
    ]),
  }),
  define<ItemRecord>({
    name: 'Item',
    records: (c) => c.items.values(),
    render: (_c, r) => renderItem(r),
    // A name list, like Customer: inactive items are left out unless the query filters on Active.
    activeByDefault: true,
    fields: fieldMap([
      ...common<ItemRecord>(),
      { name: 'Name', type: 'string', get: (r) => r.name },
      { name: 'FullyQualifiedName', type: 'string', get: (r) => r.name },
      { name: 'Type', type: 'string', get: (r) => r.type },
      { name: 'Active', type: 'boolean', get: (r) => r.active },
    ]),
  }),
];

const BY_NAME = new Map(ENTITIES.map((def) => [def.name.toLowerCase(), def]));

export function entityDef(name: string): EntityDef | undefined {
  return BY_NAME.get(name.toLowerCase());
}
