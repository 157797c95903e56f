/**
 * The executor's time. Every timer (sleeps, retries, waitForEvent timeouts, crons) reads this clock, so tests
 * and the dashboard can move time forward instead of waiting for it.
 */
export class Clock {
  private offsetMs = 0;
  private listeners = new Set<() => void>();

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** A real time (epoch ms, such as a time the SDK measured) on this clock. */
  fromRealTime(realMs: number): number {
    return realMs + this.offsetMs;
  }

  advance(ms: number) {
    if (!(ms >= 0)) throw new Error("the clock only moves forward");
    this.offsetMs += ms;
    for (const listener of this.listeners) listener();
  }

  onAdvance(listener: () => void) {
    this.listeners.add(listener);
  }
}
