import { execFile } from "node:child_process";
import { open } from "node:fs/promises";
import { promisify } from "node:util";
import { ffmpegBinaries } from "../../server/camera/ffmpeg-binaries.ts";

const run = promisify(execFile);

export interface ProbedVideo {
  codec_name: string;
  pix_fmt: string;
  /** e.g. "High", "Main", "Constrained Baseline". */
  profile: string;
  /** level_idc: 41 for 4.1. */
  level: number;
  width: number;
  height: number;
  /** Frames actually decoded (`-count_frames`), not the container's claim. */
  nb_read_frames: number;
  /** Seconds, from the container. */
  duration: number;
}

interface FfprobeJson {
  streams?: Array<Record<string, unknown>>;
  format?: { duration?: string };
}

/** The first video stream of `path`, as ffprobe decodes it. */
export async function probeVideo(path: string): Promise<ProbedVideo> {
  const { stdout } = await run(
    ffmpegBinaries().ffprobe,
    ["-v", "error", "-count_frames", "-show_streams", "-show_format", "-of", "json", path],
    { maxBuffer: 8 * 1024 * 1024 },
  );
  const json = JSON.parse(stdout) as FfprobeJson;
  const video = json.streams?.find((s) => s.codec_type === "video");
  if (video === undefined) throw new Error(`no video stream in ${path}`);
  return {
    codec_name: String(video.codec_name),
    pix_fmt: String(video.pix_fmt),
    profile: String(video.profile),
    level: Number(video.level),
    width: Number(video.width),
    height: Number(video.height),
    nb_read_frames: Number(video.nb_read_frames),
    duration: Number(json.format?.duration),
  };
}

/**
 * The types of an MP4's top-level boxes in file order (ISO/IEC 14496-12 §4.2): each box starts with a
 * 32-bit big-endian size (header included) and a 4-character type; size 1 means a 64-bit size follows the
 * type, size 0 means the box runs to the end of the file.
 */
export async function atomOrder(path: string): Promise<string[]> {
  const handle = await open(path, "r");
  try {
    const fileSize = (await handle.stat()).size;
    const header = Buffer.alloc(16);
    const types: string[] = [];
    let at = 0;
    while (at + 8 <= fileSize) {
      const { bytesRead } = await handle.read(header, 0, 16, at);
      if (bytesRead < 8) break;
      let size = header.readUInt32BE(0);
      types.push(header.toString("latin1", 4, 8));
      if (size === 1) {
        if (bytesRead < 16) throw new Error(`${path}: truncated 64-bit box size at ${at}`);
        size = Number(header.readBigUInt64BE(8));
      } else if (size === 0) {
        size = fileSize - at;
      }
      if (size < 8) throw new Error(`${path}: box size ${size} at ${at}`);
      at += size;
    }
    return types;
  } finally {
    await handle.close();
  }
}
