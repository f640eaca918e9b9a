import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { buildApp } from '../../src/web/app.js';

async function clientAddress(trustProxy: ReturnType<typeof loadConfig>['http']['trustProxy'] | undefined) {
  const app = await buildApp({
    logger: createLogger('silent'),
    readinessChecks: [],
    ...(trustProxy === undefined ? {} : { trustProxy }),
  });
  app.get('/ip', async (request) => request.ip);
  // A client that sets X-Forwarded-For itself, seen through one proxy that appends the real address.
  const answer = await app.inject({
    url: '/ip',
    remoteAddress: '10.0.0.2',
    headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.9' },
  });
  await app.close();
  return answer.body;
}

describe('whose X-Forwarded-For is believed', () => {
  it('nobody’s by default, so a client cannot choose the address its rate limit is counted under', async () => {
    expect(await clientAddress(undefined)).toBe('10.0.0.2');
    expect(await clientAddress(loadConfig({}).http.trustProxy)).toBe('10.0.0.2');
  });

  it('the nearest proxy’s when told how many hops there are (fly.io: one)', async () => {
    expect(await clientAddress(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy)).toBe('203.0.113.9');
    expect(await clientAddress(loadConfig({ TRUST_PROXY: '10.0.0.0/8' }).http.trustProxy)).toBe(
      '203.0.113.9',
    );
  });

  it('refuses a setting it cannot read', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'yes please' })).toThrow(ConfigError);
  });
});
