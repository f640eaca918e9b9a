import type { ServerResponse } from 'node:http';

/** How long a held answer waits unless the emulator is told otherwise: past any sane client timeout. */
export const defaultHangMs = 60_000;

/**
 * The emulators' "hang" fault: a vendor that carried out the request (a write landed, its idempotency
 * key was remembered) and then answers late, or never, because the client gave up first. The worst
 * kind of timeout for a client: it cannot tell whether its write happened, so a retry must not write
 * again.
 */
export class HeldAnswers {
  private readonly releases = new Set<() => void>();
  private readonly due = { read: 0, write: 0 };

  /**
   * Whether this request is one to hang, for a share `rate` (0..1) of requests: evenly spread (every
   * tenth for 0.1) rather than drawn at random, and counted apart for reads and writes, so that even a
   * short run meets its share of hung reads and of hung writes.
   */
  picks(rate: number, kind: 'read' | 'write'): boolean {
    if (rate <= 0) return false;
    this.due[kind] += Math.min(rate, 1);
    if (this.due[kind] < 1) return false;
    this.due[kind] -= 1;
    return true;
  }

  /**
   * Holds an answer back for `ms`. Resolves true when the client is still waiting after that (answer
   * it, late), false when it gave up first (its connection closed: nothing can be sent).
   */
  hold(response: ServerResponse, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (stillWaiting: boolean) => {
        clearTimeout(timer);
        response.off('close', gone);
        this.releases.delete(drop);
        resolve(stillWaiting);
      };
      const gone = () => settle(false);
      const drop = () => {
        settle(false);
        response.destroy();
      };
      if (response.destroyed) return resolve(false);
      timer = setTimeout(() => settle(!response.destroyed), ms);
      response.once('close', gone);
      this.releases.add(drop);
    });
  }

  /** How many answers are held right now. */
  get size(): number {
    return this.releases.size;
  }

  /** Closes every held request unanswered (the emulator is stopping). */
  dropAll(): void {
    for (const drop of [...this.releases]) drop();
  }
}
