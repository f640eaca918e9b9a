/**
 * The invariants catch a broken engine: each breaker (breakers.ts) wraps `plan` or its inputs, and
 * the invariant it breaks must report violations over the same companies the real engine passes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breakers } from './breakers.js';
import { companyArb } from './generate.js';
import { runCompany } from './simulate.js';

const companies = fc.sample(companyArb, { numRuns: 16, seed: 3 });

describe('simulation guards: a broken engine is caught', () => {
  for (const [name, breaker] of Object.entries(breakers)) {
    it(`invariant ${breaker.invariant} catches: ${name}`, { timeout: 300_000 }, () => {
      let caught = 0;
      for (const company of companies) {
        const violations = runCompany(company, breaker.options).violations;
        caught += violations.filter(
          (violation) => violation.invariant === breaker.invariant && !violation.known,
        ).length;
        if (caught > 0) break;
      }
      expect(caught).toBeGreaterThan(0);
    });
  }

  it('the same companies pass with the real engine (apart from known engine bugs)', {
    timeout: 300_000,
  }, () => {
    const unexplained = companies.flatMap((company) =>
      runCompany(company).violations.filter((violation) => !violation.known),
    );
    expect(unexplained).toEqual([]);
  });
});
