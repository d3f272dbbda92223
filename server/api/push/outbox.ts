/**
 * What one push client is owed, kept so that a slow client never grows server memory:
 * - coalesced topics (temperatures, progress, terminal): one pending value per topic, replaced by
 *   newer ones; sent at most once per topic interval, and only while the client's backlog is under
 *   `softBytes`;
 * - immediate messages (state changes, events, snapshots): sent at once while the backlog is under
 *   `hardBytes`; otherwise kept in order, at most `maxPending` of them. One more and they are all
 *   dropped: the client gets a fresh snapshot (which holds the latest state) once it catches up.
 * Nothing is sent after close().
 */

/** A coalesced topic's pending value. */
export interface Slot {
  readonly pending: boolean;
  /** The pending value, after which the slot is empty. Only called while `pending`. */
  take(): unknown;
}

/** Latest value wins. */
export class LatestSlot<T> implements Slot {
  #value: T | undefined;
  #pending = false;

  get pending(): boolean {
    return this.#pending;
  }

  set(value: T): void {
    this.#value = value;
    this.#pending = true;
  }

  take(): T {
    this.#pending = false;
    const value = this.#value as T;
    this.#value = undefined;
    return value;
  }
}

export interface OutboxLimits {
  /** Coalesced topics wait while more than this many bytes are queued for the client. */
  softBytes: number;
  /** Immediate messages wait while more than this many bytes are queued for the client. */
  hardBytes: number;
  /** Immediate messages kept while waiting; one more and they are replaced by a resync. */
  maxPending: number;
  /** How soon waiting messages are tried again, ms. */
  retryMs: number;
}

export interface OutboxDeps {
  send: (name: string, payload: unknown) => void;
  /** Bytes queued for the client and not yet handed to the kernel. */
  backlog: () => number;
  /** The message that replaces dropped immediate messages (a full snapshot). */
  resync: () => { name: string; payload: unknown };
  limits: OutboxLimits;
  /** ms; Date.now by default. */
  now?: () => number;
}

interface Topic {
  name: string;
  intervalMs: number;
  slot: Slot;
  lastSentAt: number;
}

export class Outbox {
  readonly #deps: OutboxDeps;
  readonly #now: () => number;
  readonly #topics: Topic[] = [];
  readonly #queue: { name: string; payload: unknown }[] = [];
  #resync = false;
  #timer: NodeJS.Timeout | null = null;
  #timerAt = Number.POSITIVE_INFINITY;
  #closed = false;
  /** Immediate messages dropped for a resync, since the start (for logs and tests). */
  dropped = 0;

  constructor(deps: OutboxDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Adds a coalesced topic: `slot`'s value is sent as `name` at most once per `intervalMs`. */
  topic(name: string, intervalMs: number, slot: Slot): void {
    this.#topics.push({ name, intervalMs, slot, lastSentAt: Number.NEGATIVE_INFINITY });
  }

  /** A slot has a new value: send what is due. */
  poke(): void {
    this.#pump();
  }

  /** An immediate message. */
  now(name: string, payload: unknown): void {
    if (this.#closed) return;
    if (this.#queue.length === 0 && !this.#resync && this.#deps.backlog() <= this.#deps.limits.hardBytes) {
      this.#deps.send(name, payload);
      return;
    }
    if (this.#queue.length < this.#deps.limits.maxPending) this.#queue.push({ name, payload });
    else {
      this.dropped += this.#queue.length + 1;
      this.#queue.length = 0;
      this.#resync = true;
    }
    this.#pump();
  }

  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    this.#clearTimer();
  }

  #pump(): void {
    if (this.#closed) return;
    const { limits } = this.#deps;
    const t = this.#now();
    let backlog = this.#deps.backlog();
    while (this.#queue.length > 0 && backlog <= limits.hardBytes) {
      const message = this.#queue.shift() as { name: string; payload: unknown };
      this.#deps.send(message.name, message.payload);
      backlog = this.#deps.backlog();
    }
    if (this.#resync && this.#queue.length === 0 && backlog <= limits.hardBytes) {
      this.#resync = false;
      const message = this.#deps.resync();
      this.#deps.send(message.name, message.payload);
      backlog = this.#deps.backlog();
    }
    let next = this.#queue.length > 0 || this.#resync ? t + limits.retryMs : Number.POSITIVE_INFINITY;
    for (const topic of this.#topics) {
      if (!topic.slot.pending) continue;
      const due = topic.lastSentAt + topic.intervalMs;
      if (due > t) next = Math.min(next, due);
      else if (backlog > limits.softBytes) next = Math.min(next, t + limits.retryMs);
      else {
        this.#deps.send(topic.name, topic.slot.take());
        topic.lastSentAt = t;
        backlog = this.#deps.backlog();
      }
    }
    this.#schedule(next, t);
  }

  #schedule(at: number, t: number): void {
    if (at === this.#timerAt) return;
    this.#clearTimer();
    if (at === Number.POSITIVE_INFINITY) return;
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#timerAt = Number.POSITIVE_INFINITY;
      this.#pump();
    }, at - t);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }
}
