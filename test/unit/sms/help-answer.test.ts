import { describe, expect, it } from 'vitest';
import { helpAnswer } from '../../../src/messaging/sms/keywords.js';
import { countSegments } from '../../../src/messaging/sms/segments.js';

describe('the HELP answer', () => {
  it('names the organisation and both ways to reach it, in one GSM-7 segment', () => {
    const answer = helpAnswer({
      name: 'Acme Plumbing',
      contactPhone: '+44 20 7946 0000',
      contactEmail: 'accounts@acme.example',
    });
    expect(answer).toBe(
      'Acme Plumbing: payment reminders. Questions: +44 20 7946 0000 or accounts@acme.example. Reply STOP to opt out.',
    );
    expect(countSegments(answer)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('says only what the profile has, and keeps a curly name in GSM-7', () => {
    expect(
      helpAnswer({ name: 'O’Brien & Sons', contactPhone: null, contactEmail: 'ar@obrien.example' }),
    ).toBe("O'Brien & Sons: payment reminders. Questions: ar@obrien.example. Reply STOP to opt out.");
    expect(helpAnswer({ name: 'Bare Bones', contactPhone: null, contactEmail: null })).toBe(
      'Bare Bones: payment reminders. Reply STOP to opt out.',
    );
  });

  it('names nobody when no organisation texted the number', () => {
    expect(helpAnswer(null)).toBe('Payment reminders. Reply STOP to opt out, START to opt back in.');
  });
});
