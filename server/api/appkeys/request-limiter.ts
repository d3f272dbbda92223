import { HostError } from "../../util/errors.ts";

/** At most `count` requests per `windowMs`. */
export interface RateWindow {
  count: number;
  windowMs: number;
}

/** How many addresses are tracked at most; the least recently seen is forgotten first. */
const MAX_ADDRESSES = 1024;

/**
 * Sliding-window rate limits per client address, in memory, bounded in size. OctoPrint limits app
 * key requests to "3/minute;5/10 minutes;10/hour" per address.
 */
export class RequestLimiter {
  readonly #windows: readonly RateWindow[];
  readonly #longest: number;
  readonly #seen = new Map<string, number[]>();

  constructor(windows: readonly RateWindow[]) {
    this.#windows = windows;
    this.#longest = Math.max(0, ...windows.map((w) => w.windowMs));
  }

  /** Counts a request from `address` at `now`, or throws THROTTLED with `retryAfterSeconds`. */
  take(address: string, now: number, what: string): void {
    const recent = (this.#seen.get(address) ?? []).filter((t) => now - t < this.#longest);
    for (const { count, windowMs } of this.#windows) {
      const inWindow = recent.filter((t) => now - t < windowMs);
      const oldest = inWindow[0];
      if (inWindow.length >= count && oldest !== undefined) {
        const retryAfterSeconds = Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
        throw new HostError("THROTTLED", `too many ${what}: try again in ${retryAfterSeconds} s`, {
          retryAfterSeconds,
        });
      }
    }
    recent.push(now);
    this.#seen.delete(address);
    this.#seen.set(address, recent);
    if (this.#seen.size > MAX_ADDRESSES) {
      const first = this.#seen.keys().next();
      if (first.done !== true) this.#seen.delete(first.value);
    }
  }
}
