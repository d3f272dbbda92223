import type { Logger } from "../../util/log.ts";

/**
 * Runs analyses one at a time, in order (the Pi has few cores and the printer comes first), and keeps
 * at most one queued job per content hash.
 */
export class AnalysisQueue {
  readonly #run: (hash: string) => Promise<void>;
  readonly #log: Logger;
  readonly #queued = new Map<string, Promise<void>>();
  #tail: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(run: (hash: string) => Promise<void>, log: Logger) {
    this.#run = run;
    this.#log = log;
  }

  /** Queues `hash` unless it is already queued or running, or the queue was stopped. */
  enqueue(hash: string): void {
    if (this.#stopped || this.#queued.has(hash)) return;
    const job = this.#tail
      .then(() => this.#run(hash))
      .catch((err: unknown) => this.#log.error({ hash, err }, "analysis job failed"))
      .finally(() => this.#queued.delete(hash));
    this.#queued.set(hash, job);
    this.#tail = job;
  }

  isQueued(hash: string): boolean {
    return this.#queued.has(hash);
  }

  /** Resolves when the job of `hash` is done (at once if none is queued). */
  async whenDone(hash: string): Promise<void> {
    await this.#queued.get(hash);
  }

  /** Refuses new jobs and waits for the queued ones; a running analysis cannot be interrupted. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#tail;
  }
}
