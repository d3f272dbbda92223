import type { HeaterReading, TemperatureReport } from "../../gcode/responses/types.ts";
import type { Eta } from "../../jobs/control/eta.ts";
import type { PausedBy } from "../../jobs/control/job-ports.ts";
import type { JobProgress } from "../../jobs/control/running-job.ts";
import type { FirmwareSummary } from "../../jobs/engine/engine.ts";
import type { TemperatureSample } from "../../jobs/history/types.ts";
import type { RecoveryPoint } from "../../jobs/recovery/recovery-point.ts";
import type { PrinterState } from "../../printer/state-machine.ts";

/** The printer at a glance: state, firmware, temperatures, the running job (/api/v1/printer, /api/v1/job). */

export type PrinterStateName = PrinterState;

/** One heater: °C; `target` null when the firmware reported none; `power` raw (0–127 or 0–255). */
export type HeaterDto = HeaterReading;

/** Keys as the firmware reports them: `T0`, `T1`, … nozzles, `B` bed, `C` chamber, other sensors. */
export type TemperaturesDto = TemperatureReport;

export interface ProfileRef {
  id: string;
  name: string;
}

/** The connected firmware, with its profile by id and name only (the profile's internals stay here). */
export interface FirmwareDto extends Omit<FirmwareSummary, "profile"> {
  profile: ProfileRef;
}

/** The time left (see server/jobs/control/eta.ts), with the moment it points at. */
export interface EtaDto extends Eta {
  /** ms since the epoch, by the server's clock. */
  finishesAt: number;
}

/** The job's progress; unlike JobProgress, `percent` (0–100) in place of `fraction` (0–1), and `eta.finishesAt`. */
export interface ProgressDto extends Omit<JobProgress, "fraction" | "eta"> {
  /** 0–100, by bytes acknowledged, one decimal. */
  percent: number;
  eta: EtaDto;
}

export interface CurrentJobDto {
  file: string;
  /** Who paused it: the maker, the file (M0/M1), the firmware (M600, `//action:pause`); null when not paused. */
  pausedBy: PausedBy | null;
  /** null until the first progress report. */
  progress: ProgressDto | null;
}

/**
 * An interrupted print (daemon killed, power cut, link lost) that can be resumed from a layer; unlike
 * the recovery point, `layer` is 1-based and the resume internals (offsets, modal state) stay here.
 */
export interface InterruptedDto
  extends Pick<
    RecoveryPoint,
    "file" | "jobId" | "state" | "reason" | "layerCount" | "z" | "startedAt" | "updatedAt"
  > {
  /** 1-based layer the print was in, of `layerCount`. */
  layer: number;
}

export interface PrinterStateResponse {
  state: PrinterStateName;
  stateReason: string;
  firmware: FirmwareDto | null;
  temperatures: TemperaturesDto;
  job: CurrentJobDto | null;
  interrupted: InterruptedDto | null;
}

export type TemperatureSampleDto = TemperatureSample;

export interface TemperaturesResponse {
  current: TemperaturesDto;
  /** With `?minutes=N`: samples (about 1 Hz, the last few seconds may still be unwritten), oldest first. */
  history: TemperatureSampleDto[] | null;
}
