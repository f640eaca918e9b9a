import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionHandle } from '../../../connectors/ledger.js';
import { classifyQuickBooksFailure, invoke } from '../../../connectors/quickbooks/api.js';
import { quickBooksWrites } from '../../../connectors/quickbooks/writes.js';
import { api, client } from './stubbed-api.js';

/** One real node-quickbooks call against the stubbed response, and what it was classified as. */
async function failureOf(reply: (scope: nock.Interceptor) => nock.Scope) {
  reply(nock(api).get('/v3/company/123/invoice/7').query(true));
  const error = await invoke((done) => client('token').getInvoice('7', done)).then(
    () => null,
    (rejected: unknown) => rejected,
  );
  return classifyQuickBooksFailure(error);
}

describe('QuickBooks failures', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());

  it('reads 429 (JSON or XML) as rate limiting, with Retry-After when given', async () => {
    const json = await failureOf((scope) =>
      scope.reply(
        429,
        { Fault: { Error: [{ Message: 'ThrottleExceeded', code: '3001' }] } },
        { 'Retry-After': '7' },
      ),
    );
    expect(json).toMatchObject({ status: 429, code: 'rate_limited', retryAfterSeconds: 7 });
    const xml = await failureOf((scope) =>
      scope.reply(
        429,
        '<IntuitResponse><Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded</Message></Error></Fault></IntuitResponse>',
        { 'Content-Type': 'application/xml' },
      ),
    );
    expect(xml).toMatchObject({ status: 429, code: 'rate_limited', retryAfterSeconds: 60 });
  });

  it('reads an expired token as 401, a stale object as 5010, a missing one as not found', async () => {
    const auth = await failureOf((scope) =>
      scope.reply(401, {
        fault: {
          error: [{ message: 'message=AuthenticationFailed; errorCode=003200', code: '3200' }],
          type: 'AUTHENTICATION',
        },
      }),
    );
    expect(auth).toMatchObject({ status: 401, code: 'reauth_required' });
    const stale = await failureOf((scope) =>
      scope.reply(400, {
        Fault: { Error: [{ Message: 'Stale Object Error', code: '5010' }], type: 'ValidationFault' },
      }),
    );
    expect(stale).toMatchObject({
      status: 400,
      code: 'stale_version',
      detail: expect.stringContaining('Stale Object'),
    });
    const missing = await failureOf((scope) =>
      scope.reply(400, {
        Fault: { Error: [{ Message: 'Object Not Found', code: '610' }], type: 'ValidationFault' },
      }),
    );
    expect(missing.code).toBe('not_found');
  });

  it('reads outages and network failures as unavailable', async () => {
    expect((await failureOf((scope) => scope.reply(503, 'Service Unavailable'))).code).toBe('unavailable');
    // What axios rejects with when the connection drops: a code and no response. (nock's
    // replyWithError never settles with axios 1.21, so the shape is built here.)
    const dropped = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', isAxiosError: true });
    expect(classifyQuickBooksFailure(dropped)).toMatchObject({ status: 0, code: 'unavailable' });
  });

  it('reads intuit-oauth invalid_grant as reauth_required', () => {
    const error = Object.assign(new Error('invalid_grant'), {
      error: 'invalid_grant',
      error_description: 'Token invalid',
    });
    expect(classifyQuickBooksFailure(error)).toMatchObject({ code: 'reauth_required' });
  });

  it('re-reads and retries a due-date change when the invoice changed in between (5010)', async () => {
    const invoice = (syncToken: string) => ({
      Invoice: { Id: '7', SyncToken: syncToken, Balance: 50, DueDate: '2026-11-01' },
    });
    const requestIds: string[] = [];
    nock(api)
      .get('/v3/company/123/invoice/7')
      .query(true)
      .reply(200, invoice('1'))
      .post('/v3/company/123/invoice')
      .query((query) => {
        requestIds.push(String(query['requestid']));
        return true;
      })
      .reply(400, {
        Fault: { Error: [{ Message: 'Stale Object Error', code: '5010' }], type: 'ValidationFault' },
      })
      .get('/v3/company/123/invoice/7')
      .query(true)
      .reply(200, invoice('2'))
      .post('/v3/company/123/invoice', (body: { SyncToken?: string; DueDate?: string; sparse?: boolean }) => {
        return body.SyncToken === '2' && body.DueDate === '2026-12-15' && body.sparse === true;
      })
      .query((query) => {
        requestIds.push(String(query['requestid']));
        return true;
      })
      .reply(200, { Invoice: { Id: '7', SyncToken: '3' } });

    const connection: ConnectionHandle = {
      tenantId: '123',
      homeCurrency: 'USD',
      // The real connection layer turns failures into LedgerErrors; do the same here.
      call: async (_kind, request) => {
        try {
          return await request('token');
        } catch (error) {
          const { LedgerError } = await import('../../../connectors/errors.js');
          const failure = classifyQuickBooksFailure(error);
          throw new LedgerError('quickbooks', failure.code, failure.detail, failure.status);
        }
      },
    };
    const result = await quickBooksWrites(client).changeDueDate(connection, {
      invoiceId: '7',
      dueDate: '2026-12-15',
      idempotencyKey: 'plan:42:installment:2',
    });
    expect(result).toEqual({ applied: true });
    expect(nock.isDone()).toBe(true);
    // A new version of the invoice is a new request; the same version would repeat the same id.
    expect(requestIds).toEqual(['plan:42:installment:2:v1', 'plan:42:installment:2:v2']);
  });
});
