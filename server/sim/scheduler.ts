import { type Timer, TimerHeap } from "./timer-heap.ts";

export type { Timer };

/**
 * Real-time (or test-driven) timers for the link and the firmware. Times are milliseconds on the
 * scheduler's own clock, fractional. Callbacks never run synchronously from `at()`.
 */
export interface Scheduler {
  now(): number;
  at(time: number, callback: () => void): Timer;
  cancelAll(): void;
}

/** Below this many milliseconds before a deadline, `setTimeout` (1 ms granularity, late) hands over to `setImmediate`. */
const SPIN_MS = 2;
/** `setTimeout` takes at most a signed 32-bit delay; longer waits re-arm. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Deadlines on `process.hrtime.bigint()`, met to a few microseconds: `setTimeout` sleeps until about
 * 2 ms before the deadline, then a `setImmediate` loop (which yields to I/O on every turn) runs the
 * timer once the deadline has passed. Only the earliest deadline is armed.
 */
export class PreciseScheduler implements Scheduler {
  readonly #origin = process.hrtime.bigint();
  readonly #heap = new TimerHeap();
  #timeout: NodeJS.Timeout | undefined;
  #timeoutWake = Number.POSITIVE_INFINITY;
  #immediate: NodeJS.Immediate | undefined;

  now(): number {
    return Number(process.hrtime.bigint() - this.#origin) / 1e6;
  }

  at(time: number, callback: () => void): Timer {
    const timer = this.#heap.push(time, callback);
    this.#arm();
    return timer;
  }

  cancelAll(): void {
    this.#heap.clear();
    this.#disarm();
  }

  readonly #tick = (): void => {
    this.#disarm();
    for (;;) {
      const callback = this.#heap.popDue(this.now());
      if (callback === undefined) break;
      callback();
    }
    this.#arm();
  };

  #arm(): void {
    const next = this.#heap.peekTime();
    if (next === undefined || this.#immediate !== undefined) return;
    const delay = next - this.now();
    if (delay <= SPIN_MS) {
      this.#clearTimeout();
      this.#immediate = setImmediate(this.#tick);
      return;
    }
    const wake = next - SPIN_MS;
    if (this.#timeout !== undefined && this.#timeoutWake <= wake) return;
    this.#clearTimeout();
    this.#timeoutWake = wake;
    this.#timeout = setTimeout(this.#tick, Math.min(MAX_TIMEOUT_MS, Math.floor(delay - SPIN_MS)));
  }

  #disarm(): void {
    this.#clearTimeout();
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#immediate = undefined;
  }

  #clearTimeout(): void {
    if (this.#timeout !== undefined) clearTimeout(this.#timeout);
    this.#timeout = undefined;
    this.#timeoutWake = Number.POSITIVE_INFINITY;
  }
}

/** A scheduler whose clock moves only when a test calls `advance()`: exact, repeatable timing. */
export class ManualScheduler implements Scheduler {
  readonly #heap = new TimerHeap();
  #now = 0;

  now(): number {
    return this.#now;
  }

  at(time: number, callback: () => void): Timer {
    return this.#heap.push(time, callback);
  }

  cancelAll(): void {
    this.#heap.clear();
  }

  /** Runs every timer due within `ms`, each with the clock at its own deadline. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const next = this.#heap.peekTime();
      if (next === undefined || next > end) break;
      this.#now = Math.max(this.#now, next);
      this.#heap.popDue(this.#now)?.();
    }
    this.#now = end;
  }

  /** Time of the next pending timer, or undefined when none is pending. */
  nextTimer(): number | undefined {
    return this.#heap.peekTime();
  }
}
