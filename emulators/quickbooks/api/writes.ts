/**
 * POST handlers: create, sparse update, delete and void, as node-quickbooks sends them
 * (`POST /invoice`, `POST /invoice?operation=update` with `sparse: true`, `?operation=delete`,
 * `?operation=void` or `?include=void`). A POST with an Id but no operation is an update, as in QuickBooks.
 * A full (non-sparse) update is treated like a sparse one: fields left out are kept, not cleared.
 */
import { invalidValue, objectNotFound, requiredParam, unsupportedOperation } from '../faults.js';
import type { LinkedTxnType, PaymentLineRecord } from '../store/company.js';
import { definedOnly, type InvoicePatch } from '../store/ledger.js';
import { createCreditMemo, createPayment } from '../store/settlement.js';
import {
  renderAttachable,
  renderCreditMemo,
  renderCustomer,
  renderInvoice,
  renderPayment,
} from '../store/wire.js';
import {
  asObject,
  emailAddress,
  type JsonObject,
  memoValue,
  money,
  optString,
  refValue,
  reqString,
  salesLines,
} from './body.js';
import type { ApiContext } from './context.js';

export function writeEntity(
  ctx: ApiContext,
  resource: string,
  operation: string | undefined,
  rawBody: unknown,
): JsonObject {
  const body = asObject(rawBody, resource);
  switch (resource) {
    case 'invoice':
      return writeInvoice(ctx, operation, body);
    case 'customer':
      return writeCustomer(ctx, operation, body);
    case 'creditmemo':
      if (operation === 'delete') {
        const id = reqString(body, 'Id');
        ctx.ledger.deleteCreditMemo(id, syncToken(body));
        return { CreditMemo: { domain: 'QBO', status: 'Deleted', Id: id } };
      }
      return createOnly(operation, resource, () => writeCreditMemo(ctx, body));
    case 'payment':
      return createOnly(operation, resource, () => writePayment(ctx, body));
    case 'attachable':
      return createOnly(operation, resource, () => writeAttachable(ctx, body));
    default:
      throw unsupportedOperation(`/v3/company/${ctx.company.realmId}/${resource}`);
  }
}

function createOnly(operation: string | undefined, resource: string, create: () => JsonObject): JsonObject {
  if (operation !== undefined && operation !== 'create') {
    throw unsupportedOperation(`${resource}?operation=${operation}`);
  }
  return create();
}

function writeInvoice(ctx: ApiContext, operation: string | undefined, body: JsonObject): JsonObject {
  const { company, ledger } = ctx;
  const id = optString(body, 'Id');
  if (operation === 'delete') {
    const deleted = ledger.deleteInvoice(reqString(body, 'Id'), syncToken(body));
    return { Invoice: { domain: 'QBO', status: 'Deleted', Id: deleted.id } };
  }
  if (operation === 'void' || ctx.query['include'] === 'void') {
    const voided = ledger.voidInvoice(reqString(body, 'Id'), syncToken(body));
    return { Invoice: renderInvoice(company, voided) };
  }
  if (operation === 'update' || (operation === undefined && id !== undefined)) {
    const invoiceId = reqString(body, 'Id');
    const existing = company.invoices.get(invoiceId);
    if (!existing) throw objectNotFound('Invoice', invoiceId);
    const lines = salesLines(body, existing.currency);
    const patch: InvoicePatch = definedOnly({
      dueDate: optString(body, 'DueDate'),
      txnDate: optString(body, 'TxnDate'),
      docNumber: optString(body, 'DocNumber'),
      privateNote: optString(body, 'PrivateNote'),
      customerMemo: memoValue(body, 'CustomerMemo'),
      emailStatus: optString(body, 'EmailStatus'),
      lines: lines && lines.length > 0 ? lines : undefined,
    });
    const billEmail = emailAddress(body, 'BillEmail');
    if (billEmail !== undefined) patch.billEmail = billEmail;
    return { Invoice: renderInvoice(company, ledger.updateInvoice(invoiceId, patch, syncToken(body))) };
  }
  if (operation !== undefined && operation !== 'create')
    throw unsupportedOperation(`invoice?operation=${operation}`);
  const customerId = refValue(body, 'CustomerRef');
  if (customerId === undefined) throw requiredParam('CustomerRef');
  const customer = ledger.customer(customerId);
  const currency = refValue(body, 'CurrencyRef') ?? customer.currency;
  const billEmail = emailAddress(body, 'BillEmail');
  const created = ledger.createInvoice({
    customerId,
    lines: salesLines(body, currency) ?? [],
    currency,
    ...definedOnly({
      dueDate: optString(body, 'DueDate'),
      txnDate: optString(body, 'TxnDate'),
      docNumber: optString(body, 'DocNumber'),
      privateNote: optString(body, 'PrivateNote'),
      customerMemo: memoValue(body, 'CustomerMemo'),
    }),
    ...(billEmail !== undefined ? { billEmail } : {}),
  });
  return { Invoice: renderInvoice(company, created) };
}

function writeCustomer(ctx: ApiContext, operation: string | undefined, body: JsonObject): JsonObject {
  const { company, ledger } = ctx;
  const active = body['Active'];
  if (active !== undefined && typeof active !== 'boolean')
    throw invalidValue('Active', 'Active must be true or false');
  const email = emailAddress(body, 'PrimaryEmailAddr');
  const phoneObject = body['PrimaryPhone'];
  const fields = {
    ...definedOnly({
      displayName: optString(body, 'DisplayName'),
      companyName: optString(body, 'CompanyName'),
      givenName: optString(body, 'GivenName'),
      familyName: optString(body, 'FamilyName'),
      notes: optString(body, 'Notes'),
      currency: refValue(body, 'CurrencyRef'),
      phone: phoneObject ? optString(asObject(phoneObject, 'PrimaryPhone'), 'FreeFormNumber') : undefined,
      active: active as boolean | undefined,
    }),
    ...(email !== undefined ? { email } : {}),
  };
  const id = optString(body, 'Id');
  if (operation === 'update' || (operation === undefined && id !== undefined)) {
    const updated = ledger.updateCustomer(reqString(body, 'Id'), fields, syncToken(body));
    return { Customer: renderCustomer(company, updated) };
  }
  if (operation !== undefined && operation !== 'create')
    throw unsupportedOperation(`customer?operation=${operation}`);
  return { Customer: renderCustomer(company, ledger.createCustomer(fields)) };
}

function writeCreditMemo(ctx: ApiContext, body: JsonObject): JsonObject {
  const { company, ledger } = ctx;
  const customerId = refValue(body, 'CustomerRef');
  if (customerId === undefined) throw requiredParam('CustomerRef');
  const customer = ledger.customer(customerId);
  const currency = refValue(body, 'CurrencyRef') ?? customer.currency;
  const memo = createCreditMemo(ledger, {
    customerId,
    currency,
    lines: salesLines(body, currency) ?? [],
    ...definedOnly({
      txnDate: optString(body, 'TxnDate'),
      docNumber: optString(body, 'DocNumber'),
      privateNote: optString(body, 'PrivateNote'),
    }),
  });
  return { CreditMemo: renderCreditMemo(company, memo) };
}

function writePayment(ctx: ApiContext, body: JsonObject): JsonObject {
  const { company, ledger } = ctx;
  const customerId = refValue(body, 'CustomerRef');
  if (customerId === undefined) throw requiredParam('CustomerRef');
  const customer = ledger.customer(customerId);
  const currency = refValue(body, 'CurrencyRef') ?? customer.currency;
  if (body['TotalAmt'] === undefined) throw requiredParam('TotalAmt');
  const rawLines = body['Line'] ?? [];
  if (!Array.isArray(rawLines)) throw invalidValue('Line', 'Line must be an array');
  const lines: PaymentLineRecord[] = rawLines.map((raw) => {
    const line = asObject(raw, 'Line');
    const linked = line['LinkedTxn'];
    if (!Array.isArray(linked) || linked.length !== 1) {
      throw invalidValue(
        'Line.LinkedTxn',
        'Each payment line must link exactly one transaction in this emulator',
      );
    }
    const txn = asObject(linked[0], 'LinkedTxn');
    const txnType = reqString(txn, 'TxnType');
    if (txnType !== 'Invoice' && txnType !== 'CreditMemo') {
      throw invalidValue('LinkedTxn.TxnType', `TxnType ${txnType} is not supported (Invoice or CreditMemo)`);
    }
    return {
      amount: money(line['Amount'], 'Line.Amount', currency),
      txnId: reqString(txn, 'TxnId'),
      txnType: txnType as LinkedTxnType,
    };
  });
  const payment = createPayment(ledger, {
    customerId,
    currency,
    total: money(body['TotalAmt'], 'TotalAmt', currency),
    lines,
    ...definedOnly({ txnDate: optString(body, 'TxnDate'), privateNote: optString(body, 'PrivateNote') }),
  });
  return { Payment: renderPayment(company, payment) };
}

function writeAttachable(ctx: ApiContext, body: JsonObject): JsonObject {
  const rawRefs = body['AttachableRef'] ?? [];
  if (!Array.isArray(rawRefs)) throw invalidValue('AttachableRef', 'AttachableRef must be an array');
  const refs = rawRefs.map((raw) => {
    const entityRef = asObject(asObject(raw, 'AttachableRef')['EntityRef'], 'AttachableRef.EntityRef');
    return { type: reqString(entityRef, 'type'), value: reqString(entityRef, 'value') };
  });
  const attachable = ctx.ledger.createAttachable({
    refs,
    ...definedOnly({ note: optString(body, 'Note'), fileName: optString(body, 'FileName') }),
  });
  return { Attachable: renderAttachable(attachable) };
}

function syncToken(body: JsonObject): string {
  const token = body['SyncToken'];
  if (token === undefined || token === null || token === '') throw requiredParam('SyncToken');
  return String(token);
}
