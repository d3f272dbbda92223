import { ByteQueue } from "./byte-queue.ts";
import { isJpeg, JpegEndScanner, MAX_JPEG_BYTES } from "./jpeg.ts";

/*
 * multipart/x-mixed-replace as MJPEG cameras send it (RFC 2046 5.1.1 framing, one JPEG per part).
 * mjpg-streamer (output_http/httpd.c) puts the delimiter after each picture:
 *
 *   Content-Type: multipart/x-mixed-replace;boundary=boundarydonotcross   (HTTP header)
 *   --boundarydonotcross\r\n
 *   Content-Type: image/jpeg\r\nContent-Length: 16697\r\nX-Timestamp: 1700000000.123456\r\n\r\n
 *   <16697 bytes of JPEG>\r\n--boundarydonotcross\r\n
 *   Content-Type: image/jpeg\r\n …
 *
 * ffmpeg's mpjpeg muxer (libavformat/mpjpeg.c, boundary "ffmpeg" by default) puts it before:
 *
 *   --ffmpeg\r\nContent-type: image/jpeg\r\nContent-length: 16697\r\n\r\n<JPEG>\r\n--ffmpeg\r\n …
 *
 * Both are one stream to this parser: find a delimiter line, read the part headers up to the blank
 * line, then take Content-Length bytes, or, without it, walk the JPEG to its EOI (jpeg.ts).
 */

export interface MjpegParserOptions {
  /**
   * The boundary from the Content-Type header, with or without the leading "--" (some cameras
   * declare it with them). Without it, the first line starting with "--" sets it.
   */
  boundary?: string;
  /** A part larger than this is dropped (skipped, never buffered). */
  maxFrameBytes?: number;
  /** A delimiter whose headers do not end within this many bytes is taken for garbage. */
  maxHeaderBytes?: number;
}

const DEFAULT_MAX_HEADER_BYTES = 8 * 1024;
const CRLFCRLF = Buffer.from("\r\n\r\n");
const LFLF = Buffer.from("\n\n");
const DASHES = Buffer.from("--");
const SOI = Buffer.from([0xff, 0xd8]);

type State =
  | { kind: "headers" }
  | { kind: "body"; frame: Buffer; filled: number }
  | { kind: "skip"; remaining: number }
  | { kind: "scan"; scanner: JpegEndScanner | null };

/**
 * Incremental MJPEG demultiplexer: `push` any chunk, get back the JPEGs it completed, byte for byte
 * as sent. Memory is bounded by maxFrameBytes plus one chunk: an oversized part is skipped, and
 * bytes that are neither a delimiter nor a part are discarded as they arrive.
 */
export class MjpegParser {
  readonly #maxFrameBytes: number;
  readonly #maxHeaderBytes: number;
  readonly #queue = new ByteQueue();
  #delimiter: Buffer | null;
  #state: State = { kind: "headers" };
  #frames = 0;
  #dropped = 0;

  constructor(options: MjpegParserOptions = {}) {
    this.#maxFrameBytes = options.maxFrameBytes ?? MAX_JPEG_BYTES;
    this.#maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    this.#delimiter = options.boundary === undefined ? null : delimiterOf(options.boundary);
  }

  /** JPEGs returned so far. */
  get frames(): number {
    return this.#frames;
  }

  /** Parts dropped: too large, not a JPEG, or cut short by the next delimiter. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Bytes held for a part or headers not yet complete (never more than maxFrameBytes plus a chunk). */
  get buffered(): number {
    const state = this.#state;
    return this.#queue.length + (state.kind === "body" ? state.filled : 0);
  }

  push(chunk: Uint8Array): Buffer[] {
    this.#queue.append(chunk);
    const out: Buffer[] = [];
    while (this.#queue.length > 0) {
      const frame = this.#step();
      if (frame === undefined) break;
      if (frame !== null) {
        this.#frames++;
        out.push(frame);
      }
    }
    return out;
  }

  /** Advances one state; undefined when it needs more bytes, a JPEG when one completed, else null. */
  #step(): Buffer | null | undefined {
    const state = this.#state;
    switch (state.kind) {
      case "headers":
        return this.#headers() ? null : undefined;
      case "body":
        return this.#body(state);
      case "skip": {
        const n = Math.min(state.remaining, this.#queue.length);
        this.#queue.consume(n);
        state.remaining -= n;
        if (state.remaining === 0) this.#state = { kind: "headers" };
        return null;
      }
      case "scan":
        return this.#scan(state);
    }
  }

  #headers(): boolean {
    const buf = this.#queue.view();
    const at = this.#findDelimiter(buf);
    if (at === -1) {
      // Keep what could be the start of a delimiter split across chunks.
      const keep = (this.#delimiter ?? DASHES).length - 1;
      this.#queue.consume(Math.max(0, buf.length - keep));
      return false;
    }
    this.#queue.consume(at);
    const part = this.#queue.view();
    const end = headerEnd(part);
    if (end === null) {
      if (part.length <= this.#maxHeaderBytes) return false;
      this.#dropped++;
      this.#queue.consume(DASHES.length);
      return true;
    }
    const lines = part.subarray(0, end.at).toString("latin1").split(/\r?\n/);
    this.#queue.consume(end.at + end.length);
    if (this.#delimiter === null) this.#delimiter = delimiterOf((lines[0] ?? "").trim());
    const headers = parseHeaders(lines.slice(1));
    const type = headers.get("content-type");
    const length = headers.get("content-length");
    const size = length !== undefined && /^\d+$/.test(length) ? Number(length) : null;
    if (
      (type !== undefined && !/^image\/jpeg\b/i.test(type)) ||
      (size !== null && size > this.#maxFrameBytes)
    ) {
      this.#dropped++;
      // Without a length the body is skipped by the search for the next delimiter.
      if (size !== null) this.#state = { kind: "skip", remaining: size };
      return true;
    }
    this.#state =
      size === null
        ? { kind: "scan", scanner: null }
        : { kind: "body", frame: Buffer.allocUnsafe(size), filled: 0 };
    return true;
  }

  #body(state: { frame: Buffer; filled: number }): Buffer | null {
    const buf = this.#queue.view();
    const n = Math.min(state.frame.length - state.filled, buf.length);
    buf.copy(state.frame, state.filled, 0, n);
    this.#queue.consume(n);
    state.filled += n;
    if (state.filled < state.frame.length) return null;
    this.#state = { kind: "headers" };
    if (isJpeg(state.frame)) return state.frame;
    this.#dropped++;
    return null;
  }

  #scan(state: { scanner: JpegEndScanner | null }): Buffer | null | undefined {
    let buf = this.#queue.view();
    if (state.scanner === null) {
      const soi = buf.indexOf(SOI);
      if (soi === -1) {
        if (buf.length <= this.#maxHeaderBytes) return undefined;
        return this.#abandonScan();
      }
      this.#queue.consume(soi);
      buf = this.#queue.view();
      state.scanner = new JpegEndScanner();
    }
    const end = state.scanner.scan(buf);
    if (end === "more") return buf.length > this.#maxFrameBytes ? this.#abandonScan() : undefined;
    if (end === "invalid") {
      // Drop the SOI and look for the next delimiter in what follows it.
      this.#queue.consume(SOI.length);
      return this.#abandonScan();
    }
    const frame = Buffer.from(buf.subarray(0, end));
    this.#queue.consume(end);
    this.#state = { kind: "headers" };
    return frame;
  }

  #abandonScan(): null {
    this.#dropped++;
    this.#state = { kind: "headers" };
    return null;
  }

  /** Where the next delimiter line starts; with no boundary known yet, any line starting with "--". */
  #findDelimiter(buf: Buffer): number {
    if (this.#delimiter !== null) return buf.indexOf(this.#delimiter);
    for (let at = buf.indexOf(DASHES); at !== -1; at = buf.indexOf(DASHES, at + 1))
      if (at === 0 || buf[at - 1] === 0x0a) return at;
    return -1;
  }
}

/** "--" + the boundary without its leading dashes: matches `--b`, and `----b` from a camera that declared `--b`. */
function delimiterOf(boundary: string): Buffer {
  const unquoted = boundary.replace(/^"(.*)"$/, "$1");
  return Buffer.from(`--${unquoted.replace(/^-+/, "")}`, "latin1");
}

/** The blank line ending a part's headers: CRLF CRLF, or LF LF from a sloppy server. */
function headerEnd(part: Buffer): { at: number; length: number } | null {
  const crlf = part.indexOf(CRLFCRLF);
  const lf = part.indexOf(LFLF);
  if (crlf === -1 && lf === -1) return null;
  if (lf === -1 || (crlf !== -1 && crlf < lf)) return { at: crlf, length: CRLFCRLF.length };
  return { at: lf, length: LFLF.length };
}

function parseHeaders(lines: string[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** The boundary parameter of a multipart Content-Type header, or null. */
export function boundaryOf(contentType: string): string | null {
  const match = /;\s*boundary=("[^"]*"|[^;\s]+)/i.exec(contentType);
  return match?.[1] === undefined ? null : match[1].replace(/^"(.*)"$/, "$1");
}
