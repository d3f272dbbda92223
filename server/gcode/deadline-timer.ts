/**
 * One timer for the earliest of several moving deadlines. Moving a deadline later costs nothing (the
 * owner re-checks when the timer fires); moving it earlier re-arms the timer. That keeps the hot path
 * (an `ok` every few hundred microseconds) free of timer churn.
 */
export class DeadlineTimer {
  readonly #onDue: () => void;
  readonly #clock: () => number;
  #timer: NodeJS.Timeout | null = null;
  #due = Number.POSITIVE_INFINITY;

  constructor(clock: () => number, onDue: () => void) {
    this.#clock = clock;
    this.#onDue = onDue;
  }

  /** Fires at `due` at the latest; a timer already set for earlier is kept. */
  armBy(due: number): void {
    if (this.#timer !== null && due >= this.#due) return;
    this.cancel();
    this.#due = due;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        this.#due = Number.POSITIVE_INFINITY;
        this.#onDue();
      },
      Math.max(1, due - this.#clock()),
    );
  }

  cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#due = Number.POSITIVE_INFINITY;
  }
}
