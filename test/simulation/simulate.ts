/** Runs generated companies through the world and the invariants; the property and its report. */
import fc from 'fast-check';
import type { Policy } from '../../src/domain/policy.js';
import { type CompanySpec, companyArb, simHours } from './generate.js';
import { Invariants, type Violation } from './invariants.js';
import { World, type WorldCounts, type WorldOptions } from './world.js';

export interface CompanyResult {
  counts: WorldCounts;
  checks: number;
  contacts: number;
  journeyContacts: number;
  journeys: number;
  violations: Violation[];
}

export interface RunOptions extends WorldOptions {
  /** The policy the invariants hold the engine to (default: the company's). */
  promised?: (policy: Policy) => Policy;
  hours?: number;
}

/** One company, 180 days of hours (or `hours`), invariants after every step. */
export function runCompany(company: CompanySpec, options: RunOptions = {}): CompanyResult {
  const bound = new Invariants(options.promised);
  const world = new World(company, bound, options);
  world.run(options.hours ?? simHours);
  return {
    counts: world.counts,
    checks: bound.checks,
    contacts: bound.contacts,
    journeyContacts: bound.journeyContacts,
    journeys: bound.journeysStarted,
    violations: bound.violations,
  };
}

export interface Totals {
  cases: number;
  steps: number;
  plans: number;
  contacts: number;
  journeyContacts: number;
  cancelled: number;
  tasks: number;
  calls: number;
  letters: number;
  /** Reminders that went by text, alone or with their email: each one contact. */
  texts: number;
  flags: number;
  journeys: number;
  checks: number;
  /** Violations not explained by a known engine bug. */
  violations: number;
  /** Violations that are instances of a known engine bug (knownBugs in invariants.ts), by bug. */
  known: Record<string, number>;
  byInvariant: Record<string, number>;
}

export const emptyTotals = (): Totals => ({
  cases: 0,
  steps: 0,
  plans: 0,
  contacts: 0,
  journeyContacts: 0,
  cancelled: 0,
  tasks: 0,
  calls: 0,
  letters: 0,
  texts: 0,
  flags: 0,
  journeys: 0,
  checks: 0,
  violations: 0,
  known: {},
  byInvariant: {},
});

export function addTo(totals: Totals, result: CompanyResult) {
  totals.cases += 1;
  totals.steps += result.counts.steps;
  totals.plans += result.counts.plans;
  totals.contacts += result.contacts;
  totals.journeyContacts += result.journeyContacts;
  totals.cancelled += result.counts.cancelled;
  totals.tasks += result.counts.tasks;
  totals.calls += result.counts.calls;
  totals.letters += result.counts.letters;
  totals.texts += result.counts.texts;
  totals.flags += result.counts.flags;
  totals.journeys += result.journeys;
  totals.checks += result.checks;
  for (const violation of result.violations) {
    totals.byInvariant[violation.invariant] = (totals.byInvariant[violation.invariant] ?? 0) + 1;
    if (violation.known) totals.known[violation.known] = (totals.known[violation.known] ?? 0) + 1;
    else totals.violations += 1;
  }
}

export interface PropertyOutcome {
  totals: Totals;
  /** fast-check's report: seed, path and the shrunk counterexample, when a case failed. */
  failure: {
    seed: number;
    path: string | undefined;
    counterexample: CompanySpec;
    violations: Violation[];
  } | null;
  report: string;
}

/**
 * The property "no invariant is ever violated" over `numRuns` generated companies. On a failure,
 * fast-check shrinks it; the seed, the path and the minimal company are returned (and printable)
 * so the case can be kept in regressions.test.ts.
 */
export function checkProperty(
  options: RunOptions & {
    numRuns: number;
    seed?: number;
    path?: string;
    shrink?: boolean;
    /** Count violations of known engine bugs as failures too (default: they are reported, not failed on). */
    strict?: boolean;
  } = { numRuns: 100 },
): PropertyOutcome {
  const totals = emptyTotals();
  let lastFailing: Violation[] = [];
  const details = fc.check(
    fc.property(companyArb, (company) => {
      const result = runCompany(company, options);
      addTo(totals, result);
      const failing = result.violations.filter((violation) => options.strict || !violation.known);
      if (failing.length > 0) lastFailing = failing;
      return failing.length === 0;
    }),
    {
      numRuns: options.numRuns,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.path !== undefined ? { path: options.path } : {}),
      endOnFailure: options.shrink === false,
    },
  );
  if (!details.failed || !details.counterexample) return { totals, failure: null, report: 'ok' };
  const [counterexample] = details.counterexample as [CompanySpec];
  const minimal = runCompany(counterexample, options).violations.filter(
    (violation) => options.strict || !violation.known,
  );
  const failure = {
    seed: details.seed,
    path: details.counterexamplePath ?? undefined,
    counterexample,
    violations: minimal.length > 0 ? minimal : lastFailing,
  };
  return { totals, failure, report: describeFailure(failure) };
}

/** The failure as a regression test body can take it. */
export function describeFailure(failure: NonNullable<PropertyOutcome['failure']>): string {
  return [
    `seed ${failure.seed}, path ${JSON.stringify(failure.path)}`,
    'violations:',
    ...failure.violations
      .slice(0, 10)
      .map(
        (violation) =>
          `  [${violation.invariant}] ${violation.debtor} ${violation.at}: ${violation.message}${violation.known ? ` (known: ${violation.known})` : ''}`,
      ),
    'minimal company (paste into regressions.test.ts):',
    JSON.stringify(failure.counterexample),
  ].join('\n');
}
