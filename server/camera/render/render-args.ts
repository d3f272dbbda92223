import { availableParallelism } from "node:os";
import { HostError } from "../../util/errors.ts";
import type { Size } from "./jpeg-size.ts";

/**
 * ffmpeg arguments for time-lapse movies and posters, as pure functions of their settings. The output
 * contract: H.264 in MP4, yuv420p (what phones and browsers decode), High profile, level ≤ 4.1, the moov
 * box before mdat (`+faststart`, so a browser can start playing before the whole file has arrived).
 */

export type H264Encoder = "libx264" | "h264_v4l2m2m";
export type EncoderPreference = "auto" | H264Encoder;

export const DEFAULT_FPS = 25;
export const DEFAULT_MAX_WIDTH = 1920;
export const DEFAULT_MAX_HEIGHT = 1080;
/** The ffmpeg child runs at this niceness so the daemon (serial streaming, web UI) keeps the CPU first. */
export const RENDER_NICENESS = 10;

/**
 * performance-limits §5: on a Cortex-A7, libx264's default preset (medium) took 3:41 at 60 MB RSS and
 * `ultrafast` 0:28.6 at 39 MB. But ultrafast turns CABAC, B-frames and 8x8 transforms off, so its stream is
 * Constrained Baseline, not the Main/High promised above. veryfast keeps those (High profile) and drops
 * most of what makes medium slow (subme 7 → 2, 3 refs → 1, no trellis, lookahead 40 → 10 frames).
 * Measured on this 2-core VM, 250 frames of 1080p testsrc2, 1 thread: medium 9.0 s CPU, veryfast 5.0 s
 * (6.5 MB), ultrafast 7.0 s (19 MB: its larger stream costs more to write than it saves). Peak RSS,
 * veryfast 173 MB, ultrafast 60 MB.
 */
export const X264_PRESET = "veryfast";
/** x264's own default, visually fine for a time-lapse. */
export const X264_CRF = 23;

/** Global options: no banner; no stdin (a daemon's child); a frame that fails to decode fails the render. */
export const GLOBAL_ARGS = ["-hide_banner", "-nostdin", "-xerror"] as const;

/**
 * Encoder threads: one core left to the daemon, at most 2, because each x264 frame thread holds more
 * frames and §5's Pis were OOM-killed rendering 1080p (measured here at 1080p veryfast: 1 thread peaked
 * at 173 MB RSS, 2 at 222 MB, x264's own choice of 3 on 2 cores at 255 MB). Pi 3/4/5/Zero 2: 2; a
 * 2-core machine: 1; a single-core Pi Zero/1: 1.
 */
export function defaultThreads(cores = availableParallelism()): number {
  return Math.max(1, Math.min(2, cores - 1));
}

function even(x: number): number {
  return Math.max(2, 2 * Math.floor(x / 2 + 1e-9));
}

/**
 * The output size for frames of `size` under a `maxWidth`×`maxHeight` cap: aspect kept, never upscaled,
 * both sides rounded down to even (yuv420p subsamples chroma 2×2, so x264 rejects odd sizes).
 */
export function fitWithin(size: Size, maxWidth: number, maxHeight: number): Size {
  const factor = Math.min(1, maxWidth / size.width, maxHeight / size.height);
  return { width: even(size.width * factor), height: even(size.height * factor) };
}

/** H.264 level 4.1 (Table A-1): at most 8192 macroblocks per frame, so no side above 4096 pixels. */
const LEVEL_41_MAX_MACROBLOCKS = 8192;
const LEVEL_41_MAX_SIDE = 4096;

/** INVALID_INPUT when a frame of `size` does not fit level 4.1 (1920×1080 is 8160 macroblocks). */
export function checkLevel41(size: Size): void {
  const macroblocks = Math.ceil(size.width / 16) * Math.ceil(size.height / 16);
  if (macroblocks > LEVEL_41_MAX_MACROBLOCKS || Math.max(size.width, size.height) > LEVEL_41_MAX_SIDE) {
    throw new HostError(
      "INVALID_INPUT",
      `${size.width}x${size.height} is too large for H.264 level 4.1 (at most ${LEVEL_41_MAX_MACROBLOCKS} macroblocks, e.g. 1920x1080): lower maxWidth/maxHeight`,
      { width: size.width, height: size.height },
    );
  }
}

/** Frames tpad adds for `seconds` of post-roll: it rounds `seconds × fps` to the nearest frame. */
export function postRollFrames(seconds: number, fps: number): number {
  return Math.round(seconds * fps);
}

/**
 * The `-vf` chain: scale every frame to `size` (frames of another size, e.g. after a camera change, still
 * fit), square pixels, yuv420p, then the last frame cloned for the post-roll (tpad, after scaling so it
 * clones the small frame).
 */
export function timelapseFilters(size: Size, postRollSeconds: number): string[] {
  const filters = [`scale=${size.width}:${size.height}`, "setsar=1", "format=yuv420p"];
  if (postRollSeconds > 0) filters.push(`tpad=stop_mode=clone:stop_duration=${postRollSeconds}`);
  return filters;
}

/** Input options for the image2 sequence `frame-%06d.jpg`: `fps` frames per second, numbered from 1. */
export function timelapseInputArgs(fps: number): string[] {
  return [...GLOBAL_ARGS, "-framerate", String(fps), "-start_number", "1"];
}

export interface EncodeSettings {
  encoder: H264Encoder;
  fps: number;
  size: Size;
  /** libx264 only; 0 lets x264 choose (1.5 per core). */
  threads: number;
}

/** Bit rate for the hardware encoder (it has no CRF): 0.1 bit per pixel, 500 kbit/s to 20 Mbit/s. */
export function hardwareBitrateKbps(size: Size, fps: number): number {
  const kbps = Math.round((size.width * size.height * fps * 0.1) / 1000);
  return Math.min(20_000, Math.max(500, kbps));
}

/** Encoder options; a keyframe every 2 s of movie, so scrubbing a phone player is quick. */
export function encoderArgs(settings: EncodeSettings): string[] {
  const gop = String(Math.max(1, Math.round(settings.fps * 2)));
  if (settings.encoder === "h264_v4l2m2m") {
    // ffmpeg's V4L2 M2M wrapper passes bit rate, GOP size and profile to the driver. `-profile:v` is the
    // generic integer option there (100 = High; ffmpeg 4.1 rejects "high": "Unable to parse option value").
    // `-level` is the generic integer option too: accepted, and applied by wrappers that set the driver's
    // level control; others leave the driver's default.
    return [
      "-c:v",
      "h264_v4l2m2m",
      "-b:v",
      `${hardwareBitrateKbps(settings.size, settings.fps)}k`,
      "-profile:v",
      "100",
      "-level",
      "41",
      "-pix_fmt",
      "yuv420p",
      "-g",
      gop,
    ];
  }
  // A CRF stream has no VBV, so a busy scene could exceed level 4.1's bit rate and buffer (62.5 Mbit/s
  // for High); maxrate/bufsize cap it well inside.
  return [
    "-c:v",
    "libx264",
    "-preset",
    X264_PRESET,
    "-crf",
    String(X264_CRF),
    "-maxrate",
    "20M",
    "-bufsize",
    "40M",
    "-profile:v",
    "high",
    "-level",
    "4.1",
    "-pix_fmt",
    "yuv420p",
    "-g",
    gop,
    "-threads",
    String(settings.threads),
  ];
}

/** Output options for the movie: filters, encoder, MP4 with moov first. */
export function timelapseOutputArgs(settings: EncodeSettings, postRollSeconds: number): string[] {
  return [
    "-vf",
    timelapseFilters(settings.size, postRollSeconds).join(","),
    ...encoderArgs(settings),
    "-movflags",
    "+faststart",
    "-f",
    "mp4",
  ];
}

/** Input options for a poster: a video is read from 1 s before its end (the last frame wins). */
export function posterInputArgs(source: "frame" | "video"): string[] {
  return source === "video" ? ["-hide_banner", "-nostdin", "-sseof", "-1"] : ["-hide_banner", "-nostdin"];
}

/**
 * Output options for a poster: at most `maxWidth` wide (never upscaled, even width, height kept in aspect
 * and even by `-2`), JPEG quality 3 (of 2–31), each decoded frame overwriting the file so the last stays.
 */
export function posterOutputArgs(maxWidth: number): string[] {
  return [
    "-vf",
    `scale=w='trunc(min(iw,${maxWidth})/2)*2':h=-2`,
    "-update",
    "1",
    "-q:v",
    "3",
    "-f",
    "image2",
  ];
}
