import { stripComment } from "./line.ts";

export interface JobLine {
  command: string;
  /** The caller's reference for this line (e.g. its line number in the file), reported back. */
  ref: number;
}

/** A print stream, pulled one line at a time; null when it has no more lines. */
export interface JobSource {
  next(): JobLine | null;
}

export interface JobResult {
  /** Job lines acknowledged by the firmware. */
  lines: number;
  resends: number;
  timeouts: number;
  seconds: number;
  lastAckedRef: number;
  aborted: boolean;
}

/**
 * A print job as the send window feeds it: the source, one line of lookahead (pulled but not yet
 * sent because the window was full), hold/abort, and the running counts that make its result.
 */
export class JobFeed {
  readonly #source: JobSource;
  readonly #resolve: (result: JobResult) => void;
  readonly #reject: (err: Error) => void;
  readonly startedAt: number;
  readonly #startStats: { resends: number; timeouts: number };
  held = false;
  exhausted = false;
  aborted = false;
  acked = 0;
  lastAckedRef = 0;
  #lookahead: JobLine | null = null;

  constructor(
    source: JobSource,
    startedAt: number,
    startStats: { resends: number; timeouts: number },
    settle: { resolve: (result: JobResult) => void; reject: (err: Error) => void },
  ) {
    this.#source = source;
    this.startedAt = startedAt;
    this.#startStats = { ...startStats };
    this.#resolve = settle.resolve;
    this.#reject = settle.reject;
  }

  /** The next command (comments stripped, blank lines skipped), without taking it; null at the end. */
  peek(): JobLine | null {
    if (this.#lookahead !== null || this.exhausted) return this.#lookahead;
    for (;;) {
      const next = this.#source.next();
      if (next === null) {
        this.exhausted = true;
        return null;
      }
      const command = stripComment(next.command);
      if (command !== "") {
        this.#lookahead = { command, ref: next.ref };
        return this.#lookahead;
      }
    }
  }

  /** The peeked line was sent. */
  take(): void {
    this.#lookahead = null;
  }

  /** No further line leaves: what was pulled is dropped. */
  abort(): void {
    this.aborted = true;
    this.exhausted = true;
    this.#lookahead = null;
  }

  get pending(): boolean {
    return this.#lookahead !== null || !this.exhausted;
  }

  acknowledged(ref: number): void {
    this.acked++;
    this.lastAckedRef = ref;
  }

  finish(now: number, stats: { resends: number; timeouts: number }): void {
    this.#resolve({
      lines: this.acked,
      resends: stats.resends - this.#startStats.resends,
      timeouts: stats.timeouts - this.#startStats.timeouts,
      seconds: (now - this.startedAt) / 1000,
      lastAckedRef: this.lastAckedRef,
      aborted: this.aborted,
    });
  }

  fail(err: Error): void {
    this.#reject(err);
  }
}
