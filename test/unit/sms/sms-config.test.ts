import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const sid = `AC${'a1'.repeat(16)}`;
const token = 'f'.repeat(32);

describe('TWILIO_ settings', () => {
  it('unset: SMS is off', () => {
    expect(loadConfig({}).sms).toBeUndefined();
  });

  it('take the account, the auth token and a sender (a number or a Messaging Service), and an emulator URL', () => {
    expect(
      loadConfig({ TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token, TWILIO_FROM: '+447700900123' }).sms,
    ).toEqual({
      accountSid: sid,
      authToken: token,
      sender: { from: '+447700900123' },
      apiBaseUrl: undefined,
    });
    const service = `MG${'b2'.repeat(16)}`;
    expect(
      loadConfig({
        TWILIO_ACCOUNT_SID: sid,
        TWILIO_AUTH_TOKEN: token,
        TWILIO_MESSAGING_SERVICE_SID: service,
        TWILIO_EMULATOR_URL: 'http://127.0.0.1:4040/',
      }).sms,
    ).toEqual({
      accountSid: sid,
      authToken: token,
      sender: { messagingServiceSid: service },
      apiBaseUrl: 'http://127.0.0.1:4040',
    });
  });

  it('refuse a partial or malformed set, naming each variable, never echoing the token', () => {
    expect(problemsOf(() => loadConfig({ TWILIO_ACCOUNT_SID: sid }))).toEqual([
      'TWILIO_AUTH_TOKEN: is required with the other TWILIO_ settings',
      'TWILIO_FROM: or TWILIO_MESSAGING_SERVICE_SID is required: who texts are sent as',
    ]);
    expect(
      problemsOf(() =>
        loadConfig({ TWILIO_ACCOUNT_SID: 'SK123', TWILIO_AUTH_TOKEN: token, TWILIO_FROM: '07700' }),
      ),
    ).toEqual([
      'TWILIO_ACCOUNT_SID: must be an Account SID (AC and 32 hex digits)',
      'TWILIO_FROM: must be a phone number in E.164 form (+ and the digits, e.g. +447700900123)',
    ]);
    const both = problemsOf(() =>
      loadConfig({
        TWILIO_ACCOUNT_SID: sid,
        TWILIO_AUTH_TOKEN: token,
        TWILIO_FROM: '+447700900123',
        TWILIO_MESSAGING_SERVICE_SID: `MG${'c3'.repeat(16)}`,
      }),
    );
    expect(both).toEqual(['TWILIO_FROM: give TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID, not both']);
    expect(problemsOf(() => loadConfig({ TWILIO_AUTH_TOKEN: 'short-secret' })).join('\n')).not.toContain(
      'short-secret',
    );
  });
});
