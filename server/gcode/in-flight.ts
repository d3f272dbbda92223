/** Where a line came from: the print stream, an interactive command, or the window itself. */
export type LineSource = "job" | "interactive" | "emergency" | "sync";

export interface AckInfo {
  lineNumber: number | null;
  command: string;
}

/** A line handed to the firmware and not yet acknowledged with `ok`. */
export interface InFlightLine {
  /** `N` on the wire, or null for an unnumbered line. */
  lineNumber: number | null;
  command: string;
  /** Upper-case code (`G1`, `M105`) or null. */
  code: string | null;
  /** The exact bytes written, `\n` included (replayed unchanged on a resend). */
  wire: string;
  source: LineSource;
  /** For job lines: the caller's reference (e.g. the file's line number). */
  ref: number;
  longRunning: boolean;
  sentAt: number;
  resolve: ((ack: AckInfo) => void) | null;
  reject: ((err: Error) => void) | null;
}

/**
 * A FIFO of lines in flight with their byte total. The firmware answers lines in the order it
 * receives them, so the head is always the line the next plain `ok` belongs to.
 */
export class InFlightQueue {
  #items: InFlightLine[] = [];
  #head = 0;
  #bytes = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Bytes of the oldest line in flight (0 when empty). */
  get headBytes(): number {
    return this.#items[this.#head]?.wire.length ?? 0;
  }

  push(line: InFlightLine): void {
    this.#items.push(line);
    this.#bytes += line.wire.length;
  }

  peek(): InFlightLine | undefined {
    return this.#items[this.#head];
  }

  at(index: number): InFlightLine | undefined {
    return this.#items[this.#head + index];
  }

  shift(): InFlightLine | undefined {
    const line = this.#items[this.#head];
    if (line === undefined) return undefined;
    this.#items[this.#head] = undefined as unknown as InFlightLine;
    this.#head++;
    this.#bytes -= line.wire.length;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return line;
  }

  /** Index of the first line matching `test`, or -1. */
  findIndex(test: (line: InFlightLine) => boolean): number {
    for (let i = this.#head; i < this.#items.length; i++) {
      const line = this.#items[i] as InFlightLine;
      if (test(line)) return i - this.#head;
    }
    return -1;
  }

  /** Removes and returns every line (after a resend rewind, a reset or a fault). */
  drain(): InFlightLine[] {
    const all = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    this.#bytes = 0;
    return all;
  }

  some(test: (line: InFlightLine) => boolean): boolean {
    return this.findIndex(test) !== -1;
  }
}
