import type { Database } from "better-sqlite3";
import type { TemperatureReport } from "../../gcode/responses/types.ts";
import { HostError } from "../../util/errors.ts";
import { type Logger, namespaced } from "../../util/log.ts";
import { EventStore } from "./event-store.ts";
import { JobStore } from "./job-store.ts";
import { durableRunner, openDatabase } from "./open-database.ts";
import { DEFAULT_RETENTION, Retention } from "./retention.ts";
import { DEFAULT_BATCHING, type TemperatureBatching, TemperatureStore } from "./temperature-store.ts";
import type {
  EventInput,
  EventRecord,
  JobFinish,
  JobQuery,
  JobRecord,
  JobResult,
  JobStart,
  PruneResult,
  RetentionDays,
  TemperatureSample,
} from "./types.ts";

export interface HistoryDbDeps {
  /** The SQLite file, e.g. `<dataDir>/layerwatch.db`; its folder is created if missing. */
  path: string;
  log: Logger;
  /** ms since the epoch; defaults to Date.now. */
  clock?: () => number;
  /** Days to keep temperature samples (default 7) and events (default 30); jobs are kept. */
  retentionDays?: Partial<RetentionDays>;
  temperatureBatching?: Partial<TemperatureBatching>;
}

interface Opened {
  db: Database;
  jobs: JobStore;
  temperatures: TemperatureStore;
  events: EventStore;
  retention: Retention;
}

/**
 * The job history and records store: print jobs, temperature samples and printer events in one
 * SQLite file (WAL). Construct, `open()`, use, `close()`. Every method but `open` and `close` throws
 * HostError INVALID_STATE while the database is closed.
 */
export class HistoryDb {
  readonly #deps: HistoryDbDeps;
  readonly #log: Logger;
  readonly #clock: () => number;
  #opened: Opened | null = null;

  constructor(deps: HistoryDbDeps) {
    this.#deps = deps;
    this.#log = namespaced(deps.log, "history");
    this.#clock = deps.clock ?? Date.now;
  }

  get isOpen(): boolean {
    return this.#opened !== null;
  }

  /** Opens and migrates the database. Throws HostError DATABASE naming the path when it cannot. */
  open(): void {
    if (this.#opened !== null) throw new HostError("INVALID_STATE", "the history database is already open");
    const db = openDatabase(this.#deps.path, this.#log);
    this.#opened = {
      db,
      jobs: new JobStore(db, durableRunner(db)),
      temperatures: new TemperatureStore(db, this.#log, {
        ...DEFAULT_BATCHING,
        ...this.#deps.temperatureBatching,
      }),
      events: new EventStore(db, this.#log),
      retention: new Retention(db, { ...DEFAULT_RETENTION, ...this.#deps.retentionDays }),
    };
  }

  /** Writes queued temperature samples, then closes. Closing a closed database does nothing. */
  close(): void {
    const opened = this.#opened;
    if (opened === null) return;
    this.#opened = null;
    try {
      opened.temperatures.flush();
      opened.db.pragma("optimize");
    } catch (err) {
      this.#log.error({ err }, "history database: writing before close failed");
    } finally {
      opened.db.close();
    }
  }

  startJob(job: JobStart): number {
    return this.#use().jobs.start(job, this.#clock());
  }

  /** Records how the job ended; its duration is `endedAt − startedAt`. */
  finishJob(jobId: number, finish: JobFinish): JobRecord {
    return this.#use().jobs.finish(jobId, finish, this.#clock());
  }

  setTimelapse(jobId: number, path: string): void {
    this.#use().jobs.setTimelapse(jobId, path);
  }

  getJob(jobId: number): JobRecord | null {
    return this.#use().jobs.get(jobId);
  }

  /** Newest first. */
  listJobs(query: JobQuery): JobRecord[] {
    return this.#use().jobs.list(query);
  }

  countJobs(result?: JobResult | null): number {
    return this.#use().jobs.count(result);
  }

  /** Throws NOT_FOUND for an unknown job and BUSY for the running one. */
  deleteJob(jobId: number): void {
    this.#use().jobs.delete(jobId);
  }

  /** Jobs with no end, oldest first: candidates for recovery or `markInterrupted`. */
  openJobs(): JobRecord[] {
    return this.#use().jobs.open();
  }

  /**
   * Ends every job that an earlier run of the daemon left open, except those in `except` (handed to
   * recovery), as `failed` with the reason "interrupted (the daemon stopped)". Call at startup
   * before recording anything: a job's end is taken from the last sample or event since it started.
   */
  markInterrupted(now: number = this.#clock(), except: Iterable<number> = []): number[] {
    return this.#use().jobs.markInterrupted(now, except);
  }

  /** Queues a sample of every heater in the report (see TemperatureStore); returns how many. */
  recordTemperatures(report: TemperatureReport, at: number = this.#clock()): number {
    return this.#use().temperatures.record(report, at);
  }

  flushTemperatures(): void {
    this.#use().temperatures.flush();
  }

  temperaturesBetween(from: number, to: number, heaters?: readonly string[]): TemperatureSample[] {
    return this.#use().temperatures.between(from, to, heaters);
  }

  /** Samples from the job's start to its end (or now, while it has none). */
  temperaturesForJob(jobId: number): TemperatureSample[] {
    const { jobs, temperatures } = this.#use();
    const job = jobs.get(jobId);
    if (job === null) throw new HostError("NOT_FOUND", `no job ${jobId} in the history`, { jobId });
    return temperatures.between(job.startedAt, job.endedAt ?? this.#clock());
  }

  recordEvent(event: EventInput): number {
    return this.#use().events.record(event, this.#clock());
  }

  eventsBetween(from: number, to: number, kinds?: readonly string[]): EventRecord[] {
    return this.#use().events.between(from, to, kinds);
  }

  eventsForJob(jobId: number): EventRecord[] {
    return this.#use().events.forJob(jobId);
  }

  /**
   * Writes queued samples, then deletes samples and events past their retention, in small batches that let the event loop run
   * between them (run it daily). Stops early if the database is closed meanwhile.
   */
  async prune(now: number = this.#clock()): Promise<PruneResult> {
    const opened = this.#use();
    opened.temperatures.flush();
    const result = await opened.retention.prune(now, () => this.#opened === opened);
    this.#log.info(result, "history pruned");
    return result;
  }

  #use(): Opened {
    if (this.#opened === null) throw new HostError("INVALID_STATE", "the history database is not open");
    return this.#opened;
  }
}
