import { createWriteStream, type WriteStream } from "node:fs";
import { finished } from "node:stream/promises";

/** Every executed command, in order: in memory and/or streamed to a file, one per line. */
export class Recorder {
  readonly lines: string[] = [];
  readonly #file: string | null;
  readonly #inMemory: boolean;
  #stream: WriteStream | undefined;
  #pending = "";

  constructor(options: { file: string | null; inMemory: boolean }) {
    this.#file = options.file;
    this.#inMemory = options.inMemory;
  }

  start(): void {
    if (this.#file !== null && this.#stream === undefined) this.#stream = createWriteStream(this.#file);
  }

  record(command: string): void {
    if (this.#inMemory) this.lines.push(command);
    if (this.#stream !== undefined) this.#pending += `${command}\n`;
  }

  /** Hands what was recorded since the last flush to the file stream. */
  flush(): void {
    if (this.#pending === "" || this.#stream === undefined) return;
    this.#stream.write(this.#pending);
    this.#pending = "";
  }

  /** Flushes and closes the file; resolves once it is on disk. */
  async close(): Promise<void> {
    const stream = this.#stream;
    if (stream === undefined) return;
    this.flush();
    this.#stream = undefined;
    stream.end();
    await finished(stream);
  }
}
