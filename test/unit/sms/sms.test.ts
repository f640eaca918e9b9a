import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { twilioSignature } from '../../../emulators/twilio/signature.js';
import { smsKeyword } from '../../../src/messaging/sms/keywords.js';
import { normalisePhone } from '../../../src/messaging/sms/phones.js';
import { mayTextAt, nextTextingTime } from '../../../src/messaging/sms/quiet-hours.js';
import { countSegments } from '../../../src/messaging/sms/segments.js';
import { renderShortText } from '../../../src/messaging/sms/short-text.js';
import { verifyTwilioSignature } from '../../../src/messaging/sms/signature.js';

describe('X-Twilio-Signature', () => {
  const token = '12345';
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+12349013030',
    Digits: '1234',
    From: '+12349013030',
    To: '+18005551212',
  };

  it("the emulator signs as Twilio's security guide's worked example does", () => {
    // Twilio's "Webhooks security" guide: this URL, these parameters and auth token 12345.
    expect(twilioSignature(token, url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it("twilio-node's validateRequest and the app's check accept the emulator's signature", () => {
    const signature = twilioSignature(token, url, params);
    expect(twilio.validateRequest(token, signature, url, params)).toBe(true);
    expect(verifyTwilioSignature(token, url, params, signature)).toBe(true);
  });

  it('refuses a forged, missing or re-aimed signature, and changed parameters', () => {
    const signature = twilioSignature(token, url, params);
    expect(verifyTwilioSignature('another-token', url, params, signature)).toBe(false);
    expect(verifyTwilioSignature(token, url, params, undefined)).toBe(false);
    expect(verifyTwilioSignature(token, url, params, 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=')).toBe(false);
    expect(verifyTwilioSignature(token, 'https://mycompany.com/other', params, signature)).toBe(false);
    expect(verifyTwilioSignature(token, url, { ...params, Digits: '9999' }, signature)).toBe(false);
  });

  it('signs repeated parameters with their values sorted, as twilio-node checks them', () => {
    const repeated = { To: '+18005551212', Tag: ['b', 'a'] };
    expect(verifyTwilioSignature(token, url, repeated, twilioSignature(token, url, repeated))).toBe(true);
  });
});

describe('keywords', () => {
  it("reads Twilio's default opt-out, opt-in and help words, any case, spaces ignored", () => {
    for (const word of [
      'STOP',
      'stop',
      ' Stop ',
      'STOPALL',
      'UNSUBSCRIBE',
      'CANCEL',
      'END',
      'QUIT',
      'REVOKE',
      'OPTOUT',
    ])
      expect(smsKeyword(word), word).toBe('stop');
    for (const word of ['START', 'yes', 'Unstop']) expect(smsKeyword(word), word).toBe('start');
    for (const word of ['HELP', 'info']) expect(smsKeyword(word), word).toBe('help');
  });

  it('leaves sentences that merely contain a keyword as free text', () => {
    for (const text of ['Please stop texting me', 'STOP IT', 'I will pay, help is on its way', '', 'STOP!'])
      expect(smsKeyword(text), text).toBeNull();
  });
});

describe('phone numbers', () => {
  it('normalises to E.164 and refuses what is not a number', () => {
    expect(normalisePhone('+44 7700 900123')).toBe('+447700900123');
    expect(normalisePhone('0044 (7700) 900-123')).toBe('+447700900123');
    expect(normalisePhone('07700 900123')).toBeNull();
    expect(normalisePhone('+0123456789')).toBeNull();
    expect(normalisePhone('call me')).toBeNull();
  });
});

describe('quiet hours', () => {
  const at = (iso: string) => new Date(iso);

  it('allows 8:00 to 19:59 on the debtor’s wall clock, in their zone', () => {
    const london = { timeZone: 'Europe/London' };
    expect(mayTextAt(at('2026-01-14T07:59:00Z'), london)).toEqual({ allowed: false, reason: 'too_early' });
    expect(mayTextAt(at('2026-01-14T08:00:00Z'), london)).toEqual({ allowed: true });
    expect(mayTextAt(at('2026-01-14T19:59:00Z'), london)).toEqual({ allowed: true });
    expect(mayTextAt(at('2026-01-14T20:00:00Z'), london)).toEqual({ allowed: false, reason: 'too_late' });
    // 14:00 UTC is 9:00 in New York (EST) and 1:00 the next morning in Sydney (AEDT).
    expect(mayTextAt(at('2026-01-14T14:00:00Z'), { timeZone: 'America/New_York' }).allowed).toBe(true);
    expect(mayTextAt(at('2026-01-14T14:00:00Z'), { timeZone: 'Australia/Sydney' })).toEqual({
      allowed: false,
      reason: 'too_early',
    });
  });

  it('follows daylight saving time: the same UTC instant is 7:30 in winter and 8:30 in summer in London', () => {
    const london = { timeZone: 'Europe/London' };
    expect(mayTextAt(at('2026-03-28T07:30:00Z'), london).allowed).toBe(false); // GMT, 7:30
    expect(mayTextAt(at('2026-03-30T07:30:00Z'), london).allowed).toBe(true); // BST, 8:30
    // New York's autumn change: 19:30 EDT on 31 Oct is 23:30 UTC; 23:30 UTC on 2 Nov is 18:30 EST.
    expect(mayTextAt(at('2026-10-31T23:30:00Z'), { timeZone: 'America/New_York' }).allowed).toBe(true);
    expect(mayTextAt(at('2026-11-01T00:30:00Z'), { timeZone: 'America/New_York' }).allowed).toBe(false);
    expect(mayTextAt(at('2026-11-02T23:30:00Z'), { timeZone: 'America/New_York' }).allowed).toBe(true);
  });

  it("never on the organisation's closed days, closed weekdays or the debtor's public holidays", () => {
    const noon = at('2026-12-24T12:00:00Z');
    expect(mayTextAt(noon, { timeZone: 'Europe/London', closedDays: ['2026-12-24'] })).toEqual({
      allowed: false,
      reason: 'closed_day',
    });
    expect(mayTextAt(at('2026-12-25T12:00:00Z'), { timeZone: 'Europe/London', country: 'GB' }).allowed).toBe(
      false,
    );
    // Saturday 10 January 2026.
    expect(
      mayTextAt(at('2026-01-10T12:00:00Z'), { timeZone: 'Europe/London', closedWeekdays: [6, 7] }).allowed,
    ).toBe(false);
    // The closed day is the debtor's own date: midnight UTC on the 24th is 13:00 on the 24th in Auckland.
    expect(
      mayTextAt(at('2026-12-24T00:00:00Z'), { timeZone: 'Pacific/Auckland', closedDays: ['2026-12-24'] }),
    ).toEqual({ allowed: false, reason: 'closed_day' });
  });

  it('says when a text held by quiet hours may go: the next allowed hour', () => {
    const hours = { timeZone: 'America/New_York', closedDays: ['2026-07-03'] };
    // 22:00 on Thursday 2 July (EDT) → Friday closed → 8:00 Saturday 4 July EDT = 12:00 UTC.
    expect(nextTextingTime(at('2026-07-03T02:00:00Z'), hours)?.toISOString()).toBe(
      '2026-07-04T12:00:00.000Z',
    );
    const open = at('2026-07-06T15:00:00Z');
    expect(nextTextingTime(open, hours)).toBe(open);
  });
});

describe('segments', () => {
  it('GSM-7: 160 characters in one segment, 153 a segment beyond', () => {
    expect(countSegments('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(countSegments('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(countSegments('a'.repeat(306))).toMatchObject({ segments: 2 });
    expect(countSegments('a'.repeat(307))).toMatchObject({ segments: 3 });
  });

  it('extension characters take two septets, and an escape pair is never split', () => {
    expect(countSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('€'.repeat(81))).toMatchObject({ units: 162, segments: 2 });
    // 152 plain then a two-septet character: it cannot straddle the 153 boundary.
    expect(countSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({ units: 306, segments: 3 });
  });

  it('one character outside GSM-7 makes the text UCS-2: 70, then 67 a segment', () => {
    expect(countSegments(`’${'a'.repeat(69)}`)).toMatchObject({
      encoding: 'UCS-2',
      segments: 1,
      nonGsm: ['’'],
    });
    expect(countSegments(`’${'a'.repeat(70)}`)).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    expect(countSegments('😀'.repeat(35))).toMatchObject({ units: 70, segments: 1 });
    expect(countSegments('😀'.repeat(36))).toMatchObject({ segments: 2 });
  });
});

describe('the short text', () => {
  const portalUrl = 'https://pay.example.com/portal/eyJvIjoiMTIzIiwiYyI6IjQ1NiJ9.c2lnbmF0dXJlX2hlcmU';

  it('fits one GSM-7 segment and carries the portal link whole', () => {
    const text = renderShortText({
      organisationName: 'Acme Plumbing',
      amount: '£1,250.00',
      when: 'overdue since 3 May',
      portalUrl,
    });
    expect(text.encoding).toBe('GSM-7');
    expect(text.units).toBeLessThanOrEqual(160);
    expect(text.segments).toBe(1);
    expect(text.body).toContain(portalUrl);
    expect(text.body).toContain('£1,250.00');
    expect(text.body).toContain('STOP');
  });

  it('shortens a long name rather than the link, and keeps GSM-7 despite curly quotes', () => {
    const text = renderShortText({
      organisationName: 'O’Brien & Daughters Wholesale Fruit and Vegetable Merchants Limited',
      amount: '€12,345.67',
      when: 'overdue since 14 February',
      portalUrl,
    });
    expect(text.encoding).toBe('GSM-7');
    expect(text.segments).toBe(1);
    expect(text.body).toContain(portalUrl);
    expect(text.body).not.toContain('’');
  });

  it('says how many segments when even the shortest form does not fit', () => {
    const text = renderShortText({
      organisationName: 'Acme',
      amount: '£1',
      when: 'due',
      portalUrl: `${portalUrl}${'x'.repeat(200)}`,
    });
    expect(text.segments).toBeGreaterThan(1);
    expect(text.body).toContain(`${portalUrl}${'x'.repeat(200)}`);
  });
});
