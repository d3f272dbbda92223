import { DeadlineTimer } from "./deadline-timer.ts";
import type { WindowTiming } from "./timing.ts";

/** What a quiet link calls for. */
export type QuietAction =
  /** A request set aside as a ghost was real: nothing has moved since. */
  | "recheck-ghost"
  /** Probably a lost `ok`: send an M105 whose `ok T:…` acknowledges everything before it. */
  | "early-sync"
  /** The communication timeout passed. */
  | "timeout";

/** What the watchdog needs to know about the lines in flight. */
export interface WatchdogView {
  /** Lines are waiting for an answer. */
  waiting(): boolean;
  /** No early sync now: one is outstanding, or a long-running command (homing, heating) is in flight. */
  patient(): boolean;
  /** A resend request was set aside as a ghost. */
  ghostPending(): boolean;
}

/**
 * Decides when a quiet link needs action. Progress is an `ok`, or, during a long-running command,
 * a `busy:` or temperature line. The early sync comes after 20 × the usual `ok` delay (at least
 * 50 ms by default); the timeout after 30 s, or 3 s once the firmware has shown `busy:` keepalives
 * (it speaks up every ~2 s while busy: Marlin HOST_KEEPALIVE_FEATURE).
 */
export class LinkWatchdog {
  readonly #clock: () => number;
  readonly #timing: () => WindowTiming;
  readonly #view: WatchdogView;
  readonly #onQuiet: (action: QuietAction, quietMs: number) => void;
  readonly #timer: DeadlineTimer;
  #lastProgressAt = 0;
  #okDelay = 0;
  #busySeen = false;
  #consecutiveTimeouts = 0;

  constructor(
    clock: () => number,
    timing: () => WindowTiming,
    view: WatchdogView,
    onQuiet: (action: QuietAction, quietMs: number) => void,
  ) {
    this.#clock = clock;
    this.#timing = timing;
    this.#view = view;
    this.#onQuiet = onQuiet;
    this.#timer = new DeadlineTimer(clock, () => this.#check());
  }

  /** An `ok` came, `delayMs` after its line was sent. */
  acknowledged(now: number, delayMs: number): void {
    this.#okDelay = this.#okDelay === 0 ? delayMs : this.#okDelay * 0.95 + delayMs * 0.05;
    this.#lastProgressAt = now;
    this.#consecutiveTimeouts = 0;
  }

  /** The firmware showed it is alive without answering (`busy:`, heating reports). */
  alive(now: number): void {
    this.#lastProgressAt = now;
  }

  /** A `busy:` keepalive: the firmware speaks up while busy, so silence means trouble sooner. */
  busy(now: number): void {
    this.#busySeen = true;
    this.#lastProgressAt = now;
  }

  /** Start measuring quiet from now (after a sync or a rewind was sent). */
  restart(now: number): void {
    this.#lastProgressAt = now;
  }

  /** The usual delay between a line and its `ok` (a moving average). */
  get okDelayMs(): number {
    return this.#okDelay;
  }

  /** One more timeout in a row; returns how many. */
  countTimeout(): number {
    return ++this.#consecutiveTimeouts;
  }

  earlySyncMs(): number {
    const { earlyTickleMinMs, earlyTickleFactor } = this.#timing();
    return Math.max(earlyTickleMinMs, earlyTickleFactor * this.#okDelay);
  }

  timeoutMs(): number {
    const { communicationMs, busyCommunicationMs } = this.#timing();
    return this.#busySeen ? busyCommunicationMs : communicationMs;
  }

  /** Make sure the timer fires by the next deadline (cheap when it already will). */
  arm(): void {
    if (!this.#view.waiting()) return;
    this.#timer.armBy(this.#lastProgressAt + this.#waitMs());
  }

  cancel(): void {
    this.#timer.cancel();
  }

  #waitMs(): number {
    const timeoutMs = this.timeoutMs();
    return this.#view.patient() ? timeoutMs : Math.min(timeoutMs, this.earlySyncMs());
  }

  #check(): void {
    if (!this.#view.waiting()) return;
    const now = this.#clock();
    const quiet = now - this.#lastProgressAt;
    let action: QuietAction | null = null;
    if (this.#view.ghostPending() && quiet >= this.earlySyncMs()) action = "recheck-ghost";
    else if (quiet >= this.timeoutMs()) action = "timeout";
    else if (quiet >= this.#waitMs()) action = "early-sync";
    if (action !== null) {
      this.#lastProgressAt = now;
      this.#onQuiet(action, quiet);
    }
    this.arm();
  }
}
