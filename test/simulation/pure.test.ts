/**
 * The pure tier of the simulator: generated companies walked through 180 days of hours against the
 * real engine, every invariant checked after every step (see invariants.ts). SIM_PURE_CASES changes
 * the number of companies (default 200).
 */
import { describe, expect, it } from 'vitest';
import { knownBugs } from './invariants.js';
import { checkProperty } from './simulate.js';

/** One line of output (the linter keeps console out of the codebase). */
const say = (stream: NodeJS.WriteStream, line: string) => stream.write(`${line}\n`);

const cases = Number(process.env['SIM_PURE_CASES'] ?? 200);

describe('simulation, pure tier', () => {
  it(`keeps every promise over ${cases} companies × 180 days`, { timeout: 600_000 }, () => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const outcome = checkProperty({ numRuns: cases, seed: 20261206 });
    const used = process.cpuUsage(cpu);
    const { totals } = outcome;
    say(
      process.stdout,
      `simulation: ${totals.cases} companies, ${totals.steps} steps (hours), ${totals.plans} plans, ` +
        `${totals.contacts} contacts (${totals.journeyContacts} journey rungs, ${totals.cancelled} cancelled at delivery), ` +
        `${totals.texts} by text, ${totals.calls} calls made, ${totals.letters} letters posted, ${totals.tasks} tasks, ${totals.flags} flags, ${totals.journeys} journeys, ${totals.checks} checks, ` +
        `${totals.violations} violations; known engine bugs: ${JSON.stringify(totals.known)}; ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU`,
    );
    if (outcome.failure) say(process.stdout, outcome.report);
    expect(outcome.failure, outcome.report).toBeNull();
    expect(totals.cases).toBe(cases);
    expect(totals.contacts).toBeGreaterThan(cases);
    // Calls and letters are journeys' rungs too, under the same cap (invariants 1 and 3).
    expect(totals.calls).toBeGreaterThan(0);
    expect(totals.letters).toBeGreaterThan(0);
    // Texts too: a reminder by text (or by email and text) is one contact under the same cap.
    expect(totals.texts).toBeGreaterThan(0);
    for (const name of Object.keys(totals.known)) expect(knownBugs).toHaveProperty(name);
  });
});
