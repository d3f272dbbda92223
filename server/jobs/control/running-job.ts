import { commandCode } from "../../gcode/line.ts";
import type { TemperatureReport } from "../../gcode/responses/types.ts";
import type { RecoveryPoint } from "../recovery/recovery-point.ts";
import { type Eta, estimateRemaining } from "./eta.ts";
import type { JobAnalysis as Analysis } from "./job-ports.ts";
import { applyCommand, copyModalState, type ModalState } from "./modal-state.ts";

export interface JobProgress {
  file: string;
  jobId: number | null;
  /** Bytes of the file acknowledged by the firmware, and the file's size. */
  bytes: number;
  totalBytes: number;
  /** 0–1, by bytes. */
  fraction: number;
  lines: number;
  /** 1-based layer being printed, of `layers`; 0 before the first layer. */
  layer: number;
  layers: number;
  z: number;
  /** Wall-clock seconds since the print started. */
  elapsedSeconds: number;
  /** Seconds spent printing: pauses and heat-up waits excluded. */
  printingSeconds: number;
  eta: Eta;
}

export interface RunningJobInit {
  file: string;
  fileHash: string;
  jobId: number | null;
  analysis: Analysis;
  totalBytes: number;
  /** The file's state at the first line to be sent (a resume starts mid-file). */
  modal: ModalState;
  /** Byte offset of the first line to be sent. */
  startOffset: number;
  startedAt: number;
}

const HEAT_WAITS = new Set(["M109", "M190", "M191"]);
const MOVES = new Set(["G0", "G1", "G2", "G3"]);

/**
 * What the firmware has acknowledged of one print, kept up to date from the send window's `jobAck`
 * events: the modal state as of the last acknowledged line (what a pause restores), the layer, the
 * slicer's `M73 R` countdown, and the time spent printing versus paused or heating.
 */
export class RunningJob {
  readonly init: RunningJobInit;
  readonly modal: ModalState;
  lastAckedRef: number;
  lines = 0;
  /** Net filament pushed per tool by the acknowledged moves, mm. */
  readonly filamentMm: number[] = [];
  /** Index into `analysis.layerIndex` of the layer the last acknowledged line belongs to; -1 before. */
  layer = -1;
  #slicerRemaining: number | null = null;
  #lastAckAt: number;
  #heatSeconds = 0;
  #pausedSeconds = 0;
  #pausedSince: number | null = null;

  constructor(init: RunningJobInit) {
    this.init = init;
    this.modal = copyModalState(init.modal);
    this.lastAckedRef = init.startOffset;
    this.#lastAckAt = init.startedAt;
    this.layer = layerAt(init.analysis, init.startOffset);
  }

  /** Applies an acknowledged line; returns true when it starts a new layer. */
  acknowledged(ref: number, command: string, now: number): boolean {
    this.lines++;
    this.lastAckedRef = ref;
    const code = commandCode(command);
    const eBefore = this.modal.e;
    applyCommand(this.modal, command, code);
    if (code !== null && MOVES.has(code)) {
      const tool = this.modal.tool;
      this.filamentMm[tool] = (this.filamentMm[tool] ?? 0) + (this.modal.e - eBefore);
    }
    if (code !== null && HEAT_WAITS.has(code)) this.#heatSeconds += (now - this.#lastAckAt) / 1000;
    else if (code === "M73") this.#noteM73(command);
    this.#lastAckAt = now;
    const layers = this.init.analysis.layerIndex;
    const next = layers[this.layer + 1];
    if (next !== undefined && ref >= next.byteOffset) {
      this.layer = layerAt(this.init.analysis, ref);
      return true;
    }
    return false;
  }

  pausedAt(now: number): void {
    this.#pausedSince ??= now;
  }

  resumedAt(now: number): void {
    if (this.#pausedSince === null) return;
    this.#pausedSeconds += (now - this.#pausedSince) / 1000;
    this.#pausedSince = null;
    this.#lastAckAt = now;
  }

  progress(now: number): JobProgress {
    const { analysis, totalBytes, startedAt } = this.init;
    const elapsed = (now - startedAt) / 1000;
    const pausedNow = this.#pausedSince === null ? 0 : (now - this.#pausedSince) / 1000;
    const printing = Math.max(0, elapsed - this.#pausedSeconds - pausedNow - this.#heatSeconds);
    const done = this.#estimatedDone();
    const eta = estimateRemaining({
      estimatedTotalSeconds: analysis.estimatedSeconds,
      estimatedDoneSeconds: done,
      // A resumed print counts what came before its start as printed at the model's pace.
      elapsedSeconds: printing + this.#modelledBeforeStart(),
      slicerRemainingSeconds: this.#slicerRemaining,
    });
    return {
      file: this.init.file,
      jobId: this.init.jobId,
      bytes: this.lastAckedRef,
      totalBytes,
      fraction: totalBytes === 0 ? 1 : Math.min(1, this.lastAckedRef / totalBytes),
      lines: this.lines,
      layer: this.layer + 1,
      layers: analysis.layers,
      z: this.modal.z,
      elapsedSeconds: Math.round(elapsed),
      printingSeconds: Math.round(printing),
      eta,
    };
  }

  recoveryPoint(
    state: RecoveryPoint["state"],
    reason: string | null,
    temperatures: TemperatureReport,
    now: number,
  ): RecoveryPoint {
    return {
      version: 1,
      state,
      reason,
      jobId: this.init.jobId,
      file: this.init.file,
      fileHash: this.init.fileHash,
      byteOffset: this.lastAckedRef,
      linesAcknowledged: this.lines,
      layer: Math.max(0, this.layer),
      layerCount: this.init.analysis.layers,
      z: this.modal.z,
      modal: copyModalState(this.modal),
      temperatures,
      startedAt: this.init.startedAt,
      updatedAt: now,
    };
  }

  /** The analysis' estimate of the motion time up to the last acknowledged line. */
  #estimatedDone(): number {
    return estimatedSecondsAt(this.init.analysis, this.lastAckedRef, this.init.totalBytes);
  }

  /** A resumed print starts part-way: the model's time for what came before its first line. */
  #modelledBeforeStart(): number {
    return estimatedSecondsAt(this.init.analysis, this.init.startOffset, this.init.totalBytes);
  }

  /** Prusa/Marlin `M73 P<percent> R<minutes>`; the silent-mode `Q`/`S` pair is ignored. */
  #noteM73(command: string): void {
    const match = /\bR(\d+(?:\.\d+)?)/i.exec(command);
    if (match) this.#slicerRemaining = Number(match[1]) * 60;
  }
}

/** Index of the layer whose first line is at or before `offset`; -1 before the first layer. */
export function layerAt(analysis: Analysis, offset: number): number {
  const layers = analysis.layerIndex;
  let lo = 0;
  let hi = layers.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((layers[mid]?.byteOffset ?? 0) <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * The modelled motion time up to byte `offset`: from the layers' own start times when the analysis
 * has them, interpolated by bytes within the layer; else in proportion to bytes.
 */
export function estimatedSecondsAt(analysis: Analysis, offset: number, totalBytes: number): number {
  const total = analysis.estimatedSeconds;
  if (totalBytes <= 0) return total;
  // Analyses stored before layers had start times lack them: progress by bytes then.
  const layers = analysis.layerIndex as readonly { byteOffset: number; startSeconds?: number }[];
  if (layers[0]?.startSeconds === undefined) return (total * Math.min(offset, totalBytes)) / totalBytes;
  const index = layerAt(analysis, offset);
  // Before the first layer (start G-code) the segment runs from the file's start at 0 s.
  const here = layers[index] ?? { byteOffset: 0, startSeconds: 0 };
  const next = layers[index + 1];
  const startSeconds = here.startSeconds ?? 0;
  const endOffset = next?.byteOffset ?? totalBytes;
  const endSeconds = next?.startSeconds ?? total;
  const span = Math.max(1, endOffset - here.byteOffset);
  return (
    startSeconds + ((endSeconds - startSeconds) * (Math.min(offset, endOffset) - here.byteOffset)) / span
  );
}
