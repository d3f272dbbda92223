import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { HostError } from "../../util/errors.ts";
import { errnoCode } from "../../util/fs-util.ts";

/** The capture side's naming, as ffmpeg's image2 demuxer reads it: 1-based, six digits or more. */
export const FRAME_PATTERN = "frame-%06d.jpg";

const FRAME_NAME = /^frame-(\d{6,})\.jpg$/;

/** `frame-000001.jpg` for 1: the name `FRAME_PATTERN` expands to. */
export function frameName(n: number): string {
  return `frame-${String(n).padStart(6, "0")}.jpg`;
}

/** A frame folder as ffmpeg reads it (not the time-lapse's FrameSet, which records into one). */
export interface FrameSequence {
  dir: string;
  /** Frames 1..count, all present. */
  count: number;
  /** `dir/frame-%06d.jpg`, the image2 input. */
  pattern: string;
  first: string;
  last: string;
}

/**
 * The frames in `dir`. image2 stops at the first missing number, so a gap would silently cut the movie
 * short: it is an error here, naming the missing frame. Other files in `dir` are ignored.
 * RENDER "no frames" when `dir` is missing or holds none.
 */
export async function readFrameSet(dir: string): Promise<FrameSequence> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (errnoCode(err) !== "ENOENT" && errnoCode(err) !== "ENOTDIR") throw err;
    names = [];
  }
  const numbers = new Set<number>();
  for (const name of names) {
    const match = FRAME_NAME.exec(name);
    if (match === null) continue;
    const n = Number(match[1]);
    if (n >= 1 && frameName(n) === name) numbers.add(n);
  }
  const count = numbers.size;
  if (count === 0) throw new HostError("RENDER", `no frames in ${JSON.stringify(dir)}`, { dir });
  for (let n = 1; n <= count; n++) {
    if (!numbers.has(n)) {
      throw new HostError(
        "RENDER",
        `${frameName(n)} is missing from ${JSON.stringify(dir)} (frames are numbered from 1 without gaps)`,
        { dir, missing: n },
      );
    }
  }
  return {
    dir,
    count,
    pattern: join(dir, FRAME_PATTERN),
    first: join(dir, frameName(1)),
    last: join(dir, frameName(count)),
  };
}
