/**
 * One pass over the bytes of a G-code line, without building strings: the command code, its parameter
 * words and the command's length as `stripComment` (server/gcode/line.ts) would leave it. Commands are
 * ASCII; a comment starts at the first `;`. Words follow Marlin's parser: a letter and a number, with or
 * without blanks between words (`G1X10Y5` = `G1 X10 Y5`); a letter without a number reads as 0.
 */

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const SEMICOLON = 0x3b;
const DOT = 0x2e;
const MINUS = 0x2d;
const PLUS = 0x2b;
const ZERO = 0x30;
const NINE = 0x39;
const UPPER_A = 0x41;
const UPPER_Z = 0x5a;

/** Up to this many digits the mantissa is an exact integer and one division rounds correctly, as `Number()`. */
const EXACT_DIGITS = 15;
const POW10 = Array.from({ length: EXACT_DIGITS + 1 }, (_, k) => 10 ** k);

/** `c` upper-cased when it is an ASCII letter, else -1. */
function letterOf(c: number): number {
  const upper = c & 0xdf;
  return upper >= UPPER_A && upper <= UPPER_Z ? upper : -1;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** What `scan()` found on the line. */
export type LineKind = "blank" | "comment" | "command";

export class CommandScanner {
  /** Values of the parameter words by letter (index 0 = A); valid where `present` has the bit. */
  readonly values = new Float64Array(26);
  /** Bit `1 << (letter - 'A')` for every word present. */
  present = 0;
  /** `G`, `M` or `T` as a char code, or 0 when the line does not start with one and a number. */
  letter = 0;
  /** The code number (`G1` → 1, `M862.3` → 862); -1 without a code. */
  code = -1;
  /** Length of the command after `stripComment` (comment cut, blank runs folded, trimmed). */
  length = 0;
  /** Offset of the first non-blank byte (where a comment's `;` is). */
  start = 0;

  /** Scans `buf[from, to)`, one line without its `\n`. */
  scan(buf: Uint8Array, from: number, to: number): LineKind {
    let i = from;
    while (i < to && isBlank(buf[i] as number)) i++;
    this.start = i;
    this.present = 0;
    this.letter = 0;
    this.code = -1;
    this.length = 0;
    if (i === to) return "blank";
    if (buf[i] === SEMICOLON) return "comment";
    let end = i;
    while (end < to && buf[end] !== SEMICOLON) end++;
    this.length = foldedLength(buf, i, end);
    if (this.length === 0) return "blank";
    i = this.readCode(buf, i, end);
    if (this.letter !== 0) this.readWords(buf, i, end);
    return "command";
  }

  /** The value of word `letter` (`"X"`), or undefined when the line has none. */
  value(letter: string): number | undefined {
    const index = letter.charCodeAt(0) - UPPER_A;
    return this.present & (1 << index) ? this.values[index] : undefined;
  }

  has(letter: string): boolean {
    return (this.present & (1 << (letter.charCodeAt(0) - UPPER_A))) !== 0;
  }

  /** The code (`G1`, `M862`, `T0`), upper-case, as `commandCode` returns it; null without one. */
  codeText(): string | null {
    return this.letter === 0 ? null : `${String.fromCharCode(this.letter)}${this.code}`;
  }

  private readCode(buf: Uint8Array, from: number, end: number): number {
    const letter = letterOf(buf[from] as number);
    if (letter !== 0x47 && letter !== 0x4d && letter !== 0x54) return from;
    let i = from + 1;
    if (i >= end || !isDigit(buf[i] as number)) return from;
    let code = 0;
    while (i < end && isDigit(buf[i] as number)) code = code * 10 + (buf[i++] as number) - ZERO;
    if (i < end && buf[i] === DOT) {
      i++;
      while (i < end && isDigit(buf[i] as number)) i++;
    }
    this.letter = letter;
    this.code = code;
    return i;
  }

  private readWords(buf: Uint8Array, from: number, end: number): void {
    let i = from;
    while (i < end) {
      const c = buf[i] as number;
      if (isBlank(c)) {
        i++;
        continue;
      }
      const letter = letterOf(c);
      if (letter === -1) {
        while (i < end && !isBlank(buf[i] as number)) i++;
        continue;
      }
      i = this.readNumber(buf, i + 1, end, letter - UPPER_A);
    }
  }

  /** Reads `[+-]digits[.digits]` at `from` into word `index`; returns the offset after the word. */
  private readNumber(buf: Uint8Array, from: number, end: number, index: number): number {
    let i = from;
    let negative = false;
    if (i < end && (buf[i] === MINUS || buf[i] === PLUS)) negative = buf[i++] === MINUS;
    let mantissa = 0;
    let digits = 0;
    let decimals = 0;
    let seenDot = false;
    for (; i < end; i++) {
      const c = buf[i] as number;
      if (isDigit(c)) {
        mantissa = mantissa * 10 + c - ZERO;
        digits++;
        if (seenDot) decimals++;
      } else if (c === DOT && !seenDot) seenDot = true;
      else break;
    }
    const next = i < end ? (buf[i] as number) : SPACE;
    if (!isBlank(next) && letterOf(next) === -1) {
      // `X5*12`, `X1.2.3`, `P"MK3S"`: not a number, the word is dropped (as `Number()` gives NaN).
      while (i < end && !isBlank(buf[i] as number)) i++;
      return i;
    }
    // `X-`, `X.`: no digits after the sign or dot, not a number either.
    if (digits === 0 && i > from) return i;
    let value: number;
    if (digits > EXACT_DIGITS) value = Number(String.fromCharCode(...buf.subarray(from, i)));
    else {
      value = decimals === 0 ? mantissa : mantissa / (POW10[decimals] as number);
      if (negative) value = -value;
    }
    this.values[index] = value;
    this.present |= 1 << index;
    return i;
  }
}

/** Length of `buf[from, to)` with blank runs folded to one space and trailing blanks dropped. */
function foldedLength(buf: Uint8Array, from: number, to: number): number {
  let length = 0;
  let pendingBlank = false;
  for (let i = from; i < to; i++) {
    if (isBlank(buf[i] as number)) {
      pendingBlank = length > 0;
    } else {
      if (pendingBlank) length++;
      pendingBlank = false;
      length++;
    }
  }
  return length;
}
