/** Receives one line: `buf[start, end)` without its `\n`, at byte `offset` of the stream, `bytes` long with the `\n`. */
export type LineHandler = (buf: Buffer, start: number, end: number, offset: number, bytes: number) => void;

const LF = 0x0a;

/**
 * Splits a byte stream into lines without decoding it. Only a line that straddles two chunks is copied;
 * such a line keeps at most `maxLineBytes` (the rest is dropped but still counted in offsets), so memory
 * stays bounded by one chunk plus one line.
 */
export class LineReader {
  private carry: Buffer | null = null;
  /** Bytes of the straddling line so far, including any dropped beyond `maxLineBytes`. */
  private carryBytes = 0;
  /** Byte offset of the next line. */
  private offset = 0;

  constructor(
    private readonly onLine: LineHandler,
    private readonly maxLineBytes: number,
  ) {}

  /** Bytes consumed so far, the unfinished last line included. */
  get bytes(): number {
    return this.offset + this.carryBytes;
  }

  push(chunk: Buffer): void {
    let start = 0;
    if (this.carry !== null) {
      const nl = chunk.indexOf(LF);
      if (nl === -1) {
        this.appendCarry(chunk);
        return;
      }
      this.appendCarry(chunk.subarray(0, nl));
      this.emitCarry(1);
      start = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) break;
      const bytes = nl + 1 - start;
      this.onLine(chunk, start, nl, this.offset, bytes);
      this.offset += bytes;
      start = nl + 1;
    }
    if (start < chunk.length) this.appendCarry(chunk.subarray(start));
  }

  /** The stream ended: a last line without `\n` is delivered. */
  end(): void {
    if (this.carry !== null) this.emitCarry(0);
  }

  private appendCarry(piece: Buffer): void {
    const kept = this.carry ?? Buffer.alloc(0);
    const room = this.maxLineBytes - kept.length;
    this.carry = room > 0 ? Buffer.concat([kept, piece.subarray(0, room)]) : kept;
    this.carryBytes += piece.length;
  }

  private emitCarry(terminator: number): void {
    const line = this.carry as Buffer;
    const bytes = this.carryBytes + terminator;
    this.carry = null;
    this.carryBytes = 0;
    this.onLine(line, 0, line.length, this.offset, bytes);
    this.offset += bytes;
  }
}
