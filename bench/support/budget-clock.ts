/**
 * The simulated clock of `npm run bench:budget`: it replaces the process's `Date`, so `new Date()` and
 * `Date.now()` in the service code, the job handlers and the emulators all read simulated time.
 * Imported first by bench/budget.ts, before any module that might keep a reference to the real one.
 *
 * Simulated time flows at the real pace from the last instant it was set to (so rate limiters and
 * timeouts that compare two readings still see time pass), and never goes back: `set` to an instant
 * already past leaves it where it is.
 */
const RealDate = Date;

let base = RealDate.now();
let anchor = base;

export const simClock = {
  now(): number {
    return base + (RealDate.now() - anchor);
  },
  /** Moves the clock to `ms`, or leaves it where it is when that is already past. */
  set(ms: number): void {
    const current = simClock.now();
    base = Math.max(ms, current);
    anchor = RealDate.now();
  },
  /** Puts the clock anywhere, even back (between two simulations that share nothing). */
  reset(ms: number): void {
    base = ms;
    anchor = RealDate.now();
  },
  /** Simulated minus real time, in milliseconds. */
  shiftMs(): number {
    return base - anchor;
  },
  realNow: () => RealDate.now(),
};

/** `Date` on the simulated clock: what it makes are ordinary dates (same prototype, same `instanceof`). */
function SimulatedDate(this: unknown, ...args: unknown[]): Date | string {
  const at = args.length === 0 ? [simClock.now()] : args;
  // Called without `new`, Date gives the current time as text.
  if (!new.target) return new RealDate(simClock.now()).toString();
  return Reflect.construct(RealDate, at, new.target) as Date;
}
SimulatedDate.prototype = RealDate.prototype;
SimulatedDate.now = () => simClock.now();
SimulatedDate.parse = RealDate.parse;
SimulatedDate.UTC = RealDate.UTC;
Object.defineProperty(RealDate.prototype, 'constructor', {
  value: SimulatedDate,
  writable: true,
  configurable: true,
});

globalThis.Date = SimulatedDate as unknown as DateConstructor;
