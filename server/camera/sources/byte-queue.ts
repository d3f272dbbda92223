const EMPTY = Buffer.alloc(0);
/** Capacity kept after the queue empties; a larger buffer (left by a big frame) is let go. */
const KEEP_BYTES = 256 * 1024;

/**
 * Bytes appended at the end and consumed from the front, in one contiguous buffer that grows by
 * doubling: appending n chunks costs O(total bytes), not O(n²) as repeated Buffer.concat would.
 */
export class ByteQueue {
  #buf: Buffer = EMPTY;
  #start = 0;
  #end = 0;

  get length(): number {
    return this.#end - this.#start;
  }

  /** The queued bytes; valid until the next append or consume. */
  view(): Buffer {
    return this.#buf.subarray(this.#start, this.#end);
  }

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.#end + chunk.length > this.#buf.length) this.#make(this.length + chunk.length);
    this.#buf.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  consume(n: number): void {
    this.#start += Math.min(n, this.length);
    if (this.#start === this.#end) this.clear();
  }

  clear(): void {
    this.#start = 0;
    this.#end = 0;
    if (this.#buf.length > KEEP_BYTES) this.#buf = EMPTY;
  }

  /** Room for `needed` bytes from offset 0: moves the queued bytes down, into a larger buffer if need be. */
  #make(needed: number): void {
    const target =
      needed <= this.#buf.length
        ? this.#buf
        : Buffer.allocUnsafe(Math.max(needed, this.#buf.length * 2, 4096));
    this.#buf.copy(target, 0, this.#start, this.#end);
    this.#end -= this.#start;
    this.#start = 0;
    this.#buf = target;
  }
}
