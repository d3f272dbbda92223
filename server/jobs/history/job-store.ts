import type { Database, Statement } from "better-sqlite3";
import { HostError } from "../../util/errors.ts";
import type { JobFinish, JobQuery, JobRecord, JobResult, JobStart } from "./types.ts";

export const INTERRUPTED_REASON = "interrupted (the daemon stopped)";

type Durably = <A extends unknown[], R>(tx: (...args: A) => R, ...args: A) => R;

interface JobRow {
  id: number;
  file: string;
  file_hash: string;
  user: string | null;
  started_at: number;
  ended_at: number | null;
  duration_ms: number | null;
  result: JobResult | null;
  reason: string | null;
  layers: number | null;
  estimated_seconds: number | null;
  filament_mm: string;
  resumed_from: number | null;
  start_layer: number;
  timelapse_path: string | null;
}

/**
 * The jobs table. Every write commits durably (see `openDatabase`). A job with no end is `running`
 * when this store started it, otherwise `interrupted`: the daemon that started it stopped first.
 */
export class JobStore {
  readonly #durably: Durably;
  readonly #running = new Set<number>();
  readonly #insert: Statement;
  readonly #get: Statement<[number], JobRow>;
  readonly #finish: Statement;
  readonly #setTimelapse: Statement;
  readonly #delete: Statement;
  readonly #list: Statement<[{ any: number; result: string | null; limit: number; offset: number }], JobRow>;
  readonly #count: Statement<[{ any: number; result: string | null }], { n: number }>;
  readonly #open: Statement<[], JobRow>;
  readonly #lastSignOfLife: Statement<[{ since: number }], { at: number | null }>;
  readonly #finishTx: (id: number, finish: JobFinish, now: number) => JobRecord;
  readonly #interruptTx: (now: number, except: ReadonlySet<number>) => number[];

  constructor(db: Database, durably: Durably) {
    this.#durably = durably;
    this.#insert = db.prepare(
      `INSERT INTO jobs (file, file_hash, user, started_at, layers, estimated_seconds, resumed_from, start_layer)
       VALUES (@file, @fileHash, @user, @startedAt, @layers, @estimatedSeconds, @resumedFrom, @startLayer)`,
    );
    this.#get = db.prepare("SELECT * FROM jobs WHERE id = ?");
    this.#finish = db.prepare(
      `UPDATE jobs SET ended_at = @endedAt, duration_ms = max(0, @endedAt - started_at), result = @result,
         reason = @reason, filament_mm = @filamentMm
       WHERE id = @id AND ended_at IS NULL`,
    );
    this.#setTimelapse = db.prepare("UPDATE jobs SET timelapse_path = ? WHERE id = ?");
    this.#delete = db.prepare("DELETE FROM jobs WHERE id = ?");
    // `result IS @result` is NULL-safe: it matches jobs without a result when @result is null.
    this.#list = db.prepare(
      `SELECT * FROM jobs WHERE @any OR result IS @result
       ORDER BY started_at DESC, id DESC LIMIT @limit OFFSET @offset`,
    );
    this.#count = db.prepare("SELECT count(*) AS n FROM jobs WHERE @any OR result IS @result");
    this.#open = db.prepare("SELECT * FROM jobs WHERE ended_at IS NULL ORDER BY started_at, id");
    this.#lastSignOfLife = db.prepare(
      `SELECT max(coalesce((SELECT max(at) FROM temperature_samples WHERE at >= @since), -1),
                  coalesce((SELECT max(at) FROM events WHERE at >= @since), -1)) AS at`,
    );
    this.#finishTx = db.transaction((id: number, finish: JobFinish, now: number) => {
      const row = this.#require(id);
      if (row.ended_at !== null)
        throw new HostError("INVALID_STATE", `job ${id} already ended (${row.result})`, { jobId: id });
      this.#finish.run({
        id,
        endedAt: finish.endedAt ?? now,
        result: finish.result,
        reason: finish.reason ?? null,
        filamentMm: JSON.stringify(checkedFilament(finish.filamentMm ?? [])),
      });
      return this.#record(this.#require(id));
    });
    this.#interruptTx = db.transaction((now: number, except: ReadonlySet<number>) => {
      const closed: number[] = [];
      for (const row of this.#open.all()) {
        if (except.has(row.id) || this.#running.has(row.id)) continue;
        const seen = this.#lastSignOfLife.get({ since: row.started_at })?.at ?? -1;
        const endedAt = seen >= row.started_at ? seen : now;
        this.#finish.run({
          id: row.id,
          endedAt,
          result: "failed",
          reason: INTERRUPTED_REASON,
          filamentMm: "[]",
        });
        closed.push(row.id);
      }
      return closed;
    });
  }

  start(job: JobStart, now: number): number {
    const resumedFrom = job.resumedFrom ?? null;
    if (resumedFrom !== null) this.#require(resumedFrom);
    const { lastInsertRowid } = this.#durably((params) => this.#insert.run(params), {
      file: job.file,
      fileHash: job.fileHash,
      user: job.user,
      startedAt: job.startedAt ?? now,
      layers: job.layers,
      estimatedSeconds: job.estimatedSeconds,
      resumedFrom,
      startLayer: job.startLayer ?? 0,
    });
    const id = Number(lastInsertRowid);
    this.#running.add(id);
    return id;
  }

  finish(id: number, finish: JobFinish, now: number): JobRecord {
    const record = this.#durably(this.#finishTx, id, finish, now);
    this.#running.delete(id);
    return record;
  }

  setTimelapse(id: number, path: string): void {
    this.#require(id);
    this.#durably((p: string, i: number) => this.#setTimelapse.run(p, i), path, id);
  }

  get(id: number): JobRecord | null {
    const row = this.#get.get(id);
    return row === undefined ? null : this.#record(row);
  }

  list(query: JobQuery): JobRecord[] {
    const limit = checkedCount("limit", query.limit);
    const offset = checkedCount("offset", query.offset ?? 0);
    return this.#list.all({ ...filter(query.result), limit, offset }).map((row) => this.#record(row));
  }

  count(result?: JobResult | null): number {
    return this.#count.get(filter(result))?.n ?? 0;
  }

  delete(id: number): void {
    this.#require(id);
    if (this.#running.has(id))
      throw new HostError("BUSY", `job ${id} is running: finish it before deleting its record`, {
        jobId: id,
      });
    this.#durably((i: number) => this.#delete.run(i), id);
  }

  /** Jobs without an end, oldest first: the running one and any the daemon was stopped during. */
  open(): JobRecord[] {
    return this.#open.all().map((row) => this.#record(row));
  }

  /**
   * Ends every interrupted job (no end, not started by this store, not in `except`) as failed. Its end
   * is the last temperature sample or event recorded since it started, or `now` when there is none,
   * so call this at startup before recording anything. Returns the ids ended.
   */
  markInterrupted(now: number, except: Iterable<number>): number[] {
    return this.#durably(this.#interruptTx, now, new Set(except));
  }

  #require(id: number): JobRow {
    const row = this.#get.get(id);
    if (row === undefined) throw new HostError("NOT_FOUND", `no job ${id} in the history`, { jobId: id });
    return row;
  }

  #record(row: JobRow): JobRecord {
    return {
      id: row.id,
      file: row.file,
      fileHash: row.file_hash,
      user: row.user,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      durationMs: row.duration_ms,
      result: row.result,
      status: row.result ?? (this.#running.has(row.id) ? "running" : "interrupted"),
      reason: row.reason,
      layers: row.layers,
      estimatedSeconds: row.estimated_seconds,
      filamentMm: JSON.parse(row.filament_mm) as number[],
      resumedFrom: row.resumed_from,
      startLayer: row.start_layer,
      timelapsePath: row.timelapse_path,
    };
  }
}

function filter(result: JobResult | null | undefined): { any: number; result: string | null } {
  return result === undefined ? { any: 1, result: null } : { any: 0, result };
}

function checkedCount(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

function checkedFilament(mm: readonly number[]): readonly number[] {
  if (mm.some((v) => !Number.isFinite(v) || v < 0))
    throw new RangeError(`filament lengths must be finite and non-negative, got [${mm.join(", ")}]`);
  return mm;
}
