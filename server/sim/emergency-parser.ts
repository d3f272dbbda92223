/**
 * Marlin's EMERGENCY_PARSER (`Marlin/src/feature/e_parser.h`): runs on every received byte in the
 * serial interrupt, before the byte is stored (so even bytes the full RX ring drops are seen), and
 * acts on `M108`, `M112` and `M410` at their end of line, line number or not.
 */
export type EmergencyCommand = "M108" | "M112" | "M410";

const RESET = 0;
const N = 1;
const M = 2;
const M1 = 3;
const M10 = 4;
const M11 = 5;
const M4 = 6;
const M41 = 7;
const M108 = 8;
const M112 = 9;
const M410 = 10;
const IGNORE = 11;

export class EmergencyParser {
  #state = RESET;

  reset(): void {
    this.#state = RESET;
  }

  /** Feeds one byte; returns the command completed by this byte, if any. */
  update(c: number): EmergencyCommand | null {
    const eol = c === 0x0a || c === 0x0d;
    switch (this.#state) {
      case RESET:
        if (c === 0x4e) this.#state = N;
        else if (c === 0x4d) this.#state = M;
        else if (c !== 0x20 && !eol) this.#state = IGNORE;
        return null;
      case N:
        if (c === 0x4d) this.#state = M;
        else if (!((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x20)) this.#state = IGNORE;
        return null;
      case M:
        if (c === 0x31) this.#state = M1;
        else if (c === 0x34) this.#state = M4;
        else if (c !== 0x20) this.#state = IGNORE;
        return null;
      case M1:
        this.#state = c === 0x30 ? M10 : c === 0x31 ? M11 : IGNORE;
        return null;
      case M10:
        this.#state = c === 0x38 ? M108 : IGNORE;
        return null;
      case M11:
        this.#state = c === 0x32 ? M112 : IGNORE;
        return null;
      case M4:
        this.#state = c === 0x31 ? M41 : IGNORE;
        return null;
      case M41:
        this.#state = c === 0x30 ? M410 : IGNORE;
        return null;
      case IGNORE:
        if (eol) this.#state = RESET;
        return null;
      default: {
        if (!eol) return null;
        const done = this.#state;
        this.#state = RESET;
        return done === M108 ? "M108" : done === M112 ? "M112" : "M410";
      }
    }
  }
}
