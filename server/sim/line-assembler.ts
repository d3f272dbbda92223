/**
 * Builds one command line from serial bytes like Marlin's `process_stream_char()`
 * (`Marlin/src/gcode/queue.cpp`, default build: no PAREN_COMMENTS, no GCODE_QUOTED_STRINGS):
 * `;` starts a comment that runs to the end of the line, `\` escapes the next byte, backspace
 * erases, and a line keeps at most `MAX_CMD_SIZE - 1` bytes: the rest is dropped silently.
 */
const NORMAL = 0;
const SKIP_TO_EOL = 1;
const ESCAPED = 4;

const BACKSLASH = 0x5c;
const SEMICOLON = 0x3b;
const BACKSPACE = 0x08;

export class LineAssembler {
  readonly #buffer: Buffer;
  readonly #keep: number;
  #count = 0;
  #state = NORMAL;

  constructor(maxLineLength: number) {
    this.#buffer = Buffer.alloc(maxLineLength);
    this.#keep = maxLineLength - 1;
  }

  get length(): number {
    return this.#count;
  }

  push(c: number): void {
    if (this.#state === SKIP_TO_EOL) return;
    if (this.#state >= ESCAPED) this.#state -= ESCAPED;
    else if (c === BACKSLASH) {
      this.#state += ESCAPED;
      return;
    } else if (c === SEMICOLON) {
      this.#state = SKIP_TO_EOL;
      return;
    }
    if (c === BACKSPACE) {
      if (this.#count > 0) this.#count--;
      return;
    }
    this.#buffer[this.#count++] = c;
    if (this.#count >= this.#keep) this.#state = SKIP_TO_EOL;
  }

  /** The finished line (bytes as latin1 characters); the assembler starts a new line. */
  take(): string {
    const line = this.#buffer.toString("latin1", 0, this.#count);
    this.reset();
    return line;
  }

  reset(): void {
    this.#count = 0;
    this.#state = NORMAL;
  }
}
