import type { FaultCounters } from './faults.js';

/** What every emulator counts: requests by kind, injected 500s, and hung answers. */
export interface RequestCounts<Kind extends string> {
  total: number;
  byKind: Record<Kind, number>;
  faults: number;
  /** Requests the hang fault held back; absent until the first. */
  hangs?: number;
  /** Of those, writes (carried out, their answer not seen); absent until the first. */
  hungWrites?: number;
}

/**
 * Request counters for tests and benchmarks. A vendor's counts add requests per set of books (a realm,
 * a tenant: `perBooks` says where they go) and its own kinds of throttling.
 */
export abstract class RequestCounters<Kind extends string, Counts extends RequestCounts<Kind>>
  implements FaultCounters
{
  protected state: Counts;

  constructor(private readonly empty: () => Counts) {
    this.state = empty();
  }

  /** The counts per set of books, inside `state`. */
  protected abstract perBooks(state: Counts): Record<string, number>;

  request(kind: Kind, booksId?: string): void {
    this.state.total += 1;
    this.state.byKind[kind] += 1;
    if (booksId === undefined) return;
    const perBooks = this.perBooks(this.state);
    perBooks[booksId] = (perBooks[booksId] ?? 0) + 1;
  }

  fault(): void {
    this.state.faults += 1;
  }

  hang(write: boolean): void {
    this.state.hangs = (this.state.hangs ?? 0) + 1;
    if (write) this.state.hungWrites = (this.state.hungWrites ?? 0) + 1;
  }

  snapshot(): Counts {
    return structuredClone(this.state);
  }

  reset(): void {
    this.state = this.empty();
  }
}
