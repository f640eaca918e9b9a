/** The times of the calls made in the last `spanMs`: a rate limit's window that slides with the clock. */
export class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly spanMs: number) {}

  count(now: number): number {
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - this.spanMs)
      this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  /** Seconds until the oldest call leaves the window (at least 1). */
  retryAfter(now: number): number {
    const oldest = this.times[this.head] ?? now;
    return Math.max(1, Math.ceil((oldest + this.spanMs - now) / 1000));
  }

  add(now: number): void {
    this.times.push(now);
  }
}
