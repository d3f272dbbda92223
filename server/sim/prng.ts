/**
 * mulberry32, a 32-bit seeded generator: the same seed gives the same faults on every run, so a
 * failing test can be replayed. Not for anything cryptographic.
 */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability `ratio`; draws nothing when the ratio is 0, so disabled faults cost nothing. */
  chance(ratio: number): boolean {
    return ratio > 0 && this.next() < ratio;
  }
}
