import type { JobProgress } from "../../jobs/control/running-job.ts";
import type { FileEntry } from "../../jobs/files/file-store-types.ts";
import { filamentOf } from "./file-map.ts";

/**
 * `/api/job` in OctoPrint's pre-2.0 shape. Every key is present, null when unknown: Cura reads
 * `job.file.name`, `progress.printTime` and `progress.completion` without checking for them.
 */
export interface OctoJob {
  job: {
    file: {
      name: string | null;
      display: string | null;
      path: string | null;
      origin: "local" | null;
      size: number | null;
      date: number | null;
    };
    estimatedPrintTime: number | null;
    lastPrintTime: number | null;
    filament: Record<string, { length: number; volume: number }> | null;
    user: string | null;
  };
  progress: {
    /** Percent, 0–100. */
    completion: number | null;
    /** Bytes of the file acknowledged. */
    filepos: number | null;
    /** Seconds since the print started. */
    printTime: number | null;
    printTimeLeft: number | null;
    printTimeLeftOrigin: string | null;
  };
  state: string;
  error?: string;
}

export interface JobView {
  /** OctoPrint's state text (state-map.ts). */
  state: string;
  /** The printing or selected file: its path, and its store entry when it still exists. */
  path: string | null;
  entry: FileEntry | null;
  /** The running print's progress; null when none runs or before its first report. */
  progress: JobProgress | null;
  /** Whether a print of `path` runs (progress then starts at 0 rather than null). */
  active: boolean;
  user: string | null;
  /** Why the printer is in error. */
  error: string | null;
}

export function octoJob(view: JobView): OctoJob {
  const { path, entry, progress } = view;
  const name = path === null ? null : (path.split("/").pop() ?? path);
  const analysis = entry?.analysis.status === "ready" ? entry.analysis.analysis : null;
  const body: OctoJob = {
    job: {
      file: {
        name,
        display: name,
        path,
        origin: path === null ? null : "local",
        size: entry?.size ?? null,
        date: entry === null ? null : Math.floor(entry.modifiedMs / 1000),
      },
      estimatedPrintTime: analysis === null ? null : Math.round(analysis.totalSeconds),
      lastPrintTime: null,
      filament: analysis === null ? null : filamentOf(analysis),
      user: view.user,
    },
    progress: progressOf(progress, view.active),
    state: view.state,
  };
  if (view.error !== null) body.error = view.error;
  return body;
}

function progressOf(progress: JobProgress | null, active: boolean): OctoJob["progress"] {
  if (progress === null) {
    const zero = active ? 0 : null;
    return {
      completion: zero,
      filepos: zero,
      printTime: zero,
      printTimeLeft: null,
      printTimeLeftOrigin: null,
    };
  }
  return {
    completion: Math.round(progress.fraction * 100_000) / 1000,
    filepos: progress.bytes,
    printTime: Math.round(progress.elapsedSeconds),
    printTimeLeft: Math.round(progress.eta.remainingSeconds),
    printTimeLeftOrigin: "estimate",
  };
}
