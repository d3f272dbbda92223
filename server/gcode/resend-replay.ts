import type { HostError } from "../util/errors.ts";
import type { Response } from "./responses/types.ts";
import { resendLoop } from "./window-errors.ts";

/** Marlin's error for a line whose number is not the one it expects (`queue.cpp` STR_ERR_LINE_NO). */
const STALE_LINE_ERROR = /Last Line Number\+1|expected line/i;

export interface ResendContext {
  /** The highest line number sent so far. */
  highestSent: number;
  /** Whether a copy of line `n` is in flight. */
  inFlight: (n: number) => boolean;
  maxConsecutiveResends: number;
}

/**
 * What a `Resend: N` means, and the replay that answers it.
 *
 * Marlin answers a bad line with `Error:…`, discards its whole receive buffer, then `Resend: N` and
 * `ok` (`queue.cpp` `gcode_line_error()`, `flush_and_request_resend()`). Lines that were on the wire
 * arrive after the flush and are refused one by one, each with a stale-line error and another
 * `Resend: N` (ghosts), each flushing the buffer again; some are swallowed by a flush and draw
 * nothing, so ghosts cannot be counted. They are recognised instead: a ghost asks for the rewind
 * target while the replay of it is held back or already on its way. The replay is held until the
 * stale bytes have drained, so a ghost cannot flush it.
 */
export class ResendReplay {
  readonly #clock: () => number;
  #from: number | null = null;
  #to = 0;
  #rewoundTo: number | null = null;
  #ignored: number | null = null;
  #holdUntil = 0;
  #streakLine = -1;
  #streak = 0;
  #staleLineError = false;
  #swallowOk = false;

  constructor(clock: () => number) {
    this.#clock = clock;
  }

  /** The next line number to replay, or null when no replay is pending. */
  get next(): number | null {
    return this.#from;
  }

  /** A request taken for a ghost; if the link then goes quiet, it was real. */
  get ignoredRequest(): number | null {
    return this.#ignored;
  }

  /** Milliseconds the pending replay must still wait (0: it may go). */
  holdRemaining(): number {
    return Math.max(0, this.#holdUntil - this.#clock());
  }

  /**
   * True for the `ok` Marlin prints right after `Resend:`, which acknowledges nothing. When another
   * line comes first, that ok is missing (a known Marlin/Prusa bug) and nothing is swallowed.
   */
  swallows(response: Response): boolean {
    if (!this.#swallowOk) return false;
    this.#swallowOk = false;
    return response.kind === "ok" && response.lineNumber === undefined && response.temperatures === undefined;
  }

  noteError(response: Extract<Response, { kind: "error" }>): void {
    this.#staleLineError = response.errorClass === "resend" && STALE_LINE_ERROR.test(response.message);
  }

  /** `rewind` a real request; `ignore` one for a line not sent yet or a ghost; an error when stuck. */
  judge(n: number, okAfterResend: boolean, context: ResendContext): "rewind" | "ignore" | HostError {
    this.#swallowOk = okAfterResend;
    if (n > context.highestSent) return "ignore"; // the firmware received N-1 twice; nothing to replay
    const awaited =
      n === this.#rewoundTo && ((this.#from === n && this.holdRemaining() > 0) || context.inFlight(n));
    if (this.#staleLineError && awaited) {
      this.#ignored = n;
      return "ignore";
    }
    return this.#count(n, context.maxConsecutiveResends);
  }

  /** The quiet-link timer found an ignored request was real. */
  judgeIgnored(maxConsecutiveResends: number): "rewind" | HostError | null {
    const n = this.#ignored;
    if (n === null) return null;
    return this.#count(n, maxConsecutiveResends);
  }

  #count(n: number, max: number): "rewind" | HostError {
    this.#ignored = null;
    this.#streak = n === this.#streakLine ? this.#streak + 1 : 1;
    this.#streakLine = n;
    return this.#streak >= max ? resendLoop(n, this.#streak) : "rewind";
  }

  /** Replay `n`…`highestSent`, not before the stale bytes have drained. */
  begin(n: number, highestSent: number, holdMs: number): void {
    this.#from = n;
    this.#to = highestSent;
    this.#rewoundTo = n;
    if (holdMs > 0) this.#holdUntil = this.#clock() + holdMs;
  }

  /** The line `next` was sent again. */
  advance(): void {
    if (this.#from === null) return;
    this.#from = this.#from < this.#to ? this.#from + 1 : null;
  }

  /** Line `n` was acknowledged: ghosts for it came before it on the wire, and the link moves. */
  acked(n: number): void {
    if (n === this.#rewoundTo) this.#rewoundTo = null;
    if (n === this.#streakLine) this.#streak = 0;
    this.#ignored = null;
  }

  /** The firmware restarted: nothing of this is relevant any more. */
  reset(): void {
    this.#from = null;
    this.#rewoundTo = null;
    this.#ignored = null;
    this.#holdUntil = 0;
    this.#swallowOk = false;
  }
}
