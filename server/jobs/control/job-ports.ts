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

/** One time-lapse frame the job layer asks for, with the head parked (a stabilized capture). */
export interface CaptureRequest {
  jobId: number | null;
  /** 1-based layer just finished. */
  layer: number;
  /** Its height, mm. */
  z: number;
}

/** What the job layer needs of the camera: a frame, taken while the stream waits for it. */
export interface JobCamera {
  /** Resolves once the frame is taken or has failed for good (a failure is the camera's to report). */
  capture(request: CaptureRequest): Promise<void>;
}

/**
 * Stabilized time-lapse (Octolapse-style, no slicer setup): at each layer change the stream is held,
 * the head retracts, hops, parks and stops (M400), the camera takes its frame, and the head returns
 * and unretracts before the layer's first line, so every frame shows the part with the head away.
 */
export interface StabilizeSettings {
  park: { x: number; y: number };
  /** Filament pulled back while parked, mm (0: none). */
  retractMm: number;
  /** Lift before the park move, mm. */
  zHopMm: number;
  /** Park and return moves, mm/min. */
  travelFeedrate: number;
  /** The print goes on without the frame after this long. */
  captureTimeoutMs: number;
}

export const DEFAULT_STABILIZE: Omit<StabilizeSettings, "park"> = {
  retractMm: 1,
  zHopMm: 0.4,
  travelFeedrate: 9000,
  captureTimeoutMs: 10_000,
};

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
  /** Stabilized time-lapse frames at each layer change; null: off. */
  stabilize: StabilizeSettings | null;
}

export const DEFAULT_JOB_SETTINGS: Omit<JobSettings, "cacheDir"> = {
  park: { x: 0, y: 200 },
  coolAfterPauseMs: 10 * 60_000,
  recoveryIntervalMs: 10_000,
  progressIntervalMs: 1_000,
  recovery: DEFAULT_RECOVERY_SETTINGS,
  stabilize: null,
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
  /** Takes stabilized time-lapse frames; absent: stabilization is never on. */
  camera?: JobCamera;
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
