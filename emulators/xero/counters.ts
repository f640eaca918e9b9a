/** Request counters for tests and benchmarks. */
import type { LimitProblem } from './rate-limiter.js';
import type { CounterKind, ThrottleProblem, XeroEmulatorCounters } from './types.js';

function empty(): XeroEmulatorCounters {
  return {
    total: 0,
    byTenant: {},
    byKind: { oauth: 0, connections: 0, read: 0, write: 0 },
    throttled: { minute: 0, day: 0, concurrent: 0, app: 0 },
    faults: 0,
  };
}

const PROBLEM_KEY: Record<LimitProblem, ThrottleProblem> = {
  minute: 'minute',
  day: 'day',
  concurrent: 'concurrent',
  appminute: 'app',
};

export class Counters {
  private state = empty();

  request(kind: CounterKind, tenantId?: string): void {
    this.state.total += 1;
    this.state.byKind[kind] += 1;
    if (tenantId) this.state.byTenant[tenantId] = (this.state.byTenant[tenantId] ?? 0) + 1;
  }

  throttled(problem: LimitProblem): void {
    this.state.throttled[PROBLEM_KEY[problem]] += 1;
  }

  fault(): void {
    this.state.faults += 1;
  }

  hang(write: boolean): void {
    this.state.hangs = (this.state.hangs ?? 0) + 1;
    if (write) this.state.hungWrites = (this.state.hungWrites ?? 0) + 1;
  }

  snapshot(): XeroEmulatorCounters {
    return structuredClone(this.state);
  }

  reset(): void {
    this.state = empty();
  }
}
