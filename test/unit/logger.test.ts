import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('info', stream), output: () => lines.join('') };
}

describe('logger redaction', () => {
  it('never writes tokens, secrets, authorization headers or email bodies', () => {
    const { logger, output } = capture();
    const secrets = [
      'Bearer eyJhbGciOi.secret',
      'rt-123-secret',
      'at-456-secret',
      'hunter2',
      'Dear Ann, you owe',
    ];
    logger.info({
      req: { headers: { authorization: secrets[0], cookie: 'session=abc' } },
      refresh_token: secrets[1],
      connection: { tokens: { accessToken: secrets[2] }, clientSecret: secrets[3] },
      message: { to: 'ann@example.com', html: `<p>${secrets[4]}</p>`, text: secrets[4] },
    });
    const logged = output();
    for (const secret of secrets) expect(logged).not.toContain(secret);
    expect(logged).not.toContain('session=abc');
    expect(logged).toContain('ann@example.com');
    expect(logged).toContain('[redacted]');
  });

  it('redacts in child loggers too', () => {
    const { logger, output } = capture();
    logger.child({ job: 'sync' }).warn({ token: 'tok-secret' }, 'refreshing');
    expect(output()).not.toContain('tok-secret');
    expect(output()).toContain('"job":"sync"');
  });
});

describe('a lost idle database connection', () => {
  it('is logged by its message and code, without the client and its connection parameters', async () => {
    const { connectDatabase } = await import('../../src/db/client.js');
    const { logger, output } = capture();
    const handle = connectDatabase('postgres://dunwell:pg-password-123@127.0.0.1:1/nowhere', {
      poolMax: 1,
      logger,
    });
    const lost = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
      client: { connectionParameters: { user: 'dunwell', password: 'pg-password-123' } },
    });
    handle.pool.emit('error', lost, {} as never);
    await handle.pool.end();
    expect(output()).toContain('idle database connection lost');
    expect(output()).toContain('57P01');
    expect(output()).not.toContain('pg-password-123');
    expect(output()).not.toContain('connectionParameters');
  });
});

describe('logger redaction by pattern, at any depth', () => {
  it('redacts a vendor error’s Authorization header five levels down, and Basic or Bearer credentials in any text', () => {
    const { logger, output } = capture();
    const basic = Buffer.from('client-id:client-secret-value').toString('base64');
    const error = Object.assign(new Error(`token request failed with Basic ${basic}`), {
      config: {
        headers: { Authorization: `Basic ${basic}` },
        data: 'grant_type=authorization_code&code=AB-oauth-code',
      },
      response: { request: { _header: `POST /token HTTP/1.1\r\nAuthorization: Bearer at-deep-secret\r\n` } },
    });
    logger.error(
      { err: error, context: { a: { b: { c: { d: { clientSecret: 'deep-client-secret' } } } } } },
      'failed',
    );
    const logged = output();
    for (const secret of [basic, 'AB-oauth-code', 'at-deep-secret', 'deep-client-secret'])
      expect(logged).not.toContain(secret);
    expect(logged).toContain('token request failed');
  });

  it('logs request URLs without portal tokens, signed summary links or OAuth codes', () => {
    const { logger, output } = capture();
    const portalToken = 'eyJhbGciOiJIUzI1NiJ9.eyJvIjoiMSJ9.c2lnbmF0dXJlLXBvcnRhbA';
    logger.info({ req: { method: 'GET', url: `/portal/${portalToken}/pay/77` } }, 'incoming request');
    logger.info({ url: '/portal/summary-unsubscribe/eyJ.unsubscribe-token.sig' }, 'unsubscribe');
    logger.info({ url: '/r/eyJ.review-token.sig' }, 'review');
    logger.info({ url: '/webhooks/sendgrid/inbound/inbound-secret-0123456789abcdef' }, 'inbound email');
    logger.info(
      { url: '/connect/quickbooks/callback?code=oauth-code-1&state=state-2&realmId=9130' },
      'callback',
    );
    const logged = output();
    for (const secret of [
      portalToken,
      'unsubscribe-token',
      'review-token',
      'inbound-secret-0123456789abcdef',
      'oauth-code-1',
      'state-2',
    ])
      expect(logged).not.toContain(secret);
    expect(logged).toContain('/pay/77');
    expect(logged).toContain('realmId=9130');
  });
});

describe('database errors in the log', () => {
  it('keep their SQL but not the values of the query or PostgreSQL’s detail', async () => {
    const { DrizzleQueryError } = await import('drizzle-orm/errors');
    const cause = Object.assign(
      new Error('duplicate key value violates unique constraint "users_email_key"'),
      {
        severity: 'ERROR',
        code: '23505',
        routine: '_bt_check_unique',
        detail: 'Key (email)=(ann@secret.example) already exists.',
      },
    );
    const error = new DrizzleQueryError(
      'insert into "users" ("name", "email") values ($1, $2)',
      ['Ann Secret', 'ann@secret.example'],
      cause,
    );
    const { logger, output } = capture();
    logger.error({ err: error }, 'request failed');
    const logged = output();
    expect(logged).toContain('insert into \\"users\\"');
    expect(logged).not.toContain('Ann Secret');
    expect(logged).not.toContain('ann@secret.example');
  });
});
