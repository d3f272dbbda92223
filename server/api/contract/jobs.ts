import type { CurrentJobDto, InterruptedDto, PrinterStateName } from "./printer.ts";

/** The print job and an interrupted print (/api/v1/job, /api/v1/recovery). */

export interface JobResponse {
  state: PrinterStateName;
  job: CurrentJobDto | null;
}

export interface StartJobRequest {
  file: string;
}

/** A print started (201), fresh or resumed. */
export interface StartedJobResponse {
  /** The history record: GET /api/v1/history/jobs/:id. */
  jobId: number;
  file: string;
}

/** A job action was accepted (202): watch `state` (GET /api/v1/job or the push socket). */
export interface JobActionAccepted {
  action: "pause" | "resume" | "cancel";
  state: PrinterStateName;
}

export interface RecoveryResponse {
  interrupted: InterruptedDto | null;
}

export interface ResumeRequest {
  /** 1-based layer to resume from, 1 … layerCount. */
  layer: number;
}
