import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const validKey = `k1:${randomBytes(32).toString('base64')}`;

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      environment: 'development',
      role: 'all',
      http: { host: '127.0.0.1', port: 3000 },
      dataDir: '.data',
      databaseUrl: undefined,
      databasePoolMax: 10,
      logLevel: 'info',
      tokenKeys: undefined,
      jobConcurrency: 4,
      shutdownTimeoutMs: 10_000,
    });
  });

  it('reads every setting it is given', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATA_DIR: '/var/dunwell',
        DATABASE_URL: 'postgres://u:p@db:5432/dunwell',
        LOG_LEVEL: 'debug',
        TOKEN_KEYS: validKey,
        JOB_CONCURRENCY: '8',
        SHUTDOWN_TIMEOUT_MS: '2500',
      },
      ['--role', 'worker'],
    );
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8080, trustProxy: false });
    expect(config.databaseUrl).toBe('postgres://u:p@db:5432/dunwell');
    expect(config.role).toBe('worker');
    expect(config.tokenKeys?.activeId).toBe('k1');
    expect(config.jobConcurrency).toBe(8);
    expect(config.shutdownTimeoutMs).toBe(2500);
  });

  it('accepts --role=web as well as --role web', () => {
    expect(loadConfig({}, ['--role=web']).role).toBe('web');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({
      http: { port: 3000 },
      databaseUrl: undefined,
    });
  });

  it('takes the inbound email secret and reply domain, unset by default, and refuses ones that cannot be a URL part or a domain', () => {
    expect(loadConfig({})).toMatchObject({ inboundEmailSecret: undefined, inboundReplyDomain: undefined });
    expect(
      loadConfig({ INBOUND_EMAIL_SECRET: 'a'.repeat(24), INBOUND_REPLY_DOMAIN: 'In.Example.COM' }),
    ).toMatchObject({ inboundEmailSecret: 'a'.repeat(24), inboundReplyDomain: 'in.example.com' });
    const problems = problemsOf(() =>
      loadConfig({ INBOUND_EMAIL_SECRET: 'short/secret', INBOUND_REPLY_DOMAIN: 'not a domain' }),
    );
    expect(problems).toHaveLength(2);
    expect(problems.some((problem) => problem.startsWith('INBOUND_EMAIL_SECRET'))).toBe(true);
    expect(problems.some((problem) => problem.startsWith('INBOUND_REPLY_DOMAIN'))).toBe(true);
  });

  it('reports every problem at once, in one message', () => {
    const run = () =>
      loadConfig(
        {
          PORT: 'eighty',
          LOG_LEVEL: 'loud',
          DATABASE_URL: 'mysql://localhost/db',
          TOKEN_KEYS: 'short:abc',
          JOB_CONCURRENCY: '0',
        },
        ['--role', 'janitor'],
      );
    const problems = problemsOf(run);
    expect(problems).toHaveLength(6);
    for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'TOKEN_KEYS', 'JOB_CONCURRENCY', '--role']) {
      expect(problems.some((problem) => problem.startsWith(name))).toBe(true);
    }
    expect(run).toThrow(/Invalid configuration:\n {2}- /);
  });

  it('refuses production without a database URL, token keys, session secret and public URL', () => {
    const problems = problemsOf(() => loadConfig({ NODE_ENV: 'production' }));
    expect(problems).toEqual([
      expect.stringMatching(/^SESSION_SECRET: is required in production/),
      expect.stringMatching(/^PUBLIC_URL: is required in production/),
      expect.stringMatching(/^DATABASE_URL: is required in production/),
      expect.stringMatching(/^TOKEN_KEYS: is required in production/),
    ]);
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://db/dunwell',
      TOKEN_KEYS: validKey,
      SESSION_SECRET: 's'.repeat(32),
      PUBLIC_URL: 'https://dunwell.example.com/',
    });
    expect(config.publicUrl).toBe('https://dunwell.example.com');
  });

  it('takes QuickBooks credentials all together or not at all', () => {
    expect(loadConfig({}).vendors.quickbooks).toBeUndefined();
    const problems = problemsOf(() => loadConfig({ QUICKBOOKS_CLIENT_ID: 'abc' }));
    expect(problems).toEqual([
      'QUICKBOOKS_CLIENT_SECRET: is required with QUICKBOOKS_CLIENT_ID',
      'QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN: is required with QUICKBOOKS_CLIENT_ID',
    ]);
    const config = loadConfig({
      QUICKBOOKS_CLIENT_ID: 'abc',
      QUICKBOOKS_CLIENT_SECRET: 'def',
      QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN: 'ghi',
      QUICKBOOKS_EMULATOR_URL: 'http://127.0.0.1:4010',
    });
    expect(config.vendors.quickbooks).toEqual({
      clientId: 'abc',
      clientSecret: 'def',
      webhookVerifierToken: 'ghi',
      environment: 'production',
      emulatorUrl: 'http://127.0.0.1:4010',
    });
  });

  it('explains what is wrong with each token key', () => {
    const problems = problemsOf(() =>
      loadConfig({
        TOKEN_KEYS: `k1:${randomBytes(16).toString('base64')},bad id:xyz,k1:${randomBytes(32).toString('base64')}`,
      }),
    );
    expect(problems.join('\n')).toMatch(/key "k1": must be 32 bytes in base64/);
    expect(problems.join('\n')).toMatch(/key 2: id must be/);
  });
});
