import type { InFlightLine } from "./in-flight.ts";

/**
 * The last `capacity` numbered lines, by line number, so a `Resend: N` can replay N and every line
 * after it. Marlin discards its whole receive buffer on a line error, so one request can reach back
 * as far as the oldest line still in flight; the capacity must exceed the send window.
 */
export class SendHistory {
  readonly #slots: (InFlightLine | undefined)[];

  constructor(readonly capacity: number) {
    this.#slots = new Array<InFlightLine | undefined>(capacity);
  }

  put(line: InFlightLine): void {
    if (line.lineNumber === null) return;
    this.#slots[line.lineNumber % this.capacity] = line;
  }

  get(lineNumber: number): InFlightLine | undefined {
    const line = this.#slots[lineNumber % this.capacity];
    return line?.lineNumber === lineNumber ? line : undefined;
  }

  /** M110 renumbering makes every stored line unreachable. */
  clear(): void {
    this.#slots.fill(undefined);
  }
}
