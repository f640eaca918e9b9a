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
        `e2e company ${index} (${vendor}): ${result.steps} steps (${result.skipped} skipped), ${result.evaluations} evaluations, ${result.events} events, ${result.contacts} contacts, ${result.cancelled} cancelled, ${result.checks} checks, ${(result.ms / 1000).toFixed(1)} s\n`,
      );
      expect(result.steps).toBeGreaterThan(0);
      expect(result.violations.filter((violation) => !violation.known)).toEqual([]);
    }, 120_000);
  }
});
