/**
 * How time-lapses are taken and rendered (the settings page's time-lapse section; the settings store
 * validates it). OctoPrint's names where they overlap (§4 of the notes): `layer` is its `zchange`,
 * detected by the host from the stream it sends, so no slicer macro is needed.
 */
export type TimelapseMode = "off" | "layer" | "timed";
export type PrintOutcome = "done" | "cancelled" | "failed";
export type EncoderChoice = "auto" | "libx264" | "h264_v4l2m2m";

export interface TimelapseConfig {
  mode: TimelapseMode;
  /** Timed mode: seconds between frames. */
  intervalSeconds: number;
  /** No two frames closer than this (layer mode on a vase or tiny layers), seconds. */
  minIntervalSeconds: number;
  /** Layer mode: park the head for each frame (Octolapse-style); off: the frame shows the head where it is. */
  stabilize: boolean;
  /** Where a stabilized frame parks the head; null: the pause park position. */
  park: { x: number; y: number } | null;
  retractMm: number;
  zHopMm: number;
  /** Video frame rate. */
  fps: number;
  /** The last frame held this long at the end of the video, seconds. */
  postRollSeconds: number;
  /** Frames larger than this are scaled down (aspect kept); 1920×1080 keeps H.264 level 4.1. */
  maxWidth: number;
  maxHeight: number;
  /** Which print outcomes are rendered after the print; the others' frames wait as unrendered. */
  renderOn: PrintOutcome[];
  encoder: EncoderChoice;
  /** Capture stops below this much free disk space, MiB. */
  minFreeMiB: number;
  /** Frames never rendered are deleted after this many days. */
  keepUnrenderedDays: number;
}
