import { describe, expect, it } from 'vitest';
import { isClosedDay, isPublicHoliday } from '../../../src/domain/holidays.js';

describe('isPublicHoliday', () => {
  it.each(['GB', 'US', 'AU', 'NZ'])('25 December is a public holiday in %s', (country) => {
    expect(isPublicHoliday(country, '2026-12-25')).toBe(true);
    expect(isPublicHoliday(country, '2030-12-25')).toBe(true);
  });

  it('4 July is a public holiday in the US, not in GB', () => {
    expect(isPublicHoliday('US', '2026-07-04')).toBe(true);
    expect(isPublicHoliday('GB', '2026-07-04')).toBe(false);
  });

  it('26 January is Australia Day', () => {
    expect(isPublicHoliday('AU', '2026-01-26')).toBe(true);
    expect(isPublicHoliday('NZ', '2026-01-26')).toBe(false);
  });

  it('a plain weekday is not a holiday', () => {
    for (const country of ['GB', 'US', 'AU', 'NZ', 'CA', 'IE', 'DE']) {
      expect(isPublicHoliday(country, '2026-03-11')).toBe(false);
    }
  });

  it('a null, unknown or malformed country has no holidays', () => {
    expect(isPublicHoliday(null, '2026-12-25')).toBe(false);
    expect(isPublicHoliday('XX', '2026-12-25')).toBe(false);
    expect(isPublicHoliday('', '2026-12-25')).toBe(false);
    expect(isPublicHoliday('United Kingdom', '2026-12-25')).toBe(false);
  });

  it('takes the country code in any case', () => {
    expect(isPublicHoliday('gb', '2026-12-25')).toBe(true);
  });

  it('a malformed date is not a holiday', () => {
    expect(isPublicHoliday('GB', 'tomorrow')).toBe(false);
    expect(isPublicHoliday('GB', '')).toBe(false);
  });

  it('follows holidays that move from year to year', () => {
    expect(isPublicHoliday('US', '2026-11-26')).toBe(true); // Thanksgiving 2026
    expect(isPublicHoliday('US', '2027-11-25')).toBe(true); // Thanksgiving 2027
    expect(isPublicHoliday('US', '2027-11-26')).toBe(false);
    expect(isPublicHoliday('GB', '2027-03-29')).toBe(true); // Easter Monday 2027
    expect(isPublicHoliday('GB', '2026-04-06')).toBe(true); // Easter Monday 2026
    expect(isPublicHoliday('GB', '2026-03-30')).toBe(false);
  });

  it('counts substitute days of public holidays', () => {
    // 25 and 26 December 2027 fall on a weekend in England; the 27th and 28th are the bank holidays.
    expect(isPublicHoliday('GB', '2027-12-27')).toBe(true);
    expect(isPublicHoliday('GB', '2027-12-28')).toBe(true);
  });

  it('does not count observances (Mother’s Day in the UK, Easter Sunday)', () => {
    expect(isPublicHoliday('GB', '2027-03-07')).toBe(false);
    expect(isPublicHoliday('GB', '2027-03-28')).toBe(false);
  });

  it('answers the same on repeated calls (from the cache)', () => {
    for (let i = 0; i < 3; i++) {
      expect(isPublicHoliday('US', '2026-07-04')).toBe(true);
      expect(isPublicHoliday('US', '2026-07-06')).toBe(false);
    }
  });
});

describe('isClosedDay', () => {
  it('is closed on a public holiday of the country', () => {
    expect(isClosedDay('2026-12-25', 'GB', [])).toBe(true);
  });

  it('is closed on one of the organisation’s own closed days', () => {
    expect(isClosedDay('2026-08-14', 'GB', ['2026-08-14'])).toBe(true);
    expect(isClosedDay('2026-08-14', null, ['2026-08-13', '2026-08-14'])).toBe(true);
  });

  it('is open on a plain weekday that is not a closed day', () => {
    expect(isClosedDay('2026-08-13', 'GB', ['2026-08-14'])).toBe(false);
    expect(isClosedDay('2026-08-13', null, [])).toBe(false);
  });

  it('looks up long closed-day lists the same way as short ones', () => {
    const august = Array.from({ length: 31 }, (_, i) => `2026-08-${String(i + 1).padStart(2, '0')}`);
    expect(isClosedDay('2026-08-20', 'US', august)).toBe(true);
    expect(isClosedDay('2026-09-02', 'US', august)).toBe(false);
    expect(isClosedDay('2026-09-07', 'US', august)).toBe(true); // Labor Day
  });
});
