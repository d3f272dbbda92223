/**
 * Splits a byte stream into lines at `\n`, dropping a trailing `\r`. Bytes decode as latin1, so
 * garbage on the line (noise at connect, non-UTF-8 bytes) maps one byte to one character and never
 * throws. A partial line waits for the next chunk; an endless line without `\n` is cut at `maxLength`.
 */
export class LineSplitter {
  readonly #onLine: (line: string) => void;
  readonly #maxLength: number;
  #partial = "";

  constructor(onLine: (line: string) => void, maxLength = 4096) {
    this.#onLine = onLine;
    this.#maxLength = maxLength;
  }

  push(chunk: Buffer): void {
    let text = this.#partial + chunk.toString("latin1");
    let start = 0;
    let end = text.indexOf("\n", start);
    while (end !== -1) {
      const cut = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      this.#onLine(text.slice(start, cut));
      start = end + 1;
      end = text.indexOf("\n", start);
    }
    text = text.slice(start);
    if (text.length > this.#maxLength) {
      this.#onLine(text);
      text = "";
    }
    this.#partial = text;
  }
}
