import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { commandCode, stripComment } from "../../gcode/line.ts";
import type { JobLine, JobSource } from "../../gcode/send-window.ts";

/** Read size. The send window pulls lines synchronously; one read serves about 1,500 lines. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Lines of a file the host acts on instead of sending (OctoPrint's `pausingCommands` and
 * `@commands`, §2.12/§2.14): M0/M1 would block the firmware until a button is pressed, and
 * M25 pauses an SD print, which a host-streamed file is not.
 */
const HOST_PAUSE = new Set(["M0", "M1", "M25"]);

export type SpecialLine =
  /** M0/M1/M25 or `@pause`: not sent; the host pauses before the next line. */
  | "pause"
  /** `@cancel` / `@abort`: not sent; the host cancels. */
  | "cancel"
  /** M600: sent; the firmware parks and waits for the user. */
  | "filament-change"
  /** The first line of a new layer (after the first): sent; called before it is returned. */
  | "layer";

export interface FileJobSourceOptions {
  /** Where to start, a byte offset at the start of a line (0, or a layer's first line). */
  startOffset?: number;
  /**
   * Called as a special line is pulled, before the next line is returned; `previousRef` is the ref
   * of the line returned before it (null at the start).
   */
  special?: (kind: SpecialLine, ref: number, previousRef: number | null) => void;
  /** Byte offsets where layers start (the analysis' layer index), ascending: `layer` specials. */
  layerStarts?: readonly number[];
}

/**
 * A plain G-code file as a print stream: each line's `ref` is its byte offset in the file, so
 * the last acknowledged ref is a position a recovery can restart from. Reads are synchronous
 * because the send window pulls synchronously; memory is one chunk plus a partial line.
 */
export class FileJobSource implements JobSource {
  readonly #path: string;
  readonly #special: (kind: SpecialLine, ref: number, previousRef: number | null) => void;
  #previousRef: number | null = null;
  #fd: number | null = null;
  #buffer: Buffer = Buffer.alloc(0);
  /** File offset of `#buffer[0]`. */
  #bufferStart: number;
  #cursor = 0;
  #eof = false;
  readonly #layerStarts: readonly number[];
  /** Index into `#layerStarts` of the next layer whose first line has not been returned. */
  #nextLayer: number;
  readonly size: number;

  constructor(path: string, options: FileJobSourceOptions = {}) {
    this.#path = path;
    this.#bufferStart = options.startOffset ?? 0;
    this.#special = options.special ?? (() => {});
    this.#layerStarts = options.layerStarts ?? [];
    // A resumed print starting at a layer's first line is not a layer change.
    const start = this.#bufferStart;
    this.#nextLayer = this.#layerStarts.findIndex((offset) => offset > start);
    if (this.#nextLayer === -1) this.#nextLayer = this.#layerStarts.length;
    this.#fd = openSync(path, "r");
    this.size = fstatSync(this.#fd).size;
    if (this.#bufferStart === 0) this.#skipBom();
  }

  get path(): string {
    return this.#path;
  }

  next(): JobLine | null {
    for (;;) {
      const line = this.#readLine();
      if (line === null) return null;
      const command = stripComment(line.text);
      if (command === "") continue;
      const special = classify(command);
      if (special === "host") continue;
      if (special !== null) {
        this.#special(special, line.ref, this.#previousRef);
        if (special !== "filament-change") continue;
      }
      this.#crossLayers(line.ref);
      this.#previousRef = line.ref;
      return { command, ref: line.ref };
    }
  }

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }

  /** A `layer` special when `ref` is the first command at or past the next layer's start. */
  #crossLayers(ref: number): void {
    const starts = this.#layerStarts;
    if (this.#nextLayer >= starts.length || ref < (starts[this.#nextLayer] as number)) return;
    while (this.#nextLayer < starts.length && ref >= (starts[this.#nextLayer] as number)) this.#nextLayer++;
    // The first layer's start is the print's start, not a change.
    if (this.#nextLayer > 1) this.#special("layer", ref, this.#previousRef);
  }

  #readLine(): { text: string; ref: number } | null {
    for (;;) {
      const newline = this.#buffer.indexOf(10, this.#cursor);
      if (newline !== -1) {
        const ref = this.#bufferStart + this.#cursor;
        const text = this.#buffer.toString("latin1", this.#cursor, newline);
        this.#cursor = newline + 1;
        return { text, ref };
      }
      if (this.#eof) {
        if (this.#cursor >= this.#buffer.length) {
          this.close();
          return null;
        }
        const ref = this.#bufferStart + this.#cursor;
        const text = this.#buffer.toString("latin1", this.#cursor);
        this.#cursor = this.#buffer.length;
        return { text, ref };
      }
      this.#refill();
    }
  }

  /** Keeps the partial line, appends the next chunk. */
  #refill(): void {
    const rest = this.#buffer.subarray(this.#cursor);
    const chunk = Buffer.allocUnsafe(rest.length + CHUNK_BYTES);
    rest.copy(chunk, 0);
    const position = this.#bufferStart + this.#buffer.length;
    const read = this.#fd === null ? 0 : readSync(this.#fd, chunk, rest.length, CHUNK_BYTES, position);
    this.#bufferStart += this.#cursor;
    this.#buffer = chunk.subarray(0, rest.length + read);
    this.#cursor = 0;
    if (read === 0) this.#eof = true;
  }

  /** A UTF-8 byte-order mark is not part of the first line. */
  #skipBom(): void {
    this.#refill();
    if (this.#buffer[0] === 0xef && this.#buffer[1] === 0xbb && this.#buffer[2] === 0xbf) this.#cursor = 3;
  }
}

/** `host`: any other `@command`, which is for the host alone and never sent. */
function classify(command: string): SpecialLine | "host" | null {
  if (command.startsWith("@")) {
    const word = command.slice(1).split(" ")[0]?.toLowerCase();
    if (word === "pause") return "pause";
    if (word === "cancel" || word === "abort") return "cancel";
    return "host";
  }
  const code = commandCode(command);
  if (code === null) return null;
  if (HOST_PAUSE.has(code)) return "pause";
  if (code === "M600") return "filament-change";
  return null;
}
