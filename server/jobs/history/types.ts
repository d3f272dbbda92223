/**
 * Records the history database stores and returns. Times are integer milliseconds since the epoch;
 * ranges are inclusive at both ends.
 */

/** How a job ended. */
export type JobResult = "done" | "cancelled" | "failed";

/**
 * A job's status as listed: its result, or for a job with none, `running` when this process started
 * it and `interrupted` when an earlier run of the daemon did (it died or lost power mid-print).
 */
export type JobStatus = JobResult | "running" | "interrupted";

export interface JobStart {
  file: string;
  fileHash: string;
  user: string | null;
  /** Defaults to the clock. */
  startedAt?: number;
  layers: number | null;
  estimatedSeconds: number | null;
  /** The job this one resumes after a power loss or crash. */
  resumedFrom?: number | null;
  /** The layer printing starts at: 0 for a fresh job, later for a resumed one. */
  startLayer?: number;
}

export interface JobFinish {
  result: JobResult;
  reason?: string;
  /** Filament used per extruder. */
  filamentMm?: number[];
  /** Defaults to the clock. */
  endedAt?: number;
}

export interface JobRecord {
  id: number;
  file: string;
  fileHash: string;
  user: string | null;
  startedAt: number;
  endedAt: number | null;
  /** `endedAt − startedAt` (never negative), null while the job has no end. */
  durationMs: number | null;
  result: JobResult | null;
  status: JobStatus;
  reason: string | null;
  layers: number | null;
  estimatedSeconds: number | null;
  filamentMm: number[];
  resumedFrom: number | null;
  startLayer: number;
  timelapsePath: string | null;
}

export interface JobQuery {
  limit: number;
  offset?: number;
  /** A result, or null for jobs without one (running or interrupted); absent for every job. */
  result?: JobResult | null;
}

export interface TemperatureSample {
  at: number;
  /** The key as the firmware reported it: `T0`, `B`, `C`, … (see `TemperatureReport`). */
  heater: string;
  actual: number;
  target: number | null;
}

/** Event kinds the host records; any other string is allowed for new sources. */
export type EventKind = "connect" | "disconnect" | "error" | "firmware" | "job" | (string & {});

export interface EventInput {
  kind: EventKind;
  message: string;
  jobId?: number | null;
  /** Stored as JSON. */
  data?: object;
  /** Defaults to the clock. */
  at?: number;
}

export interface EventRecord {
  id: number;
  at: number;
  kind: string;
  message: string;
  jobId: number | null;
  data: Record<string, unknown> | null;
}

export interface RetentionDays {
  temperatures: number;
  events: number;
}

export interface PruneResult {
  temperatures: number;
  events: number;
}
