import type { Scheduler, Timer } from "./scheduler.ts";

export interface WireConfig {
  /** Line rate in bytes per second (8N1: baud / 10); 0 = unlimited. */
  bytesPerSecond: number;
  /** One-way delay added to every byte (USB frames, latency timers), in milliseconds. */
  latencyMs: number;
}

interface InFlight {
  readonly bytes: Buffer;
  /** When the wire became free for this chunk's first byte. */
  readonly txStart: number;
  delivered: number;
}

const LF = 0x0a;

/**
 * One direction of a serial link. Byte i finishes transmission at
 * `max(sent time, previous byte's end) + 1 / bytesPerSecond` and arrives `latencyMs` later.
 *
 * Delivery is scheduled at each line end (and at the end of each chunk); the receiver may pull the
 * bytes of a partial line earlier with `deliverDue()`. An unlimited wire with no latency delivers
 * synchronously and never touches the scheduler.
 */
export class Wire {
  readonly #scheduler: Scheduler;
  readonly #byteMs: number;
  readonly #latencyMs: number;
  readonly #deliver: (bytes: Buffer) => void;
  readonly #queue: InFlight[] = [];
  #txEnd = 0;
  #timer: Timer | undefined;
  #timerAt = Number.NaN;
  #delivering = false;

  constructor(scheduler: Scheduler, config: WireConfig, deliver: (bytes: Buffer) => void) {
    this.#scheduler = scheduler;
    this.#byteMs = config.bytesPerSecond > 0 ? 1000 / config.bytesPerSecond : 0;
    this.#latencyMs = config.latencyMs;
    this.#deliver = deliver;
  }

  /** True when bytes go straight through, synchronously. */
  get immediate(): boolean {
    return this.#byteMs === 0 && this.#latencyMs === 0;
  }

  send(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.immediate) {
      this.#deliver(bytes);
      return;
    }
    const txStart = Math.max(this.#scheduler.now(), this.#txEnd);
    this.#txEnd = txStart + bytes.length * this.#byteMs;
    this.#queue.push({ bytes, txStart, delivered: 0 });
    this.#arm();
  }

  /** Arrival time of byte `index` of a chunk whose transmission starts at `txStart`. */
  arrivalTime(txStart: number, index: number): number {
    return txStart + (index + 1) * this.#byteMs + this.#latencyMs;
  }

  /** When the last byte handed to the wire will have left the sender. */
  get transmittedAt(): number {
    return this.#txEnd;
  }

  /** Bytes handed to the wire but not yet transmitted, at the scheduler's current time. */
  backlog(): number {
    if (this.#byteMs === 0) return 0;
    return Math.max(0, Math.ceil((this.#txEnd - this.#scheduler.now()) / this.#byteMs - 1e-9));
  }

  /** Delivers every byte that has arrived by now. */
  deliverDue(): void {
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      const now = this.#scheduler.now();
      while (this.#queue.length > 0) {
        const chunk = this.#queue[0] as InFlight;
        const due = this.#dueCount(chunk, now);
        if (due > chunk.delivered) {
          const part = chunk.bytes.subarray(chunk.delivered, due);
          chunk.delivered = due;
          this.#deliver(part);
        }
        if (chunk.delivered < chunk.bytes.length) break;
        this.#queue.shift();
      }
    } finally {
      this.#delivering = false;
    }
    this.#arm();
  }

  /** Drops the bytes not yet transmitted (a host `flush()` of its output queue). */
  discardUntransmitted(): void {
    const now = this.#scheduler.now();
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const chunk = this.#queue[i] as InFlight;
      const sent =
        this.#byteMs === 0 ? chunk.bytes.length : Math.ceil((now - chunk.txStart) / this.#byteMs - 1e-9);
      const keep = Math.max(chunk.delivered, Math.min(chunk.bytes.length, Math.max(0, sent)));
      if (keep <= chunk.delivered) this.#queue.splice(i, 1);
      else if (keep < chunk.bytes.length) this.#queue[i] = { ...chunk, bytes: chunk.bytes.subarray(0, keep) };
    }
    this.#txEnd = Math.min(this.#txEnd, Math.max(now, this.#lastByteEnd()));
    this.#arm();
  }

  /** Forgets everything in flight (the link dropped). */
  clear(): void {
    this.#queue.length = 0;
    this.#txEnd = 0;
    this.#cancelTimer();
  }

  #lastByteEnd(): number {
    const last = this.#queue[this.#queue.length - 1];
    return last === undefined ? 0 : last.txStart + last.bytes.length * this.#byteMs;
  }

  #dueCount(chunk: InFlight, now: number): number {
    const elapsed = now - this.#latencyMs - chunk.txStart;
    if (this.#byteMs === 0) return elapsed >= 0 ? chunk.bytes.length : 0;
    return Math.min(chunk.bytes.length, Math.max(0, Math.floor(elapsed / this.#byteMs + 1e-9)));
  }

  #arm(): void {
    const chunk = this.#queue[0];
    if (chunk === undefined) {
      this.#cancelTimer();
      return;
    }
    const lf = chunk.bytes.indexOf(LF, chunk.delivered);
    const last = lf === -1 ? chunk.bytes.length - 1 : lf;
    const at = this.arrivalTime(chunk.txStart, last);
    if (this.#timer !== undefined && this.#timerAt === at) return;
    this.#cancelTimer();
    this.#timerAt = at;
    this.#timer = this.#scheduler.at(at, () => {
      this.#timer = undefined;
      this.#timerAt = Number.NaN;
      this.deliverDue();
    });
  }

  #cancelTimer(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = Number.NaN;
  }
}
