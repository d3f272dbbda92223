import type { Database, Statement } from "better-sqlite3";
import type { TemperatureReport } from "../../gcode/responses/types.ts";
import type { Logger } from "../../util/log.ts";
import type { TemperatureSample } from "./types.ts";

/** A heater's samples closer together than this are dropped: the history keeps at most ~1 Hz. */
export const MIN_SAMPLE_INTERVAL_MS = 900;

/**
 * Samples wait in memory and are written in one transaction when the oldest has waited `maxDelayMs`
 * or `maxRows` are waiting, and on close. Fewer, larger commits mean fewer partial flash pages
 * rewritten on an SD card; the price is that a crash loses at most the last `maxDelayMs` of samples.
 */
export interface TemperatureBatching {
  maxDelayMs: number;
  maxRows: number;
}

export const DEFAULT_BATCHING: TemperatureBatching = { maxDelayMs: 5000, maxRows: 500 };

type Row = [at: number, heater: string, actual: number, target: number | null];

/** Temperature samples: one row per heater per sample time, clustered on time. */
export class TemperatureStore {
  readonly #log: Logger;
  readonly #batching: TemperatureBatching;
  readonly #between: Statement<[{ from: number; to: number; heaters: string | null }], TemperatureSample>;
  readonly #insertAll: (rows: readonly Row[]) => void;
  readonly #lastAt = new Map<string, number>();
  #pending: Row[] = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(db: Database, log: Logger, batching: TemperatureBatching) {
    this.#log = log;
    this.#batching = batching;
    this.#between = db.prepare(
      `SELECT at, heater, actual, target FROM temperature_samples
       WHERE at BETWEEN @from AND @to
         AND (@heaters IS NULL OR heater IN (SELECT value FROM json_each(@heaters)))
       ORDER BY at, heater`,
    );
    // OR IGNORE: a clock stepped back (NTP on a Pi without a real-time clock) can repeat a time.
    const insert = db.prepare(
      "INSERT OR IGNORE INTO temperature_samples (at, heater, actual, target) VALUES (?, ?, ?, ?)",
    );
    this.#insertAll = db.transaction((rows: readonly Row[]) => {
      for (const row of rows) insert.run(row);
    });
  }

  /**
   * Queues every heater of `report` at time `at`, except a heater sampled less than
   * MIN_SAMPLE_INTERVAL_MS before, and a reading that is not a finite number. Returns how many
   * samples were queued.
   */
  record(report: TemperatureReport, at: number): number {
    let queued = 0;
    for (const [heater, reading] of Object.entries(report)) {
      if (!Number.isFinite(reading.actual)) continue;
      const last = this.#lastAt.get(heater);
      if (last !== undefined && at >= last && at - last < MIN_SAMPLE_INTERVAL_MS) continue;
      this.#lastAt.set(heater, at);
      const target = reading.target !== null && Number.isFinite(reading.target) ? reading.target : null;
      this.#pending.push([at, heater, reading.actual, target]);
      queued++;
    }
    if (this.#pending.length >= this.#batching.maxRows) this.flush();
    else if (this.#pending.length > 0 && this.#timer === null) {
      this.#timer = setTimeout(() => this.#flushLogged(), this.#batching.maxDelayMs);
      this.#timer.unref();
    }
    return queued;
  }

  /** Writes the queued samples in one transaction. A batch that fails to write is dropped. */
  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const rows = this.#pending;
    if (rows.length === 0) return;
    this.#pending = [];
    this.#insertAll(rows);
  }

  /** Samples with `from <= at <= to`, oldest first, after writing the queued ones. */
  between(from: number, to: number, heaters?: readonly string[]): TemperatureSample[] {
    this.flush();
    return this.#between.all({ from, to, heaters: heaters === undefined ? null : JSON.stringify(heaters) });
  }

  #flushLogged(): void {
    const count = this.#pending.length;
    try {
      this.flush();
    } catch (err) {
      this.#log.error({ err, count }, "temperature samples could not be written and were dropped");
    }
  }
}
