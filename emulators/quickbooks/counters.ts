/** Request counters for tests and benchmarks, per realm. */
import { RequestCounters } from '../kit/counters.js';
import type { CounterKind, EmulatorCounters } from './types.js';

export class Counters extends RequestCounters<CounterKind, EmulatorCounters> {
  constructor() {
    super(() => ({
      total: 0,
      byRealm: {},
      byKind: { oauth: 0, query: 0, cdc: 0, read: 0, write: 0 },
      throttled: 0,
      faults: 0,
    }));
  }

  protected perBooks(state: EmulatorCounters): Record<string, number> {
    return state.byRealm;
  }

  throttled(): void {
    this.state.throttled += 1;
  }
}

/** Which counter a request belongs to, from its method and the path below /v3/company/{realm}/. */
export function apiKind(method: string, resource: string): CounterKind {
  if (resource === 'query') return 'query';
  if (resource === 'cdc') return 'cdc';
  return method === 'GET' ? 'read' : 'write';
}
