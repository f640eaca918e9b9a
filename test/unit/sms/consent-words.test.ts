import { describe, expect, it } from 'vitest';
import {
  lastFourDigits,
  portalConsentMethod,
  textConsentWords,
} from '../../../src/messaging/sms/consent-words.js';

describe('the words of consent to texts', () => {
  it('say who texts, about what, and how to stop', () => {
    const words = textConsentWords('Harbour Joinery');
    expect(words).toContain('from Harbour Joinery');
    expect(words).toContain('about the invoices on this page');
    expect(words).toContain('reply STOP');
  });

  it('are recorded with where and when (UTC, to the minute) they were agreed to', () => {
    expect(portalConsentMethod('Harbour Joinery', new Date('2026-05-03T09:41:27.500Z'))).toBe(
      `Ticked the "text me" box on their payment page at 2026-05-03 09:41 UTC, agreeing to: "${textConsentWords('Harbour Joinery')}"`,
    );
  });

  it('show a number by its last four digits only', () => {
    expect(lastFourDigits('+447700900555')).toBe('•••• 0555');
    expect(lastFourDigits('+1 (415) 555-0199')).toBe('•••• 0199');
  });
});
