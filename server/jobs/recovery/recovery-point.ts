import type { TemperatureReport } from "../../gcode/responses/types.ts";
import type { ModalState } from "../control/modal-state.ts";

/**
 * Where a print stood, written while it runs so that a crash, a power cut or a lost link can be
 * followed by "resume from layer N". One file in the data directory, replaced atomically.
 */
export interface RecoveryPoint {
  version: 1;
  /**
   * `printing`: written by a running print. Found at start-up it means the daemon died mid-print.
   * `interrupted`: the print stopped on a fault (link lost, firmware reset or halt); `reason` says which.
   */
  state: "printing" | "interrupted";
  reason: string | null;
  /** The history record of the print. */
  jobId: number | null;
  /** The file as the store names it, and its content hash (a resume refuses a changed file). */
  file: string;
  fileHash: string;
  /** Byte offset of the last line the firmware acknowledged. */
  byteOffset: number;
  linesAcknowledged: number;
  /** 0-based index into the analysis' layers of the layer that line belongs to. */
  layer: number;
  layerCount: number;
  /** The nozzle's height at that line (the file's Z), mm: what a resume sets with G92. */
  z: number;
  /** Modes, position, fan, feedrate, tool and heater targets as of that line. */
  modal: ModalState;
  /** The last temperature report. */
  temperatures: TemperatureReport;
  startedAt: number;
  updatedAt: number;
}
