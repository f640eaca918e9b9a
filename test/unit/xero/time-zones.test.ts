import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ianaZoneOfXero, xeroTimeZones } from '../../../connectors/xero/time-zones.js';
import { isTimeZone } from '../../../src/domain/local-time.js';
import { timeZoneOfPlace } from '../../../src/domain/place-time-zone.js';

/** The TimeZone enum of Xero's accounting OpenAPI (the copy under test/fixtures). */
function xeroEnum(): string[] {
  const spec = readFileSync(
    new URL('../../fixtures/xero-openapi/xero_accounting.yaml', import.meta.url),
    'utf8',
  );
  const block = spec.split('\n    TimeZone:\n')[1]?.split('\n    PaymentTerm:')[0] ?? '';
  return block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('- '))
    .map((line) => line.slice(2));
}

describe("Xero's organisation time zones", () => {
  it('maps every value of the enum to a zone the platform knows', () => {
    const values = xeroEnum();
    expect(values.length).toBeGreaterThan(130);
    const unmapped = values.filter((value) => !xeroTimeZones[value]);
    expect(unmapped).toEqual([]);
    const unknown = values.filter((value) => !isTimeZone(ianaZoneOfXero(value) ?? ''));
    expect(unknown).toEqual([]);
  });

  it('keeps the zones people expect, daylight saving included', () => {
    expect(ianaZoneOfXero('NEWZEALANDSTANDARDTIME')).toBe('Pacific/Auckland');
    expect(ianaZoneOfXero('PACIFICSTANDARDTIME')).toBe('America/Los_Angeles');
    expect(ianaZoneOfXero('USEASTERNSTANDARDTIME')).toBe('America/Indiana/Indianapolis');
    expect(ianaZoneOfXero('GMTSTANDARDTIME')).toBe('Europe/London');
    expect(ianaZoneOfXero('AUSEASTERNSTANDARDTIME')).toBe('Australia/Sydney');
    expect(ianaZoneOfXero('E.AUSTRALIASTANDARDTIME')).toBeNull();
    expect(ianaZoneOfXero('EAUSTRALIASTANDARDTIME')).toBe('Australia/Brisbane');
    expect(ianaZoneOfXero('UTC+12')).toBe('Etc/GMT-12');
    expect(ianaZoneOfXero('')).toBeNull();
    expect(ianaZoneOfXero(undefined)).toBeNull();
  });
});

describe('a time zone for a place (QuickBooks has no zone)', () => {
  it('takes a state or province where the country spans zones, else the country', () => {
    expect(timeZoneOfPlace('US', 'CA')).toEqual({ timeZone: 'America/Los_Angeles', from: 'region' });
    expect(timeZoneOfPlace('US', 'tx')).toEqual({ timeZone: 'America/Chicago', from: 'region' });
    expect(timeZoneOfPlace('US', null)).toEqual({ timeZone: 'America/New_York', from: 'country' });
    expect(timeZoneOfPlace('CA', 'BC')).toEqual({ timeZone: 'America/Vancouver', from: 'region' });
    expect(timeZoneOfPlace('AU', 'WA')).toEqual({ timeZone: 'Australia/Perth', from: 'region' });
    expect(timeZoneOfPlace('GB', 'XX')).toEqual({ timeZone: 'Europe/London', from: 'country' });
    expect(timeZoneOfPlace('ZZ')).toBeNull();
    expect(timeZoneOfPlace(null)).toBeNull();
  });

  it('names only zones the platform knows', () => {
    const source = readFileSync(new URL('../../../src/domain/place-time-zone.ts', import.meta.url), 'utf8');
    const zones = [...source.matchAll(/[A-Z]{2,3}:([A-Za-z_/+-]+)/g)].map((match) => match[1] ?? '');
    expect(zones.length).toBeGreaterThan(250);
    expect(zones.filter((zone) => !isTimeZone(zone))).toEqual([]);
  });
});
