import type { Timer } from "./scheduler.ts";

/**
 * One periodic report (`M155 S<n>` temperatures, `M154 S<n>` position), as Marlin's
 * `AutoReporter::tick()` (`Marlin/src/libs/autoreport.h`): a line every n seconds of firmware time,
 * independent of whatever command is running; S0 stops it.
 */
export class AutoReporter {
  readonly #timer: (at: number, task: () => void) => Timer;
  readonly #now: () => number;
  readonly #emit: (line: string) => void;
  readonly #line: () => string;
  #pending: Timer | undefined;

  constructor(deps: {
    timer: (at: number, task: () => void) => Timer;
    now: () => number;
    emit: (line: string) => void;
    line: () => string;
  }) {
    this.#timer = deps.timer;
    this.#now = deps.now;
    this.#emit = deps.emit;
    this.#line = deps.line;
  }

  set(seconds: number): void {
    this.stop();
    if (seconds <= 0) return;
    const period = seconds * 1000;
    const arm = (at: number): void => {
      this.#pending = this.#timer(at, () => {
        this.#emit(this.#line());
        arm(at + period);
      });
    };
    arm(this.#now() + period);
  }

  stop(): void {
    this.#pending?.cancel();
    this.#pending = undefined;
  }
}
