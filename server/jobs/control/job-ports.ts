import type { Printer } from "../../printer/printer.ts";
import type { Logger } from "../../util/log.ts";
import type { Analysis } from "../analysis/analysis-types.ts";
import { DEFAULT_RECOVERY_SETTINGS, type RecoverySettings } from "../recovery/recovery-sequence.ts";
import type { RecoveryStore } from "../recovery/recovery-store.ts";
import type { ModalState } from "./modal-state.ts";

/** The analysis as the job layer reads it (thumbnails are the store's business). */
export type JobAnalysis = Omit<Analysis, "thumbnails">;

/** What the job layer needs of the file store. */
export interface JobFiles {
  /** The stored file's path on disk; rejects NOT_FOUND. */
  absolutePath(file: string): Promise<string>;
  /** Its content hash and analysis (waiting for the analysis when it is still running). */
  describe(file: string): Promise<{ hash: string; analysis: JobAnalysis }>;
}

export type JobResultKind = "done" | "cancelled" | "failed";

/** What the job layer writes to the history. */
export interface JobRecords {
  startJob(job: {
    file: string;
    fileHash: string;
    user: string | null;
    layers: number | null;
    estimatedSeconds: number | null;
    resumedFrom?: number | null;
    startLayer?: number;
  }): number;
  finishJob(jobId: number, outcome: { result: JobResultKind; reason?: string; filamentMm?: number[] }): void;
  recordEvent(event: { kind: string; message: string; jobId?: number | null; data?: object }): void;
}

export interface JobSettings {
  /** Where the pause and cancel scripts park the head, mm. */
  park: { x: number; y: number };
  /** A paused print's nozzle heaters go off after this long (the bed stays warm); 0 = never. */
  coolAfterPauseMs: number;
  /** A recovery point is written at every layer change and at least this often. */
  recoveryIntervalMs: number;
  /** `progress` events this often while a print runs. */
  progressIntervalMs: number;
  /** Decompressed copies of gzip files (the print and its recovery stream from them). */
  cacheDir: string;
  recovery: RecoverySettings;
}

export const DEFAULT_JOB_SETTINGS: Omit<JobSettings, "cacheDir"> = {
  park: { x: 0, y: 200 },
  coolAfterPauseMs: 10 * 60_000,
  recoveryIntervalMs: 10_000,
  progressIntervalMs: 1_000,
  recovery: DEFAULT_RECOVERY_SETTINGS,
};

export interface JobOutcome {
  jobId: number | null;
  file: string;
  result: JobResultKind;
  reason: string | null;
  lines: number;
  seconds: number;
}

export interface JobControllerDeps {
  printer: Printer;
  files: JobFiles;
  records: JobRecords;
  recovery: RecoveryStore;
  settings: JobSettings;
  log: Logger;
  /** Wall clock, ms. */
  clock?: () => number;
}

/** Who paused: the maker, the file (M0/M1/`@pause`), or the firmware (`//action:pause`, M600, runout). */
export type PausedBy = "user" | "file" | "firmware";

export interface StartOptions {
  user?: string | null;
  /** Start at this byte offset (a layer's first line) with this modal state (recovery). */
  startOffset?: number;
  modal?: ModalState;
  /** Lines sent before the file (the recovery sequence). */
  preamble?: string[];
  resumedFrom?: number | null;
  startLayer?: number;
}
