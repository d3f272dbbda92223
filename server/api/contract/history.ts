import type { EventRecord, JobRecord } from "../../jobs/history/types.ts";
import type { TemperatureSampleDto } from "./printer.ts";

/** Print history and the event log (/api/v1/history). */

/** A job record; unlike the stored one, `startLayer` is 1-based and the time-lapse is its video's name and URLs. */
export interface HistoryJobDto extends Omit<JobRecord, "startLayer" | "timelapsePath"> {
  /** 1-based layer the job started at (1 for a fresh print). */
  startLayer: number;
  /** The print's rendered time-lapse, null when it has none (yet). */
  timelapse: { name: string; url: string; posterUrl: string } | null;
}

export type EventDto = EventRecord;

export interface HistoryJobResponse {
  job: HistoryJobDto;
  temperatures: TemperatureSampleDto[];
  events: EventDto[];
}
