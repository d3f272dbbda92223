import { setImmediate as nextTurn } from "node:timers/promises";
import type { Database, Statement } from "better-sqlite3";
import type { PruneResult, RetentionDays } from "./types.ts";

export const DEFAULT_RETENTION: RetentionDays = { temperatures: 7, events: 30 };

/** Rows deleted per transaction: a few milliseconds of work on a Pi before the event loop runs again. */
export const PRUNE_BATCH_ROWS = 2000;

const DAY_MS = 86_400_000;

/**
 * Deletes temperature samples and events older than their retention; jobs are kept. Works oldest
 * first in transactions of PRUNE_BATCH_ROWS rows and yields to the event loop between them. Freed
 * pages are reused by later inserts; the file is not vacuumed (that rewrites it whole).
 */
export class Retention {
  readonly #days: RetentionDays;
  readonly #deleteSamples: Statement<[number, number]>;
  readonly #deleteEvents: Statement<[number, number]>;

  constructor(db: Database, days: RetentionDays) {
    this.#days = days;
    this.#deleteSamples = db.prepare(
      `DELETE FROM temperature_samples WHERE (at, heater) IN
         (SELECT at, heater FROM temperature_samples WHERE at < ? ORDER BY at LIMIT ?)`,
    );
    this.#deleteEvents = db.prepare(
      "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE at < ? ORDER BY at LIMIT ?)",
    );
  }

  /** Stops early, with what it deleted so far, once `stillOpen()` turns false between batches. */
  async prune(now: number, stillOpen: () => boolean): Promise<PruneResult> {
    const temperatures = await drain(this.#deleteSamples, now - this.#days.temperatures * DAY_MS, stillOpen);
    const events = await drain(this.#deleteEvents, now - this.#days.events * DAY_MS, stillOpen);
    return { temperatures, events };
  }
}

async function drain(
  statement: Statement<[number, number]>,
  before: number,
  stillOpen: () => boolean,
): Promise<number> {
  let deleted = 0;
  while (stillOpen()) {
    const { changes } = statement.run(before, PRUNE_BATCH_ROWS);
    deleted += changes;
    if (changes < PRUNE_BATCH_ROWS) break;
    await nextTurn();
  }
  return deleted;
}
