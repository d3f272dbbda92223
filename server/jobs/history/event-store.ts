import type { Database, Statement } from "better-sqlite3";
import { HostError } from "../../util/errors.ts";
import type { Logger } from "../../util/log.ts";
import type { EventInput, EventRecord } from "./types.ts";

interface EventRow {
  id: number;
  at: number;
  kind: string;
  message: string;
  job_id: number | null;
  data: string | null;
}

/**
 * The printer's event log: connections, firmware, errors, job milestones. Events outlive the job
 * records they mention: deleting a job sets their `jobId` to null.
 */
export class EventStore {
  readonly #log: Logger;
  readonly #insert: Statement;
  readonly #jobExists: Statement<[number], { id: number }>;
  readonly #between: Statement<[{ from: number; to: number; kinds: string | null }], EventRow>;
  readonly #forJob: Statement<[number], EventRow>;

  constructor(db: Database, log: Logger) {
    this.#log = log;
    this.#insert = db.prepare(
      "INSERT INTO events (at, kind, message, job_id, data) VALUES (@at, @kind, @message, @jobId, @data)",
    );
    this.#jobExists = db.prepare("SELECT id FROM jobs WHERE id = ?");
    this.#between = db.prepare(
      `SELECT * FROM events
       WHERE at BETWEEN @from AND @to
         AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds)))
       ORDER BY at, id`,
    );
    this.#forJob = db.prepare("SELECT * FROM events WHERE job_id = ? ORDER BY at, id");
  }

  /** Returns the event's id. Throws HostError NOT_FOUND for a `jobId` the history does not have. */
  record(event: EventInput, now: number): number {
    const jobId = event.jobId ?? null;
    if (jobId !== null) this.requireJob(jobId);
    const { lastInsertRowid } = this.#insert.run({
      at: event.at ?? now,
      kind: event.kind,
      message: event.message,
      jobId,
      data: event.data === undefined ? null : this.#json(event),
    });
    return Number(lastInsertRowid);
  }

  /** Events with `from <= at <= to`, oldest first, optionally of some kinds only. */
  between(from: number, to: number, kinds?: readonly string[]): EventRecord[] {
    return this.#between
      .all({ from, to, kinds: kinds === undefined ? null : JSON.stringify(kinds) })
      .map(toRecord);
  }

  forJob(jobId: number): EventRecord[] {
    this.requireJob(jobId);
    return this.#forJob.all(jobId).map(toRecord);
  }

  requireJob(jobId: number): void {
    if (this.#jobExists.get(jobId) === undefined)
      throw new HostError("NOT_FOUND", `no job ${jobId} in the history`, { jobId });
  }

  /** Data that JSON cannot hold (a cycle, a BigInt) is replaced by a note, so the event is kept. */
  #json(event: EventInput): string {
    try {
      return JSON.stringify(event.data);
    } catch (err) {
      this.#log.warn({ err, kind: event.kind }, "event data is not JSON; stored without it");
      return JSON.stringify({ unserialisable: (err as Error).message });
    }
  }
}

function toRecord(row: EventRow): EventRecord {
  return {
    id: row.id,
    at: row.at,
    kind: row.kind,
    message: row.message,
    jobId: row.job_id,
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
  };
}
