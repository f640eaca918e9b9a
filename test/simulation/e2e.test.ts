/**
 * The end-to-end tier of the journey simulator in `npm test`: generated companies walked through 180
 * days against the QuickBooks and Xero emulators, PostgreSQL, evaluation and delivery (e2e.ts).
 */
import { describe, expect, inject, it } from 'vitest';
import { e2eCompanies, runE2ECompany } from './e2e.js';

const seed = 4_242;
const companies = e2eCompanies(5, seed);

describe('the journey simulator, end to end', () => {
  for (const [index, company] of companies.entries()) {
    const vendor = index % 2 === 0 ? 'quickbooks' : 'xero';
    it(`company ${index} on ${vendor}: no invariant violated over 180 days`, async () => {
      const result = await runE2ECompany(company, {
        adminUrl: inject('adminUrl'),
        vendor,
        seed: seed + index,
      });
      process.stderr.write(
        `e2e company ${index} (${vendor}): ${result.steps} steps (${result.skipped} skipped), ${result.evaluations} evaluations, ${result.events} events, ${result.contacts} contacts, ${result.races} racing payments, ${result.cancelled} cancelled, ${result.checks} checks, ${(result.ms / 1000).toFixed(1)} s\n`,
      );
      expect(result.steps).toBeGreaterThan(0);
      expect(result.violations.filter((violation) => !violation.known)).toEqual([]);
    }, 120_000);
  }
});

describe('the end-to-end checks can fail', () => {
  it('a reminder delivered again a day after it went (its sent_at forged away) breaks the contact cap', async () => {
    // Company 0 of the seed above gets reminders; the broken step puts its first one back in the outbox.
    const result = await runE2ECompany(companies[0] as (typeof companies)[number], {
      adminUrl: inject('adminUrl'),
      vendor: 'quickbooks',
      seed,
      breakage: 'resend',
      stopAtViolation: true,
    });
    expect(result.contacts).toBeGreaterThanOrEqual(2);
    expect(result.violations.map((violation) => violation.invariant)).toContain(1);
    expect(result.violations.find((violation) => violation.invariant === 1)?.message).toMatch(
      /two contacts 24\.0 h apart/,
    );
  }, 120_000);

  it('a delivery that skips the re-read lists what was paid since planning', async () => {
    const result = await runE2ECompany(companies[1] as (typeof companies)[number], {
      adminUrl: inject('adminUrl'),
      vendor: 'xero',
      seed,
      breakage: 'stale-reread',
      stopAtViolation: true,
    });
    expect(result.races).toBeGreaterThanOrEqual(1);
    expect(result.violations.map((violation) => violation.invariant)).toContain(2);
    expect(result.violations.map((violation) => violation.message).join('\n')).toMatch(
      /lists S\d-\d, which is paid|lists S\d-\d at \d+, but it owes \d+/,
    );
  }, 120_000);
});
