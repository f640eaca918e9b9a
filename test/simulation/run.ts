/**
 * npm run test:simulate: SIM_CASES generated companies (default 5,000) through the pure tier, then
 * SIM_E2E_CASES (default 50) through the end-to-end tier (e2e.ts). Prints progress, any shrunk failure,
 * and as its last line one JSON line:
 * {"bench":"simulate","cases":…,"e2e_cases":…,"steps":…,"contacts":…,"checks":…,"violations":…}
 * `violations` counts every violation, those of known engine bugs included (listed in `known`).
 */
import { runE2ETier } from './e2e.js';
import { checkProperty, emptyTotals, type Totals } from './simulate.js';

/** One line of output (the linter keeps console out of the codebase). */
const say = (stream: NodeJS.WriteStream, line: string) => stream.write(`${line}\n`);

/** What an end-to-end tier (emulators, a real database) adds to the report. */
export interface TierResult {
  cases: number;
  steps: number;
  contacts: number;
  checks: number;
  violations: number;
}

async function main() {
  const cases = Number(process.env['SIM_CASES'] ?? 5000);
  const e2eWanted = Number(process.env['SIM_E2E_CASES'] ?? 50);
  const batch = 250;
  const all: Totals = emptyTotals();
  const started = performance.now();
  let failed = false;
  for (let done = 0, round = 0; done < cases; round++) {
    const numRuns = Math.min(batch, cases - done);
    const outcome = checkProperty({ numRuns, seed: 1_000 + round });
    const totals = outcome.totals;
    for (const key of [
      'cases',
      'steps',
      'plans',
      'contacts',
      'journeyContacts',
      'cancelled',
      'tasks',
      'flags',
      'journeys',
      'checks',
      'violations',
    ] as const)
      all[key] += totals[key];
    for (const [name, count] of Object.entries(totals.known))
      all.known[name] = (all.known[name] ?? 0) + count;
    done += numRuns;
    say(
      process.stderr,
      `${done}/${cases} companies, ${all.contacts} contacts, ${all.checks} checks, ${all.violations} violations, known ${JSON.stringify(all.known)}, ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    if (outcome.failure) {
      say(process.stderr, outcome.report);
      failed = true;
      break;
    }
  }
  let e2e: TierResult = { cases: 0, steps: 0, contacts: 0, checks: 0, violations: 0 };
  if (e2eWanted > 0 && !failed) e2e = await runE2ETier(e2eWanted);
  const known = Object.values(all.known).reduce((sum, count) => sum + count, 0);
  say(
    process.stdout,
    JSON.stringify({
      bench: 'simulate',
      cases: all.cases,
      e2e_cases: e2e.cases,
      steps: all.steps + e2e.steps,
      contacts: all.contacts + e2e.contacts,
      checks: all.checks + e2e.checks,
      violations: all.violations + known + e2e.violations,
      known: all.known,
    }),
  );
  if (failed || all.violations > 0 || e2e.violations > 0) process.exitCode = 1;
}

await main();
