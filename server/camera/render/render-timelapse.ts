import ffmpeg from "fluent-ffmpeg";
import { HostError } from "../../util/errors.ts";
import type { Logger } from "../../util/log.ts";
import { type FfmpegBinaries, ffmpegBinaries } from "../ffmpeg-binaries.ts";
import { chooseEncoder } from "./encoder-choice.ts";
import { readFrameSet } from "./frame-set.ts";
import { readJpegSize } from "./jpeg-size.ts";
import {
  checkLevel41,
  DEFAULT_FPS,
  DEFAULT_MAX_HEIGHT,
  DEFAULT_MAX_WIDTH,
  defaultThreads,
  type EncoderPreference,
  fitWithin,
  type H264Encoder,
  postRollFrames,
  RENDER_NICENESS,
  timelapseInputArgs,
  timelapseOutputArgs,
} from "./render-args.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { writeViaPart } from "./temp-output.ts";

export interface RenderOptions {
  /** The movie to write, e.g. `.../timelapse/benchy.mp4`; its directory must exist. Replaced if present. */
  output: string;
  /** Frames per second of the movie; default 25. */
  fps?: number;
  /** Seconds the last frame is held at the end; default 0. Adds round(seconds × fps) frames. */
  postRollSeconds?: number;
  /** Resolution cap, aspect kept, never upscaled; default 1920×1080 (must fit H.264 level 4.1). */
  maxWidth?: number;
  maxHeight?: number;
  /** Default "auto": the Pi's hardware encoder when it works, else libx264 (see `chooseEncoder`). */
  encoder?: EncoderPreference;
  /** libx264 threads; default `defaultThreads()` (cores − 1, 1 to 2); 0 lets x264 decide. */
  threads?: number;
  /** Aborting kills ffmpeg, removes the partial file and rejects with RENDER "cancelled". */
  signal?: AbortSignal;
  /** Fraction 0–1 of the expected output frames encoded, increasing only; has reached 1 when the render resolves. */
  onProgress?: (fraction: number) => void;
}

export interface RenderDeps {
  log: Logger;
  /** Default `ffmpegBinaries()`. */
  binaries?: FfmpegBinaries;
}

export interface RenderResult {
  path: string;
  /** Frames in the movie: captured plus post-roll. */
  frames: number;
  durationSeconds: number;
  width: number;
  height: number;
  encoder: H264Encoder;
  /** Wall time of the whole render, probing included. */
  seconds: number;
  bytes: number;
}

export interface RenderSettings {
  fps: number;
  postRollSeconds: number;
  maxWidth: number;
  maxHeight: number;
  encoder: EncoderPreference;
  threads: number;
}

const ENCODERS: readonly EncoderPreference[] = ["auto", "libx264", "h264_v4l2m2m"];

function invalid(option: string, value: unknown, rule: string): HostError {
  return new HostError("INVALID_INPUT", `render option ${option} = ${JSON.stringify(value)}: ${rule}`, {
    option,
  });
}

/** Options with defaults applied; INVALID_INPUT names the first bad one. */
export function renderSettings(options: Omit<RenderOptions, "output">): RenderSettings {
  const s: RenderSettings = {
    fps: options.fps ?? DEFAULT_FPS,
    postRollSeconds: options.postRollSeconds ?? 0,
    maxWidth: options.maxWidth ?? DEFAULT_MAX_WIDTH,
    maxHeight: options.maxHeight ?? DEFAULT_MAX_HEIGHT,
    encoder: options.encoder ?? "auto",
    threads: options.threads ?? defaultThreads(),
  };
  if (!(s.fps > 0 && s.fps <= 120)) throw invalid("fps", s.fps, "must be above 0 and at most 120");
  if (!(s.postRollSeconds >= 0 && s.postRollSeconds <= 600))
    throw invalid("postRollSeconds", s.postRollSeconds, "must be 0 to 600");
  for (const key of ["maxWidth", "maxHeight"] as const) {
    if (!Number.isInteger(s[key]) || s[key] < 2)
      throw invalid(key, s[key], "must be an integer of at least 2");
  }
  if (!Number.isInteger(s.threads) || s.threads < 0 || s.threads > 16)
    throw invalid("threads", s.threads, "must be an integer 0 to 16");
  if (!ENCODERS.includes(s.encoder))
    throw invalid("encoder", s.encoder, `must be one of ${ENCODERS.join(", ")}`);
  return s;
}

/**
 * Renders the frames `frame-000001.jpg`, `frame-000002.jpg`, ... in the directory `input` into an H.264
 * MP4 at `options.output` (contract in render-args.ts), through a hidden part file renamed into place on
 * success and removed on failure. ffmpeg runs niced. Errors: RENDER "no frames", a missing frame, a first
 * frame that is not a JPEG, ffmpeg's failure (exit code and last stderr lines), "cancelled";
 * INVALID_INPUT for bad options.
 */
export async function renderTimelapse(
  input: string,
  options: RenderOptions,
  deps: RenderDeps,
): Promise<RenderResult> {
  const started = performance.now();
  const settings = renderSettings(options);
  const frames = await readFrameSet(input);
  const captured = await readJpegSize(frames.first);
  if (captured === null) {
    throw new HostError("RENDER", `${JSON.stringify(frames.first)} is not a JPEG`, { file: frames.first });
  }
  const size = fitWithin(captured, settings.maxWidth, settings.maxHeight);
  checkLevel41(size);
  const binaries = deps.binaries ?? ffmpegBinaries();
  const encoder = await chooseEncoder(binaries.ffmpeg, settings.encoder, deps.log);
  const total = frames.count + postRollFrames(settings.postRollSeconds, settings.fps);
  const what = `rendering ${JSON.stringify(options.output)}`;
  const encode = { encoder, fps: settings.fps, size, threads: settings.threads };

  let reported = 0;
  const { onProgress } = options;
  const onFrames =
    onProgress === undefined
      ? undefined
      : (done: number): void => {
          const fraction = Math.min(1, done / total);
          if (fraction <= reported) return;
          reported = fraction;
          onProgress(fraction);
        };

  const { bytes } = await writeViaPart(options.output, (part) => {
    const command = ffmpeg()
      .setFfmpegPath(binaries.ffmpeg)
      .setFfprobePath(binaries.ffprobe)
      .renice(RENDER_NICENESS)
      .input(frames.pattern)
      .inputOptions(...timelapseInputArgs(settings.fps))
      .outputOptions(...timelapseOutputArgs(encode, settings.postRollSeconds))
      .output(part);
    return runFfmpeg(command, { what, log: deps.log, signal: options.signal, onFrames });
  });
  if (reported < 1) onProgress?.(1);

  const result: RenderResult = {
    path: options.output,
    frames: total,
    durationSeconds: total / settings.fps,
    width: size.width,
    height: size.height,
    encoder,
    seconds: (performance.now() - started) / 1000,
    bytes,
  };
  deps.log.info({ ...result, captured: frames.count }, `rendered ${JSON.stringify(options.output)}`);
  return result;
}
