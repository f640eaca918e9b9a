import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('OWNER_DIGEST_MINUTES and SLACK_WEBHOOK_BASE_URL', () => {
  it('default to one digest per organisation per 15 minutes, posted to Slack itself', () => {
    expect(loadConfig({}).ownerDigest).toEqual({ windowMinutes: 15, slackBaseUrl: undefined });
  });

  it('take a window of 1 to 1440 minutes and a stand-in address for Slack', () => {
    const config = loadConfig({
      OWNER_DIGEST_MINUTES: '60',
      SLACK_WEBHOOK_BASE_URL: 'http://127.0.0.1:4030',
    });
    expect(config.ownerDigest).toEqual({ windowMinutes: 60, slackBaseUrl: 'http://127.0.0.1:4030' });
    expect(problemsOf(() => loadConfig({ OWNER_DIGEST_MINUTES: '0' }))[0]).toMatch(/^OWNER_DIGEST_MINUTES: /);
    expect(problemsOf(() => loadConfig({ SLACK_WEBHOOK_BASE_URL: 'ftp://x' }))[0]).toMatch(
      /^SLACK_WEBHOOK_BASE_URL: must be an http\(s\) URL/,
    );
  });
});
