import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { ffmpegBinaries } from "../../server/camera/ffmpeg-binaries.ts";

const run = promisify(execFile);

/**
 * Writes `count` real JPEG frames of `width`×`height` (ffmpeg's moving testsrc2 pattern, so consecutive
 * frames differ as a time-lapse's do) into `dir` as `frame-000001.jpg`... with one ffmpeg call.
 */
export async function writeJpegFrames(
  dir: string,
  count: number,
  width: number,
  height: number,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await run(ffmpegBinaries().ffmpeg, [
    "-hide_banner",
    "-nostdin",
    "-v",
    "error",
    "-f",
    "lavfi",
    "-i",
    `testsrc2=size=${width}x${height}:rate=25`,
    "-frames:v",
    String(count),
    "-q:v",
    "5",
    "-y",
    join(dir, "frame-%06d.jpg"),
  ]);
}
