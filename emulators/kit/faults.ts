import type { ServerResponse } from 'node:http';
import { defaultHangMs, type HeldAnswers } from './held-answers.js';

/** Faults injected into API calls (not OAuth): the same knobs on every emulator. */
export interface FaultOptions {
  /** Fraction (0..1) of API calls answered with HTTP 500 (default 0). */
  errorRate?: number;
  /** Added latency in ms on API calls, holding a concurrency slot (default 0). */
  latencyMs?: number;
  /**
   * Fraction (0..1) of API calls that hang, evenly spread (default 0): the call is carried out (a write
   * lands and its idempotency key is remembered) but the answer is held for `hangMs`, holding a
   * concurrency slot, so a client with a shorter timeout gives up and never sees it.
   */
  hangRate?: number;
  /** How long a hung call's answer is held, in ms (default 60000); sent then if the client still waits. */
  hangMs?: number;
}

export type FaultSettings = Required<FaultOptions>;

/** No faults: what an emulator starts with before its options. */
export function noFaults(): FaultSettings {
  return { errorRate: 0, latencyMs: 0, hangRate: 0, hangMs: defaultHangMs };
}

/** Sets the knobs `faults` names and leaves the others as they are (so `configure` can change one). */
export function applyFaultOptions(settings: FaultSettings, faults: FaultOptions | undefined): void {
  for (const key of ['errorRate', 'latencyMs', 'hangRate', 'hangMs'] as const) {
    const value = faults?.[key];
    if (value !== undefined) settings[key] = value;
  }
}

/** What the counters hear about injected faults. */
export interface FaultCounters {
  fault(): void;
  hang(write: boolean): void;
}

/**
 * The injected faults one API call meets once it holds its concurrency slot: the added latency, then
 * perhaps a 500 (`'error'`: answer with the vendor's server error), else a decision, made now, whether
 * its answer is held back once the call has been carried out. `mayAnswer` resolves true when the answer
 * may be sent, false when the client gave up while it was held (nothing can be sent then).
 */
export async function injectFaults(
  settings: FaultSettings,
  held: HeldAnswers,
  counters: FaultCounters,
  write: boolean,
): Promise<'error' | { mayAnswer(response: ServerResponse): Promise<boolean> }> {
  if (settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.latencyMs));
  if (settings.errorRate > 0 && Math.random() < settings.errorRate) {
    counters.fault();
    return 'error';
  }
  const hang = held.picks(settings.hangRate, write ? 'write' : 'read');
  return {
    async mayAnswer(response) {
      if (!hang) return true;
      counters.hang(write);
      return held.hold(response, settings.hangMs);
    },
  };
}
