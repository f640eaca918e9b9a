/** Request counters for tests and benchmarks. */
import type { CounterKind, EmulatorCounters } from './types.js';

function empty(): EmulatorCounters {
  return {
    total: 0,
    byRealm: {},
    byKind: { oauth: 0, query: 0, cdc: 0, read: 0, write: 0 },
    throttled: 0,
    faults: 0,
  };
}

export class Counters {
  private state = empty();

  request(kind: CounterKind, realmId?: string): void {
    this.state.total += 1;
    this.state.byKind[kind] += 1;
    if (realmId !== undefined) this.state.byRealm[realmId] = (this.state.byRealm[realmId] ?? 0) + 1;
  }

  throttled(): void {
    this.state.throttled += 1;
  }

  fault(): void {
    this.state.faults += 1;
  }

  hang(write: boolean): void {
    this.state.hangs = (this.state.hangs ?? 0) + 1;
    if (write) this.state.hungWrites = (this.state.hungWrites ?? 0) + 1;
  }

  snapshot(): EmulatorCounters {
    return structuredClone(this.state);
  }

  reset(): void {
    this.state = empty();
  }
}

/** Which counter a request belongs to, from its method and the path below /v3/company/{realm}/. */
export function apiKind(method: string, resource: string): CounterKind {
  if (resource === 'query') return 'query';
  if (resource === 'cdc') return 'cdc';
  return method === 'GET' ? 'read' : 'write';
}
