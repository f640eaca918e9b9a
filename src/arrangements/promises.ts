import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { paymentPromises } from '../db/schema/index.js';
import { record } from './arrangement-log.js';
import { type ArrangementRequest, lockDebtor, who } from './arrangement-request.js';
import { chooseInvoices, invoiceNames, type OpenInvoice, openInvoicesOf } from './debtor-invoices.js';
import { recordOwnerEvent } from './owner-events.js';
import { ArrangementInputError, checkPromisedDate } from './proposals.js';

/** "I will pay by …": pauses reminders for those invoices until the date (+ grace). */
export async function makePromise(db: Database, request: ArrangementRequest & { promisedDate: string }) {
  const promisedDate = checkPromisedDate(request.promisedDate, request.today, request.limits);
  return db.transaction(async (tx) => {
    await lockDebtor(tx, request);
    const chosen = chooseInvoices(await openInvoicesOf(tx, request), request.invoiceIds);
    const open = await tx
      .select({ invoiceIds: paymentPromises.invoiceIds, promisedDate: paymentPromises.promisedDate })
      .from(paymentPromises)
      .where(
        and(
          eq(paymentPromises.orgId, request.orgId),
          eq(paymentPromises.customerId, request.customerId),
          eq(paymentPromises.status, 'open'),
        ),
      );
    assertNoneOpen(
      open,
      chosen,
      `You have already told us a date for ${open[0] ? `these invoices (${open[0].promisedDate})` : 'these invoices'}. To change it, please contact us.`,
    );
    const [promise] = await tx
      .insert(paymentPromises)
      .values({
        orgId: request.orgId,
        customerId: request.customerId,
        invoiceIds: chosen.map((invoice) => invoice.id),
        promisedDate,
        source: request.source,
        createdAt: request.now,
      })
      .returning();
    if (!promise) throw new Error('the promise was not stored');
    const summary = `${who(request.source)} promised to pay ${invoiceNames(chosen)} by ${promisedDate}`;
    await record(tx, request, chosen, {
      kind: 'promise.made',
      summary,
      key: `promise:${promise.id}`,
      details: { promiseId: promise.id, promisedDate },
    });
    if (request.source === 'portal')
      await recordOwnerEvent(tx, {
        orgId: request.orgId,
        customerId: request.customerId,
        kind: 'promise',
        summary: `promised to pay ${invoiceNames(chosen)} by ${promisedDate}`,
        invoices: chosen,
        now: request.now,
      });
    return promise;
  });
}

/** Overlapping arrangements of one kind are refused, so there is one answer to "when will they pay?". */
function assertNoneOpen(existing: Array<{ invoiceIds: string[] }>, chosen: OpenInvoice[], what: string) {
  const clash = existing.find((row) =>
    row.invoiceIds.some((id) => chosen.some((invoice) => invoice.id === id)),
  );
  if (clash) throw new ArrangementInputError(what);
}
