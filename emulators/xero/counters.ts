/** Request counters for tests and benchmarks, per tenant. */
import { RequestCounters } from '../kit/counters.js';
import type { LimitProblem } from './rate-limiter.js';
import type { CounterKind, ThrottleProblem, XeroEmulatorCounters } from './types.js';

const PROBLEM_KEY: Record<LimitProblem, ThrottleProblem> = {
  minute: 'minute',
  day: 'day',
  concurrent: 'concurrent',
  appminute: 'app',
};

export class Counters extends RequestCounters<CounterKind, XeroEmulatorCounters> {
  constructor() {
    super(() => ({
      total: 0,
      byTenant: {},
      byKind: { oauth: 0, connections: 0, read: 0, write: 0 },
      throttled: { minute: 0, day: 0, concurrent: 0, app: 0 },
      faults: 0,
    }));
  }

  protected perBooks(state: XeroEmulatorCounters): Record<string, number> {
    return state.byTenant;
  }

  throttled(problem: LimitProblem): void {
    this.state.throttled[PROBLEM_KEY[problem]] += 1;
  }
}
