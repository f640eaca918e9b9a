import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const vendors = {
  QUICKBOOKS_CLIENT_ID: 'abc',
  QUICKBOOKS_CLIENT_SECRET: 'def',
  QUICKBOOKS_WEBHOOK_VERIFIER_TOKEN: 'ghi',
  XERO_CLIENT_ID: 'jkl',
  XERO_CLIENT_SECRET: 'mno',
  XERO_WEBHOOK_KEY: 'pqr',
};

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('VENDOR_HTTP_TIMEOUT_MS', () => {
  it('reaches both vendors’ connector settings', () => {
    const config = loadConfig({ ...vendors, VENDOR_HTTP_TIMEOUT_MS: '1500' });
    expect(config.vendors.quickbooks?.httpTimeoutMs).toBe(1500);
    expect(config.vendors.xero?.httpTimeoutMs).toBe(1500);
  });

  it('left unset, leaves the connectors their own 30 s', () => {
    const config = loadConfig(vendors);
    expect(config.vendors.quickbooks?.httpTimeoutMs).toBeUndefined();
    expect(config.vendors.xero?.httpTimeoutMs).toBeUndefined();
  });

  it('refuses a timeout that is not a whole number of milliseconds from 100 to 600000', () => {
    for (const value of ['50', '600001', '2.5', 'soon']) {
      const problems = problemsOf(() => loadConfig({ ...vendors, VENDOR_HTTP_TIMEOUT_MS: value }));
      expect(problems.join('\n')).toMatch(/^VENDOR_HTTP_TIMEOUT_MS: /);
    }
  });
});
