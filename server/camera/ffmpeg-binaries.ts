import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, join } from "node:path";

const require = createRequire(import.meta.url);

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
  /** Where each came from: the system's PATH, or the npm package bundled with the daemon. */
  origin: { ffmpeg: "system" | "bundled"; ffprobe: "system" | "bundled" };
}

let cached: FfmpegBinaries | null = null;

/**
 * ffmpeg and ffprobe: the system's when on PATH (a Pi's own build has `h264_v4l2m2m` wired to its
 * encoder), else the static builds from `@ffmpeg-installer/ffmpeg` and `@ffprobe-installer/ffprobe`,
 * so `npm install` alone is enough.
 */
export function ffmpegBinaries(env: NodeJS.ProcessEnv = process.env): FfmpegBinaries {
  if (cached !== null && env === process.env) return cached;
  const systemFfmpeg = onPath("ffmpeg", env);
  const systemFfprobe = onPath("ffprobe", env);
  const found: FfmpegBinaries = {
    ffmpeg: systemFfmpeg ?? bundled("@ffmpeg-installer/ffmpeg"),
    ffprobe: systemFfprobe ?? bundled("@ffprobe-installer/ffprobe"),
    origin: {
      ffmpeg: systemFfmpeg === null ? "bundled" : "system",
      ffprobe: systemFfprobe === null ? "bundled" : "system",
    },
  };
  if (env === process.env) cached = found;
  return found;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function bundled(pkg: "@ffmpeg-installer/ffmpeg" | "@ffprobe-installer/ffprobe"): string {
  const { path } = require(pkg) as { path: string };
  return path;
}
