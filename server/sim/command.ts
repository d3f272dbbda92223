/**
 * A validated line in the command queue, and its parsed form at execution time
 * (`Marlin/src/gcode/parser.cpp` `GCodeParser::parse()`: the line number is skipped, the command
 * ends before `*` and the blanks in front of it; letters are case-insensitive).
 */
export interface QueuedCommand {
  /** The line as stored in the queue, leading blanks removed (`N12 G1 X5*86`). */
  readonly line: string;
  readonly lineNumber: number | null;
}

export interface ParsedCommand {
  /** `G1 X5`: no line number, no checksum, trimmed. What the recording stores. */
  readonly text: string;
  /** `G`, `M`, `T`, or another byte for something that is not a command. */
  readonly letter: string;
  /** The code number, or -1 when there is none. */
  readonly code: number;
  /** Everything after the code, trimmed (M23/M117/M118 take it as their string). */
  readonly args: string;
}

export function commandText(line: string): string {
  let start = 0;
  if (line.charCodeAt(0) === 0x4e && isSignedDigit(line.charCodeAt(1))) {
    start = 2;
    while (isDigit(line.charCodeAt(start))) start++;
  }
  const star = line.indexOf("*", start);
  return (star === -1 ? line.slice(start) : line.slice(start, star)).trim();
}

export function parseCommand(line: string): ParsedCommand {
  const text = commandText(line);
  const letter = (text[0] ?? "").toUpperCase();
  let i = 1;
  while (text.charCodeAt(i) === 0x20) i++;
  let code = -1;
  if (isDigit(text.charCodeAt(i))) {
    code = 0;
    while (isDigit(text.charCodeAt(i))) code = code * 10 + text.charCodeAt(i++) - 0x30;
    if (text.charCodeAt(i) === 0x2e) {
      i++;
      while (isDigit(text.charCodeAt(i))) i++;
    }
  }
  return { text, letter, code, args: text.slice(i).trim() };
}

/**
 * Parameter values of the command being executed: one reusable scratch (commands run one at a
 * time), filled by a single scan. `X10 Y-2.5 E.4 S` → X=10, Y=-2.5, E=0.4, S present without value.
 */
export class Params {
  readonly #values = new Float64Array(26);
  #seen = 0;
  #valued = 0;

  parse(args: string): this {
    this.#seen = 0;
    this.#valued = 0;
    const n = args.length;
    let i = 0;
    while (i < n) {
      const letter = (args.charCodeAt(i) & ~0x20) - 0x41;
      i++;
      if (letter < 0 || letter > 25) continue;
      while (args.charCodeAt(i) === 0x20) i++;
      const end = scanNumber(args, i);
      this.#seen |= 1 << letter;
      if (end > i) {
        this.#values[letter] = Number(args.slice(i, end));
        this.#valued |= 1 << letter;
        i = end;
      }
    }
    return this;
  }

  has(letter: string): boolean {
    return (this.#seen & (1 << index(letter))) !== 0;
  }

  /** The value, or `fallback` when the parameter is absent or has no number. */
  num(letter: string, fallback: number): number {
    const k = index(letter);
    return (this.#valued & (1 << k)) !== 0 ? (this.#values[k] as number) : fallback;
  }

  /** The value when present with a number, else undefined. */
  value(letter: string): number | undefined {
    const k = index(letter);
    return (this.#valued & (1 << k)) !== 0 ? this.#values[k] : undefined;
  }
}

function index(letter: string): number {
  return letter.charCodeAt(0) - 0x41;
}

/** End of a float literal starting at `i` (`-1.5`, `+.4`, `12.`); `i` itself when there is none. */
function scanNumber(s: string, i: number): number {
  let j = i;
  const c = s.charCodeAt(j);
  if (c === 0x2d || c === 0x2b) j++;
  let digits = 0;
  while (isDigit(s.charCodeAt(j))) {
    j++;
    digits++;
  }
  if (s.charCodeAt(j) === 0x2e) {
    j++;
    while (isDigit(s.charCodeAt(j))) {
      j++;
      digits++;
    }
  }
  return digits > 0 ? j : i;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isSignedDigit(c: number): boolean {
  return isDigit(c) || c === 0x2d;
}
