/** Timeouts and limits of the send window (defaults follow OctoPrint's serial settings). */
export interface WindowTiming {
  /** No `ok` (or, during a long-running command, no sign of life) for this long is a timeout. */
  communicationMs: number;
  /** The same once the firmware has shown `busy:` keepalives (it speaks up every ~2 s when busy). */
  busyCommunicationMs: number;
  /** Consecutive timeouts tolerated while a job streams, and while idle. */
  maxTimeoutsPrinting: number;
  maxTimeoutsIdle: number;
  /** The same line requested this many times in a row means the link is stuck. */
  maxConsecutiveResends: number;
  /**
   * Lost `ok` recovery: when no `ok` arrived for `earlyTickleFactor` × the usual `ok` delay (at
   * least `earlyTickleMinMs`), send one M105 whose `ok T:…` reply acknowledges every line before it.
   * Not counted as a timeout; never while a long-running command is in flight.
   */
  earlyTickleMinMs: number;
  earlyTickleFactor: number;
}

export const DEFAULT_TIMING: WindowTiming = {
  communicationMs: 30_000,
  busyCommunicationMs: 3_000,
  maxTimeoutsPrinting: 5,
  maxTimeoutsIdle: 2,
  maxConsecutiveResends: 10,
  earlyTickleMinMs: 50,
  earlyTickleFactor: 20,
};
