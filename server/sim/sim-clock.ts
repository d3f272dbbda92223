import type { Scheduler, Timer } from "./scheduler.ts";

/**
 * Simulated time for the firmware's physics: scheduler time × `speed`. At speed 0 ("zero time")
 * motion, dwell, homing and heating take no time at all (`span()` is 0) while periodic reports
 * (M155, keepalive) run in real time, so a host still sees them.
 */
export class SimClock {
  readonly #scheduler: Scheduler;
  readonly #rate: number;
  readonly zeroTime: boolean;

  constructor(scheduler: Scheduler, speed: number) {
    this.#scheduler = scheduler;
    this.zeroTime = speed === 0;
    this.#rate = speed === 0 ? 1 : speed;
  }

  /** Simulated milliseconds. */
  now(): number {
    return this.#scheduler.now() * this.#rate;
  }

  /** The simulated duration of a physical process: zero in zero time. */
  span(ms: number): number {
    return this.zeroTime ? 0 : ms;
  }

  /** Runs `callback` at simulated time `simTime`; a time that never comes schedules nothing. */
  at(simTime: number, callback: () => void): Timer {
    if (!Number.isFinite(simTime)) return { cancel() {} };
    return this.#scheduler.at(simTime / this.#rate, callback);
  }
}
