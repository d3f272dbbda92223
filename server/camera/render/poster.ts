import { stat } from "node:fs/promises";
import { extname } from "node:path";
import ffmpeg from "fluent-ffmpeg";
import { HostError } from "../../util/errors.ts";
import { errnoCode } from "../../util/fs-util.ts";
import type { Logger } from "../../util/log.ts";
import { type FfmpegBinaries, ffmpegBinaries } from "../ffmpeg-binaries.ts";
import { readFrameSet } from "./frame-set.ts";
import { readJpegSize, type Size } from "./jpeg-size.ts";
import { posterInputArgs, posterOutputArgs, RENDER_NICENESS } from "./render-args.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { writeViaPart } from "./temp-output.ts";

export const DEFAULT_POSTER_WIDTH = 640;

export interface PosterOptions {
  /** Default 640; narrower sources keep their width (rounded down to even). */
  maxWidth?: number;
  signal?: AbortSignal;
}

export interface PosterDeps {
  log: Logger;
  /** Default `ffmpegBinaries()`. */
  binaries?: FfmpegBinaries;
}

export interface PosterResult extends Size {
  path: string;
  bytes: number;
}

/** A `.jpg`/`.jpeg` file is a frame, a directory a frame set (its last frame), anything else a video. */
async function sourceOf(path: string): Promise<{ input: string; kind: "frame" | "video" }> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    if (errnoCode(err) !== "ENOENT") throw err;
    throw new HostError("RENDER", `no poster source at ${JSON.stringify(path)}`, { path });
  }
  if (isDir) return { input: (await readFrameSet(path)).last, kind: "frame" };
  const ext = extname(path).toLowerCase();
  return { input: path, kind: ext === ".jpg" || ext === ".jpeg" ? "frame" : "video" };
}

/**
 * A JPEG poster (thumbnail) at `outPath` from the last frame: of a frame file, of a frame directory, or of
 * a movie (decoded from 1 s before its end). Scaled down to `maxWidth`, even sides; written through a
 * hidden part file and renamed, like the movie. Errors: RENDER (no source, ffmpeg's failure, "cancelled").
 */
export async function renderPoster(
  frameOrVideo: string,
  outPath: string,
  options: PosterOptions,
  deps: PosterDeps,
): Promise<PosterResult> {
  const maxWidth = options.maxWidth ?? DEFAULT_POSTER_WIDTH;
  if (!Number.isInteger(maxWidth) || maxWidth < 2) {
    throw new HostError("INVALID_INPUT", `poster maxWidth = ${maxWidth}: must be an integer of at least 2`);
  }
  const source = await sourceOf(frameOrVideo);
  const binaries = deps.binaries ?? ffmpegBinaries();
  const what = `writing the poster ${JSON.stringify(outPath)} from ${JSON.stringify(source.input)}`;
  const { value: size, bytes } = await writeViaPart(outPath, async (part) => {
    const command = ffmpeg()
      .setFfmpegPath(binaries.ffmpeg)
      .renice(RENDER_NICENESS)
      .input(source.input)
      .inputOptions(...posterInputArgs(source.kind))
      .outputOptions(...posterOutputArgs(maxWidth))
      .output(part);
    await runFfmpeg(command, { what, log: deps.log, signal: options.signal });
    const written = await readJpegSize(part).catch((err: unknown) => {
      if (errnoCode(err) === "ENOENT") return null; // ffmpeg decoded no frame, so wrote nothing
      throw err;
    });
    if (written === null) throw new HostError("RENDER", `ffmpeg wrote no JPEG ${what}`, { path: outPath });
    return written;
  });
  return { path: outPath, ...size, bytes };
}
