import type { PushTerminal, PushTerminalLine } from "../contract.ts";
import type { Slot } from "./outbox.ts";

/**
 * Terminal lines waiting for one client: at most `maxLines`, in order; lines past that are counted
 * in `dropped` and forgotten. A batch is sent at most once per interval (the outbox decides), so a
 * client gets at most `maxLines` lines per interval however fast the firmware talks.
 */
export class LineBatch implements Slot {
  readonly #maxLines: number;
  readonly #clock: () => number;
  #lines: PushTerminalLine[] = [];
  #dropped = 0;

  constructor(maxLines: number, clock: () => number = Date.now) {
    this.#maxLines = maxLines;
    this.#clock = clock;
  }

  get pending(): boolean {
    return this.#lines.length > 0 || this.#dropped > 0;
  }

  add(line: PushTerminalLine): void {
    if (this.#lines.length < this.#maxLines) this.#lines.push(line);
    else this.#dropped++;
  }

  /** Forgets what is pending (the client unsubscribed). */
  clear(): void {
    this.#lines = [];
    this.#dropped = 0;
  }

  take(): PushTerminal {
    const batch: PushTerminal = { at: this.#clock(), lines: this.#lines, dropped: this.#dropped };
    this.#lines = [];
    this.#dropped = 0;
    return batch;
  }
}
