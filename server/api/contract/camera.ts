import type { CameraStatus } from "../../camera/camera-service.ts";
import type { TimelapseConfig } from "../../camera/timelapse/timelapse-config.ts";
import type { UnrenderedSet } from "../../camera/timelapse/timelapse-library.ts";
import type { RenderState } from "../../camera/timelapse/timelapse-service.ts";

/** `GET /api/v1/camera`: the camera's state; the live view is `/api/v1/camera/stream`, a frame `/api/v1/camera/snapshot`. */
export type CameraStatusResponse = CameraStatus & { streamUrl: string; snapshotUrl: string };

/** The time-lapse settings (`GET`/`PUT /api/v1/timelapse/settings`; a PUT sends any subset). */
export type TimelapseSettingsDto = TimelapseConfig;

/** A rendered time-lapse. URLs are relative to the server. */
export interface TimelapseDto {
  name: string;
  bytes: number;
  createdAt: number;
  jobId: number | null;
  file: string | null;
  outcome: "done" | "cancelled" | "failed" | null;
  frames: number | null;
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
  encoder: string | null;
  /** Plays inline (HTTP Range supported). */
  url: string;
  /** The same, as an attachment. */
  downloadUrl: string;
  posterUrl: string | null;
}

export type UnrenderedDto = UnrenderedSet;

/** `GET /api/v1/timelapses`. */
export interface TimelapsesResponse {
  videos: TimelapseDto[];
  /** Frame sets that were not rendered: render or delete them. */
  unrendered: UnrenderedDto[];
  /** Renders running or waiting for the print to end. */
  rendering: RenderState[];
  /** The print being recorded now. */
  recording: { set: string; jobId: number | null; frames: number } | null;
}
