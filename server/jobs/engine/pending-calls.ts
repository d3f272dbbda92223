import type { HostError } from "../../util/errors.ts";
import { fromEngineError, type Settled } from "./engine-protocol.ts";

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (err: HostError) => void;
}

/** Requests sent across a thread boundary and not answered yet, by id. */
export class PendingCalls {
  readonly #waiting = new Map<number, Waiter>();
  #nextId = 1;

  get size(): number {
    return this.#waiting.size;
  }

  /** A new id and the promise its answer settles. */
  open<T>(): { id: number; answer: Promise<T> } {
    const id = this.#nextId++;
    const answer = new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
    return { id, answer };
  }

  /** Settles request `id`; an unknown id (already settled or failed) is ignored. */
  settle(id: number, settled: Settled): void {
    const waiter = this.#waiting.get(id);
    if (waiter === undefined) return;
    this.#waiting.delete(id);
    if (settled.ok) waiter.resolve(settled.value);
    else waiter.reject(fromEngineError(settled.error));
  }

  /** Rejects every request still waiting (the other side is gone). */
  rejectAll(err: HostError): void {
    const waiters = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const waiter of waiters) waiter.reject(err);
  }
}
