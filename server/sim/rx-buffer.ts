/**
 * The UART receive ring (Marlin AVR: `RX_BUFFER_SIZE` 128, `Marlin/src/HAL/AVR/MarlinSerial.cpp`
 * `store_rxd_char()`): a byte that arrives while the ring is full is dropped, exactly like hardware.
 */
export class RxBuffer {
  readonly #data: Uint8Array;
  #head = 0;
  #length = 0;

  constructor(capacity: number) {
    this.#data = new Uint8Array(capacity);
  }

  get length(): number {
    return this.#length;
  }

  get free(): number {
    return this.#data.length - this.#length;
  }

  /** Stores up to `count` bytes of `src` from `offset`; returns how many fitted. */
  write(src: Uint8Array, offset: number, count: number): number {
    const data = this.#data;
    const n = Math.min(count, data.length - this.#length);
    let tail = (this.#head + this.#length) % data.length;
    for (let i = 0; i < n; i++) {
      data[tail] = src[offset + i] as number;
      tail = tail + 1 === data.length ? 0 : tail + 1;
    }
    this.#length += n;
    return n;
  }

  /** The oldest byte; the caller checks `length > 0` first. */
  shift(): number {
    const c = this.#data[this.#head] as number;
    this.#head = this.#head + 1 === this.#data.length ? 0 : this.#head + 1;
    this.#length--;
    return c;
  }

  clear(): void {
    this.#head = 0;
    this.#length = 0;
  }
}
