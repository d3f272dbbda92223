/** A timer handle: cancelling is idempotent and safe after the timer fired. */
export interface Timer {
  cancel(): void;
}

interface Entry extends Timer {
  readonly time: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** A binary min-heap of timers ordered by (time, insertion order); cancelled entries drop out lazily. */
export class TimerHeap {
  readonly #items: Entry[] = [];
  #seq = 0;

  get size(): number {
    return this.#items.length;
  }

  push(time: number, callback: () => void): Timer {
    const entry: Entry = {
      time,
      seq: this.#seq++,
      callback,
      cancelled: false,
      cancel() {
        this.cancelled = true;
      },
    };
    const items = this.#items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, items[parent] as Entry)) break;
      items[i] = items[parent] as Entry;
      i = parent;
    }
    items[i] = entry;
    return entry;
  }

  /** Time of the earliest live timer, or undefined. */
  peekTime(): number | undefined {
    this.#dropCancelled();
    return this.#items[0]?.time;
  }

  /** Removes and returns the earliest live timer due at `now`, or undefined. */
  popDue(now: number): (() => void) | undefined {
    this.#dropCancelled();
    const first = this.#items[0];
    if (first === undefined || first.time > now) return undefined;
    this.#pop();
    first.cancelled = true;
    return first.callback;
  }

  clear(): void {
    for (const entry of this.#items) entry.cancelled = true;
    this.#items.length = 0;
  }

  #dropCancelled(): void {
    while (this.#items.length > 0 && (this.#items[0] as Entry).cancelled) this.#pop();
  }

  #pop(): void {
    const items = this.#items;
    const last = items.pop() as Entry;
    if (items.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child =
        right < items.length && before(items[right] as Entry, items[left] as Entry) ? right : left;
      if (!before(items[child] as Entry, last)) break;
      items[i] = items[child] as Entry;
      i = child;
    }
    items[i] = last;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
