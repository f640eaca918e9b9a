/**
 * Where the vendor calls of `npm run bench:budget` go. Every job run, portal click and connect is
 * wrapped: the emulator's own counters are read before and after (runs are one at a time, so the
 * difference is that run's), and the calls are put down to a cause on the simulated day the run
 * started. The connectors are wrapped too, so each call is also named by the connector method that
 * made it (fetchInvoices, changesSince, …).
 */
import type { LedgerConnectors } from '../../connectors/factory.js';
import type { ConnectionHandle, LedgerConnector } from '../../connectors/ledger.js';
import type { JobRunContext } from './budget-jobs.js';
import type { ApiCalls } from './budget-ledger.js';

const dayMs = 86_400_000;

export type Cause =
  | 'connect'
  | 'full_sync'
  | 'sync'
  | 'reconcile'
  | 'recheck_before_send'
  | 'payment_links'
  | 'write_back'
  | 'other';

/** The cause of a job run, from the job and what led to it. */
export function causeOf(context: JobRunContext): Cause {
  switch (context.job) {
    case 'ledger.sync':
      if (context.origin === 'connect') return 'full_sync';
      if (context.origin === 'ledger.reconcile') return 'reconcile';
      if (context.origin === 'webhook') return 'sync';
      return 'other';
    case 'collections.deliver-due':
    case 'collections.deliver-message':
      return 'recheck_before_send';
    case 'collections.write-ledger':
      return 'write_back';
    default:
      return 'other';
  }
}

interface Tally {
  reads: number;
  writes: number;
}

export class Meter {
  /** Per simulated day (1 = the first), per cause. */
  private readonly days = new Map<number, Map<Cause, Tally>>();
  /** Per cause, per connector method: read calls (days counted by `from`). */
  private readonly methods = new Map<string, number>();
  /** Per cause, from day 2 on: how many runs made how many reads (e.g. "5": 40 runs). */
  private readonly histogram = new Map<Cause, Map<number, number>>();
  private cause: Cause | null = null;
  private attributed: Tally = { reads: 0, writes: 0 };

  constructor(
    private readonly calls: () => ApiCalls,
    private readonly startMs: number,
  ) {}

  dayOf(ms: number): number {
    return Math.floor((ms - this.startMs) / dayMs) + 1;
  }

  async attribute<Result>(cause: Cause, run: () => Promise<Result>): Promise<Result> {
    const day = this.dayOf(Date.now());
    const before = this.calls();
    const outer = this.cause;
    this.cause = cause;
    try {
      return await run();
    } finally {
      this.cause = outer;
      const after = this.calls();
      const reads = after.reads - before.reads;
      const writes = after.writes - before.writes;
      if (outer === null) {
        this.add(day, cause, reads, writes);
        if (day >= 2) {
          const counts = this.histogram.get(cause) ?? new Map<number, number>();
          counts.set(reads, (counts.get(reads) ?? 0) + 1);
          this.histogram.set(cause, counts);
        }
        this.attributed.reads += reads;
        this.attributed.writes += writes;
      }
    }
  }

  around = <Result>(context: JobRunContext, run: () => Promise<Result>): Promise<Result> =>
    this.attribute(causeOf(context), run);

  private add(day: number, cause: Cause, reads: number, writes: number) {
    let causes = this.days.get(day);
    if (!causes) {
      causes = new Map();
      this.days.set(day, causes);
    }
    const tally = causes.get(cause) ?? { reads: 0, writes: 0 };
    tally.reads += reads;
    tally.writes += writes;
    causes.set(cause, tally);
  }

  /** Reads and writes by cause over days `from`..`to`, and the day totals. */
  total(from: number, to: number): { byCause: Record<string, Tally>; perDay: Tally[] } {
    const byCause: Record<string, Tally> = {};
    const perDay: Tally[] = [];
    for (let day = from; day <= to; day += 1) {
      const dayTally = { reads: 0, writes: 0 };
      for (const [cause, tally] of this.days.get(day) ?? []) {
        const sum = byCause[cause] ?? { reads: 0, writes: 0 };
        sum.reads += tally.reads;
        sum.writes += tally.writes;
        byCause[cause] = sum;
        dayTally.reads += tally.reads;
        dayTally.writes += tally.writes;
      }
      perDay.push(dayTally);
    }
    return { byCause, perDay };
  }

  /** What the emulator counted that no wrapped run accounts for (should be zero). */
  unattributed(): Tally {
    const now = this.calls();
    return { reads: now.reads - this.attributed.reads, writes: now.writes - this.attributed.writes };
  }

  /** From day 2 on, per cause: reads made by a run → how many runs made that many (runs with none left out). */
  readsPerRun(): Record<string, Record<string, number>> {
    return Object.fromEntries(
      [...this.histogram]
        .map(([cause, counts]) => [
          cause,
          Object.fromEntries([...counts].filter(([reads]) => reads > 0).sort((a, b) => a[0] - b[0])),
        ])
        .filter(([, counts]) => Object.keys(counts as object).length > 0),
    );
  }

  /** Read calls by cause and connector method, from day 2 on. */
  methodReads(): Record<string, number> {
    return Object.fromEntries([...this.methods].sort((a, b) => b[1] - a[1]));
  }

  /** Wraps the connectors: each handle a method is given names the method in the calls it makes. */
  wrap(connectors: LedgerConnectors, countFromMs: () => number): LedgerConnectors {
    const wrapped: LedgerConnectors = {};
    for (const [vendor, connector] of Object.entries(connectors) as Array<
      [keyof LedgerConnectors, LedgerConnector]
    >) {
      wrapped[vendor] = new Proxy(connector, {
        get: (target, property, receiver) => {
          const value = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            const handle = args[0] as ConnectionHandle | undefined;
            if (
              handle &&
              typeof handle === 'object' &&
              typeof (handle as ConnectionHandle).call === 'function'
            ) {
              const method = String(property);
              args[0] = {
                ...handle,
                call: (kind: 'read' | 'write', request: (accessToken: string) => Promise<unknown>) => {
                  if (kind === 'read' && Date.now() >= countFromMs()) {
                    const key = `${this.cause ?? 'unwrapped'}:${method}`;
                    this.methods.set(key, (this.methods.get(key) ?? 0) + 1);
                  }
                  return handle.call(kind, request);
                },
              };
            }
            return value.apply(target, args);
          };
        },
      });
    }
    return wrapped;
  }
}
