import type { EventRecord, JobRecord } from "../../jobs/history/types.ts";
import type { TemperatureSampleDto } from "./printer.ts";

/** Print history and the event log (/api/v1/history). */

/** A job record; unlike the stored one, `startLayer` is 1-based and the time-lapse's server path is left out. */
export interface HistoryJobDto extends Omit<JobRecord, "startLayer" | "timelapsePath"> {
  /** 1-based layer the job started at (1 for a fresh print). */
  startLayer: number;
}

export type EventDto = EventRecord;

export interface HistoryJobResponse {
  job: HistoryJobDto;
  temperatures: TemperatureSampleDto[];
  events: EventDto[];
}
