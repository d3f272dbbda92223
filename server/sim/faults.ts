import type { SimFaults } from "./config.ts";
import { Prng } from "./prng.ts";

export type LineTrigger = "reset" | "disconnect" | "thermal-runaway";

/**
 * Seeded fault injection. Each fault draws from its own generator, so enabling one does not shift
 * the sequence of another: `--corrupt 0.01 --seed 7` corrupts the same lines with or without
 * `--drop-ok`.
 */
export class FaultInjector {
  readonly #faults: SimFaults;
  readonly #corrupt: Prng;
  readonly #dropOk: Prng;
  readonly #garbage: Prng;
  readonly #fired = new Set<LineTrigger>();

  constructor(faults: SimFaults, seed: number) {
    this.#faults = faults;
    this.#corrupt = new Prng(seed ^ 0x1f123bb5);
    this.#dropOk = new Prng(seed ^ 0x5ab1ed0c);
    this.#garbage = new Prng(seed ^ 0x2c9277b5);
  }

  /** A received numbered line, possibly with one byte altered (never into a line end or `;`). */
  corrupt(line: string): string {
    if (!this.#corrupt.chance(this.#faults.corruptRatio) || line.length === 0) return line;
    const at = this.#corrupt.int(line.length);
    const c = line.charCodeAt(at);
    let altered = c ^ 0x01;
    if (altered === 0x0a || altered === 0x0d || altered === 0x3b) altered = c ^ 0x02;
    return line.slice(0, at) + String.fromCharCode(altered) + line.slice(at + 1);
  }

  dropOk(): boolean {
    return this.#dropOk.chance(this.#faults.dropOkRatio);
  }

  /** A line of random bytes (latin1 characters, no line end) to print first, or null. */
  garbage(): string | null {
    const rng = this.#garbage;
    if (!rng.chance(this.#faults.garbageRatio)) return null;
    const length = 3 + rng.int(20);
    let text = "";
    for (let i = 0; i < length; i++) {
      const r = rng.next();
      // Mostly bytes that are not valid UTF-8 on their own, some ASCII, now and then a NUL.
      const byte = r < 0.05 ? 0x00 : r < 0.7 ? 0x80 + rng.int(0x80) : 0x21 + rng.int(0x5e);
      text += String.fromCharCode(byte);
    }
    return text;
  }

  /** The fault tied to this line number, once per firmware lifetime. */
  lineTrigger(lineNumber: number): LineTrigger | null {
    const f = this.#faults;
    if (f.disconnectAtLine === lineNumber) return this.#once("disconnect");
    if (f.thermalRunawayAtLine === lineNumber) return this.#once("thermal-runaway");
    if (f.resetAtLine === lineNumber) return this.#once("reset");
    return null;
  }

  #once(trigger: LineTrigger): LineTrigger | null {
    if (this.#fired.has(trigger)) return null;
    this.#fired.add(trigger);
    return trigger;
  }
}
