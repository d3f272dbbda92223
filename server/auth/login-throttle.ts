import { HostError } from "../util/errors.ts";

export interface ThrottleRules {
  /** Failures allowed within `windowMs` before a lockout (default 5). */
  maxFailures: number;
  windowMs: number;
  /** The first lockout (default 1 min); each next one doubles, up to `maxLockoutMs` (default 1 h). */
  lockoutMs: number;
  maxLockoutMs: number;
  /** After this long without a failure or lockout, the lockout length starts again from `lockoutMs` (default 1 h). */
  forgetAfterMs: number;
  /** Keys remembered at most; the oldest are forgotten first (bounds memory under a spray of IPs). */
  maxKeys: number;
}

export const DEFAULT_THROTTLE: Readonly<ThrottleRules> = {
  maxFailures: 5,
  windowMs: 60_000,
  lockoutMs: 60_000,
  maxLockoutMs: 3_600_000,
  forgetAfterMs: 3_600_000,
  maxKeys: 10_000,
};

interface Entry {
  /** Times of failures in the current window. */
  failures: number[];
  /** Attempts started and not yet finished: they count as failures until they end. */
  pending: number;
  lockouts: number;
  lockedUntil: number;
  lastFailureAt: number;
}

/**
 * Counts failed attempts per key (`ip:…`, `user:…`) in memory. `begin` refuses while any key is
 * locked out or has used up its allowance (attempts in flight included, so parallel guesses during
 * a slow hash do not slip through); `end` records the outcome.
 */
export class LoginThrottle {
  readonly #rules: ThrottleRules;
  readonly #entries = new Map<string, Entry>();

  constructor(rules: ThrottleRules) {
    this.#rules = rules;
  }

  /** Throws HostError THROTTLED (details.retryAfterSeconds) or reserves an attempt on every key. */
  begin(keys: readonly string[], now: number): void {
    let retryAfterMs = 0;
    for (const key of keys) {
      const entry = this.#entries.get(key);
      if (entry === undefined) continue;
      this.#expire(entry, now);
      if (entry.lockedUntil > now) retryAfterMs = Math.max(retryAfterMs, entry.lockedUntil - now);
      else if (entry.failures.length + entry.pending >= this.#rules.maxFailures)
        retryAfterMs = Math.max(retryAfterMs, 1000);
    }
    if (retryAfterMs > 0) {
      const retryAfterSeconds = Math.ceil(retryAfterMs / 1000);
      throw new HostError("THROTTLED", `too many failed attempts: try again in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      });
    }
    for (const key of keys) this.#entry(key, now).pending++;
  }

  /**
   * Ends an attempt begun on `keys`. A failure counts on every key and may start a lockout; a success
   * forgets the keys in `forgetOnSuccess` (the account), and leaves the others (the IP) as they are.
   */
  end(keys: readonly string[], ok: boolean, now: number, forgetOnSuccess: readonly string[] = []): void {
    for (const key of keys) {
      const entry = this.#entries.get(key);
      if (entry === undefined) continue;
      entry.pending = Math.max(0, entry.pending - 1);
      if (ok) {
        if (forgetOnSuccess.includes(key)) this.#entries.delete(key);
        continue;
      }
      this.#expire(entry, now);
      entry.failures.push(now);
      entry.lastFailureAt = now;
      if (entry.failures.length >= this.#rules.maxFailures) {
        const { lockoutMs, maxLockoutMs } = this.#rules;
        entry.lockedUntil = now + Math.min(lockoutMs * 2 ** entry.lockouts, maxLockoutMs);
        entry.lockouts++;
        entry.failures = [];
      }
    }
  }

  /** Forgets everything about `key` (e.g. after an admin resets a password). */
  reset(key: string): void {
    this.#entries.delete(key);
  }

  #expire(entry: Entry, now: number): void {
    entry.failures = entry.failures.filter((at) => now - at < this.#rules.windowMs);
    if (this.#idle(entry, now)) entry.lockouts = 0;
  }

  /** No failure and no lockout running for `forgetAfterMs`. */
  #idle(entry: Entry, now: number): boolean {
    return now - Math.max(entry.lastFailureAt, entry.lockedUntil) >= this.#rules.forgetAfterMs;
  }

  #entry(key: string, now: number): Entry {
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      if (this.#entries.size >= this.#rules.maxKeys) this.#evict(now);
      entry = { failures: [], pending: 0, lockouts: 0, lockedUntil: 0, lastFailureAt: 0 };
      this.#entries.set(key, entry);
    }
    return entry;
  }

  /** Drops idle entries; if none is idle, the oldest (Map order is insertion order). */
  #evict(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.pending === 0 && this.#idle(entry, now)) this.#entries.delete(key);
    }
    const oldest = this.#entries.keys().next();
    if (this.#entries.size >= this.#rules.maxKeys && oldest.done !== true) this.#entries.delete(oldest.value);
  }
}
